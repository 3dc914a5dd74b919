"""The importer gives areas and postcodes today's (CBS 2025) municipalities, not GeoNames' old
names, and keeps the addresses of vanished municipalities working."""

import pytest

from postcodes import boundaries
from postcodes.importer import import_files
from postcodes.models import Area, FormerMunicipality, Municipality, Postcode
from postcodes.municipalities import name_key

# Real rows (| for a tab): Boxmeer and Uden merged into Land van Cuijk and Maashorst in 2022,
# Middelburg is "Middelburg (Z.)" for CBS, Delft is Delft.
PC4 = """\
NL|5831|Boxmeer|North Brabant|06|Boxmeer||||51.6484|5.9459|6
NL|5401|Uden|North Brabant|06|Uden||||51.6593|5.6107|6
NL|4331|Middelburg|Zeeland|10|Middelburg||||51.4996|3.6143|6
NL|2611|Delft|South Holland|11|Delft||||52.0115|4.3595|6
""".replace("|", "\t")
PC6 = """\
NL|5831 AA|Boxmeer|Noord-Brabant|06|Boxmeer||||51.6484|5.9459|1
NL|5401 AA|Uden|Noord-Brabant|06|Uden||||51.6593|5.6107|1
NL|4331 AA|Middelburg|Zeeland|10|Middelburg||||51.4996|3.6143|1
NL|2611 AA|Delft|Zuid-Holland|11|Delft||||52.0115|4.3595|1
""".replace("|", "\t")


@pytest.fixture
def files(tmp_path):
    pc4, pc6 = tmp_path / "NL.txt", tmp_path / "NL_full.txt"
    pc4.write_text(PC4, encoding="utf-8")
    pc6.write_text(PC6, encoding="utf-8")
    return [pc4, pc6]


def test_the_bundled_borders_hold_the_342_municipalities_and_12_provinces_of_2025():
    municipalities = boundaries.regions("gemeente_2025")

    assert len(municipalities) == 342
    assert len({m.code for m in municipalities}) == 342
    assert len(boundaries.regions("provincie_2025")) == 12
    names = {m.name for m in municipalities}
    assert {"Land van Cuijk", "Maashorst", "Dijk en Waard", "Voorne aan Zee"} <= names
    assert not {"Boxmeer", "Uden", "Heerhugowaard", "Brielle"} & names


def test_a_point_lies_in_the_municipality_whose_border_holds_it():
    municipalities = boundaries.regions("gemeente_2025")

    # Delft's market square and Amsterdam's Dam.
    assert boundaries.locate(municipalities, 4.3609, 52.0116).name == "Delft"
    assert boundaries.locate(municipalities, 4.8930, 52.3731).name == "Amsterdam"
    # Just off the coast at Scheveningen: no polygon holds it, the nearest border does.
    assert boundaries.locate(municipalities, 4.2500, 52.1100).name == "'s-Gravenhage"


def test_merged_municipalities_become_their_successor_with_its_cbs_code(db, files):
    import_files(files)

    boxmeer = Area.objects.select_related("municipality").get(code="5831")
    assert (boxmeer.municipality.name, boxmeer.municipality.code) == ("Land van Cuijk", "GM1982")
    assert boxmeer.municipality.slug == "land-van-cuijk"
    assert boxmeer.municipality.province == "Noord-Brabant"
    assert Area.objects.get(code="5401").municipality.name == "Maashorst"
    assert Postcode.objects.get(code="5831AA").municipality.name == "Land van Cuijk"
    assert not Municipality.objects.filter(name__in=["Boxmeer", "Uden"]).exists()


def test_a_municipality_that_kept_its_name_keeps_its_address(db, files):
    import_files(files)

    middelburg = Municipality.objects.get(code="GM0687")
    assert (middelburg.name, middelburg.slug) == ("Middelburg (Z.)", "middelburg")
    assert Municipality.objects.get(code="GM0503").slug == "delft"


def test_the_old_addresses_are_recorded_for_their_successors(db, files):
    import_files(files)

    former = {f.slug: f.successor.slug for f in FormerMunicipality.objects.all()}
    assert former == {"boxmeer": "land-van-cuijk", "uden": "maashorst"}


def test_a_stored_old_municipality_is_merged_into_its_successor(db, files):
    # A database from before the 2025 municipalities: GeoNames' Uden, with an area in it.
    uden = Municipality.objects.create(name="Uden", slug="uden", province="Noord-Brabant")
    Area.objects.create(code="5402", place="Uden", municipality=uden)

    report = import_files(files)

    maashorst = Municipality.objects.get(name="Maashorst")
    assert report.municipalities_merged == 1
    assert not Municipality.objects.filter(pk=uden.pk).exists()
    assert Area.objects.get(code="5402").municipality == maashorst
    assert FormerMunicipality.objects.get(slug="uden").successor == maashorst


def test_a_stored_municipality_of_today_gets_its_code_and_keeps_its_row(db, files):
    delft = Municipality.objects.create(name="Delft", slug="delft", province="Zuid-Holland")

    import_files(files)

    delft.refresh_from_db()
    assert delft.code == "GM0503"
    assert Area.objects.get(code="2611").municipality == delft


def test_a_second_import_changes_nothing(db, files):
    import_files(files)

    again = import_files(files)

    assert again.changed == 0
    assert Municipality.objects.count() == 4


def test_names_are_compared_without_case_accents_or_punctuation():
    assert name_key("Súdwest-Fryslân") == name_key("sudwest fryslan")
    assert name_key("'s-Hertogenbosch") == "s hertogenbosch"
