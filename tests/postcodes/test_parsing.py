"""The one postcode parser: examples of what it accepts and rejects, and its properties."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from postcodes.parsing import (
    UNUSED_LETTERS,
    ParsedPostcode,
    PostcodeField,
    format_postcode,
    parse_postcode,
)


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def rejection(value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse_postcode(value, **kwargs)
    return info.value


@pytest.mark.parametrize(
    "value", ["1234AB", "1234 ab", " 1234   AB ", "1234-ab", "1234ab", "1234\tAb", "1234\xa0AB"]
)
def test_accepts_the_ways_people_write_a_postcode(value):
    parsed = parse_postcode(value)

    assert parsed == ParsedPostcode("1234", "AB")
    assert parsed.code == "1234AB"
    assert parsed.display == "1234 AB"
    assert not parsed.is_area


def test_bare_area_is_accepted_only_where_a_search_allows_an_area():
    assert parse_postcode(" 9401 ", allow_area=True) == ParsedPostcode("9401")
    assert parse_postcode("9401", allow_area=True).code == "9401"
    assert parse_postcode("9401", allow_area=True).display == "9401"
    assert parse_postcode("9401", allow_area=True).is_area

    error = rejection("9401")

    assert error.code == "area_not_allowed"
    assert error.messages == ["Vul ook de twee letters van de postcode in, bijvoorbeeld 1234 AB."]


def test_rejects_a_leading_zero():
    error = rejection("0123 AB")

    assert error.code == "leading_zero"
    assert error.messages == ["Een postcode begint niet met een 0."]
    assert rejection("0123", allow_area=True).code == "leading_zero"


@pytest.mark.parametrize("letters", ["SA", "SD", "SS", "sa", "sd", "ss"])
def test_rejects_letter_pairs_postnl_does_not_issue(letters):
    error = rejection(f"1234 {letters}")

    assert error.code == "unused_letters"
    assert error.messages == [f"Postcodes met de letters {letters.upper()} bestaan niet."]


@pytest.mark.parametrize("value", ["123AB", "1234A", "12 AB", "123"])
def test_rejects_too_few_characters(value):
    assert rejection(value).messages == [
        "Een postcode heeft vier cijfers en twee letters, bijvoorbeeld 1234 AB."
    ]


@pytest.mark.parametrize("value", ["1234ABC", "12345AB", "1234 AB C"])
def test_rejects_too_many_characters(value):
    assert rejection(value).code == "invalid"


def test_rejects_letters_first():
    assert rejection("AB 1234").messages == [
        "Een postcode begint met vier cijfers, bijvoorbeeld 1234 AB."
    ]


@pytest.mark.parametrize("value", ["1234 A1", "1234 12", "123456"])
def test_rejects_digits_in_the_letter_part(value):
    assert rejection(value).messages == [
        "Na de vier cijfers komen twee letters, bijvoorbeeld 1234 AB."
    ]


@pytest.mark.parametrize("value", ["", "   ", "\n"])
def test_empty_input_asks_for_a_postcode(value):
    error = rejection(value)

    assert error.code == "required"
    assert error.messages == ["Vul een postcode in, bijvoorbeeld 1234 AB."]


@pytest.mark.parametrize("value", [None, 1234, 1234.0, b"1234AB", ["1234AB"]])
def test_rejects_values_that_are_not_text(value):
    assert rejection(value, allow_area=True).code == "required"


@pytest.mark.parametrize("value", ["1234 ß", "1234 ﬀ", "１２３４ＡＢ"])
def test_rejects_non_ascii_lookalikes_instead_of_folding_them_into_a_postcode(value):
    assert rejection(value).code == "invalid"


def test_area_search_explains_both_accepted_forms():
    assert rejection("12", allow_area=True).messages == [
        "Vul een postcode in van vier cijfers en twee letters (bijvoorbeeld 1234 AB) "
        "of alleen de vier cijfers."
    ]


def test_format_postcode_gives_the_display_form():
    assert format_postcode("1234AB") == "1234 AB"
    assert format_postcode("1234") == "1234"


class SearchForm(forms.Form):
    postcode = PostcodeField(allow_area=True, required=False)
    home = PostcodeField()


def test_form_field_cleans_to_the_canonical_code():
    form = SearchForm(data={"postcode": " 9401 ", "home": "1234-ab"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"postcode": "9401", "home": "1234AB"}


def test_form_field_shows_the_dutch_message():
    form = SearchForm(data={"postcode": "0123", "home": "1234 SS"})

    assert not form.is_valid()
    assert form.errors["postcode"] == ["Een postcode begint niet met een 0."]
    assert form.errors["home"] == ["Postcodes met de letters SS bestaan niet."]
    assert 'autocomplete="postal-code"' in str(form["home"])


# Properties ---------------------------------------------------------------------------------

areas = st.integers(min_value=1000, max_value=9999).map(str)
letter_pairs = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2).filter(
    lambda pair: pair not in UNUSED_LETTERS
)
separators = st.text(" \t-", max_size=4)
padding = st.text(" \t\n", max_size=3)


def _mixed_case(draw, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.lower() if flip else c for c, flip in zip(text, flips, strict=True))


@st.composite
def written_postcodes(draw) -> tuple[str, str, str]:
    """(how someone typed it, area, letters) for a valid postcode."""
    area, letters = draw(areas), draw(letter_pairs)
    typed = draw(padding) + area + draw(separators) + _mixed_case(draw, letters) + draw(padding)
    return typed, area, letters


@given(written_postcodes())
def test_any_accepted_spelling_parses_to_the_canonical_form(written):
    typed, area, letters = written

    parsed = parse_postcode(typed)

    assert parsed.code == area + letters
    assert parsed.display == f"{area} {letters}"


@given(areas, letter_pairs, st.booleans())
def test_canonical_display_parse_is_identity(area, letters, as_area):
    code = area if as_area else area + letters

    assert parse_postcode(format_postcode(code), allow_area=True).code == code
    assert parse_postcode(code, allow_area=True).code == code


@given(st.one_of(st.text(), st.text("0123456789ABSDZ -\t\xa0"), st.binary(), st.none()))
@example("1234 SA")
@example("0000")
@example("1234-")
def test_arbitrary_input_only_ever_raises_validation_error(value):
    for allow_area in (False, True):
        try:
            parsed = parse_postcode(value, allow_area=allow_area)
        except ValidationError as error:
            assert error.messages[0]
        else:
            assert parsed.area[0] in "123456789"
            assert len(parsed.code) in (4, 6)
            assert parsed.letters not in UNUSED_LETTERS
