"""The importer on the real GeoNames files, and the `some_postcodes` fixture built on them."""

import pytest

from postcodes.importer import import_files
from postcodes.models import Area, FormerMunicipality, Municipality, Postcode
from tests.conftest import POSTCODE_DATA

FULL = [POSTCODE_DATA / "NL.txt", POSTCODE_DATA / "NL_full.txt.gz"]


@pytest.mark.full_import
def test_full_import_loads_every_real_postcode_and_a_rerun_changes_nothing(db):
    # One test for the whole data set: it takes the better part of a minute, so only
    # `make test` runs it; the rest of the suite uses small files or `some_postcodes`.
    report = import_files(FULL)

    assert (report.pc4_rows, report.pc6_rows) == (4334, 460724)
    assert report.pc4_areas == 4086
    assert report.pc6_postcodes == 460616
    assert report.pc6_duplicates == 108
    assert report.areas_only_in_pc6 == 1  # 5028
    assert not report.skipped
    assert report.postcodes_inserted == Postcode.objects.count() == 460616
    assert report.areas_inserted == Area.objects.count() == 4086 + 1
    # Today's 342 municipalities (CBS 2025), not GeoNames' 353 names of years ago.
    assert report.municipalities_inserted == Municipality.objects.count() == 342
    assert not Municipality.objects.filter(code=None).exists()
    # Every area in exactly one municipality of today (a foreign key: one at most).
    assert not Area.objects.filter(municipality=None).exists()
    assert not Area.objects.filter(municipality__code=None).exists()
    assert not Postcode.objects.filter(municipality=None).exists()
    for name in ["Land van Cuijk", "Maashorst", "Dijk en Waard", "Voorne aan Zee"]:
        assert Area.objects.filter(municipality__name=name).count() >= 5, name
    former = dict(FormerMunicipality.objects.values_list("slug", "successor__slug"))
    assert former["boxmeer"] == former["cuijk"] == "land-van-cuijk"
    assert former["uden"] == former["landerd"] == "maashorst"
    assert former["heerhugowaard"] == former["langedijk"] == "dijk-en-waard"
    assert former["brielle"] == former["hellevoetsluis"] == "voorne-aan-zee"
    assert former["beemster"] == "purmerend"
    assert former["weesp"] == "amsterdam"
    assert set(Area.objects.values_list("province", flat=True)) == {
        "Drenthe",
        "Flevoland",
        "Friesland",
        "Gelderland",
        "Groningen",
        "Limburg",
        "Noord-Brabant",
        "Noord-Holland",
        "Overijssel",
        "Utrecht",
        "Zeeland",
        "Zuid-Holland",
    }

    again = import_files(FULL)

    assert again.changed == 0
    assert Postcode.objects.count() == 460616


def test_some_postcodes_holds_every_area_and_the_documented_postcodes(some_postcodes):
    assert Area.objects.count() == 4086 + 1
    assert Postcode.objects.filter(area_id="1011").count() == 303
    assert Postcode.objects.get(code="9401AB").municipality.name == "Assen"
    assert Postcode.objects.get(code="3511AA").area.place == "Utrecht"
    assert not Postcode.objects.filter(area_id="2000").exists()


def test_some_postcodes_shows_the_real_quirks(some_postcodes):
    meppel = Area.objects.get(code="7940")
    assert meppel.places == ["Meppel", "Nijeveen"]
    assert meppel.municipality.name == "Meppel"  # no name in GeoNames: its border decides
    assert Area.objects.get(code="7948").places == ["Nijeveen", "Meppel"]
    assert Postcode.objects.get(code="1521NE").place == "Westknollendam"
    assert Area.objects.get(code="2451").municipality.name == "Kaag en Braassem"
    assert Area.objects.get(code="5028").latitude is None
    assert len(Area.objects.get(code="5256").places) == 7
    assert Municipality.objects.get(name="Meppel").slug == "meppel"


@pytest.mark.parametrize("run", [1, 2])
def test_some_postcodes_is_there_again_after_a_flush(transactional_db, some_postcodes, run):
    # Each run's transactional flush empties the tables; the fixture imports them again.
    assert Postcode.objects.filter(area_id="9401").count() == 278
    assert Area.objects.filter(code="1234").exists()
