"""Phone numbers and e-mail addresses as people type them: one check each."""

import pytest
from django import forms

from wabp.contact import PhoneField, clean_phone, normalise_email


def test_an_e_mail_address_is_trimmed_and_lower_cased():
    assert normalise_email("  Anna@Example.NL ") == "anna@example.nl"
    assert normalise_email(None) == ""


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("06 1234 5678", "06 1234 5678"),
        ("  06   12345678 ", "06 12345678"),
        ("+31 6-1234-5678", "+31 6-1234-5678"),
        ("0201234567", "0201234567"),  # a landline is a phone number too
        ("+49 30 1234567890", "+49 30 1234567890"),
    ],
)
def test_a_phone_number_keeps_its_digits_with_tidied_spacing(typed, stored):
    assert clean_phone(typed) == stored


@pytest.mark.parametrize("typed", ["bel me", "06 1234 567", "(06) 12345678", "06.12345678"])
def test_a_phone_number_with_letters_brackets_or_too_few_digits_is_refused(typed):
    with pytest.raises(forms.ValidationError, match="alleen cijfers"):
        clean_phone(typed)


@pytest.mark.parametrize("typed", ["06 12345678", "06-12345678", "+31 6 12345678", "+31612345678"])
def test_a_dutch_mobile_number_is_accepted(typed):
    assert clean_phone(typed, dutch_mobile=True) == typed


@pytest.mark.parametrize("typed", ["020 1234567", "+32 470 12 34 56", "06 1234567"])
def test_a_landline_or_foreign_number_is_no_dutch_mobile(typed):
    with pytest.raises(forms.ValidationError, match="Nederlands mobiel nummer"):
        clean_phone(typed, dutch_mobile=True)


def test_the_phone_field_checks_length_and_leaves_an_empty_optional_number_empty():
    assert PhoneField(required=False).clean("  ") == ""
    with pytest.raises(forms.ValidationError) as error:
        PhoneField().clean("0" * 21)
    assert [e.code for e in error.value.error_list] == ["max_length"]
