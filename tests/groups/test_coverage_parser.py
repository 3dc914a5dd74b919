"""Reading coverage input (groups.coverage) and summarising coverage as ranges."""

import pytest

from groups.coverage import parse_coverage, summarise_ranges
from postcodes.models import Postcode

pytestmark = pytest.mark.django_db


def test_a_range_adds_the_known_postcodes_in_it(areas):
    parsed = parse_coverage("1011AB-1011AE")

    assert parsed.postcodes == ["1011AB", "1011AC", "1011AD", "1011AE"]
    assert parsed.ignored == []


@pytest.mark.parametrize("text", ["1011 ab - 1011 ae", "1011AB – AE", "1011AB t/m 1011AE"])
def test_ranges_may_be_written_in_several_ways(areas, text):
    assert parse_coverage(text).postcodes == ["1011AB", "1011AC", "1011AD", "1011AE"]


def test_a_bare_area_adds_all_its_postcodes(areas):
    parsed = parse_coverage("1012")

    assert parsed.postcodes == sorted(
        Postcode.objects.filter(area_id="1012").values_list("code", flat=True)
    )
    assert len(parsed.postcodes) > 300


def test_a_pasted_list_is_checked_against_known_postcodes_with_reasons(areas):
    parsed = parse_coverage("1011AB, 1011 ac;1011ZZ\n0123AB hallo 1011AB 1014 1011AE-1011AB 1011SS")

    assert parsed.postcodes == ["1011AB", "1011AC"]
    assert dict(parsed.ignored) == {
        "1011ZZ": "Deze postcode kennen we niet.",
        "0123AB": "Een postcode begint niet met een 0.",
        "HALLO": "Dit is geen postcode.",
        "1014": "Dit postcodegebied kennen we niet.",
        "1011AE-1011AB": "De eerste postcode komt na de laatste.",
        "1011SS": "Postcodes met de letters SS bestaan niet.",
    }


def test_empty_input_gives_nothing(db):
    assert parse_coverage("  \n ") == ([], [])


def test_add_coverage_counts_only_new_postcodes(group_a):
    assert group_a.add_coverage(["1011AB", "1011AE", "1011AG"]) == 2
    assert group_a.coverage.count() == 5


def test_ranges_join_consecutive_known_postcodes():
    known = ["1011AB", "1011AC", "1011AD", "1011AE", "1011AG", "1012AA", "1012AB"]

    assert summarise_ranges(["1011AB", "1011AC", "1011AD", "1011AG"], known) == [
        "1011AB–1011AD",
        "1011AG",
    ]
    assert summarise_ranges(["1011AB", "1012AA", "1012AB"], known) == ["1011AB", "1012"]
    assert summarise_ranges([], known) == []


def test_coverage_ranges_of_a_group(group_a):
    group_a.add_coverage(parse_coverage("1011AG-1011AK 1012").postcodes)

    assert group_a.coverage_ranges() == ["1011AB–1011AD", "1011AG–1011AK", "1012"]
