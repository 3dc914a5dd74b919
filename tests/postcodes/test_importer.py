"""The GeoNames importer on small files with the real data's quirks (rows copied from the data)."""

import gzip
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from postcodes.importer import import_files
from postcodes.models import Area, Municipality, Postcode

# Rows as they are in NL.txt (PC4) and NL_full.txt.gz (PC6), with | for a tab.
PC4 = """\
NL|9401|Assen|Drenthe|01|Assen||||52.9939|6.5625|6
NL|7940|Meppel|Drenthe||||||52.7048|6.1977|4
NL|7940|Nijeveen|Drenthe||||||52.7324|6.1675|4
NL|7461|Wierden|Overijssel|15|Rijssen-Holten||||52.3595|6.5917|4
NL|7461|Rijssen|Overijssel|15|Rijssen-Holten||||52.3068|6.5259|6
NL|7461|Holten|Overijssel|15|Rijssen-Holten||||52.3079|6.5404|
NL|1521|Wormerveer|North Holland|07|Zaanstad||||52.4953|4.7911|6
NL|1521|Westknollendam|North Holland|07|Zaanstad||||52.5182|4.7818|6
NL|6817|Arnhem|Guelders||||||51.9717|5.9396|4
""".replace("|", "\t")
PC6 = """\
NL|9401 AB|Assen|Drenthe|01|Assen||||52.9939|6.5625|1
NL|9401 AC|Assen|Drenthe|01|Assen||||52.9939|6.5625|1
NL|7461 AA|Rijssen|Overijssel|15|Rijssen-Holten||||52.3068|6.5259|1
NL|1521 NE|Westknollendam|Noord-Holland|07|Zaanstad||||52.4953|4.7911|1
NL|1521 NE|Wormerveer|Noord-Holland|07|Zaanstad||||52.4953|4.7911|1
NL|1521 NG|Wormerveer|Noord-Holland|07|Zaanstad||||52.4953|4.7911|1
NL|6817 AA|Arnhem|Gelderland|03|Arnhem||||51.9717|5.9396|1
NL|6817 AB|Arnhem|Gelderland|03|Arnhem||||51.9717|5.9396|1
NL|6817 AC|Velp|Gelderland|03|Rheden||||51.9717|5.9396|1
NL|5028 CX|Diessen|Noord-Brabant|06|Hilvarenbeek||||||
""".replace("|", "\t")


@pytest.fixture
def write(tmp_path):
    """Write rows to a file in tmp_path: plain, .gz or .zip (by the name's ending)."""

    def write(name: str, text: str):
        path = tmp_path / name
        if name.endswith(".gz"):
            with gzip.open(path, "wt", encoding="utf-8") as f:
                f.write(text)
        elif name.endswith(".zip"):
            with zipfile.ZipFile(path, "w") as archive:
                archive.writestr("readme.txt", "GeoNames postal codes, CC BY 4.0\n")
                archive.writestr("NL.txt", text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def imported(db, write):
    """Both small files imported; returns the report."""
    return import_files([write("NL.txt", PC4), write("NL_full.txt", PC6)])


def test_counts_what_it_read_and_inserted(imported):
    assert imported.rows_read == 19
    assert (imported.pc4_rows, imported.pc4_areas) == (9, 5)
    assert (imported.pc6_rows, imported.pc6_postcodes) == (10, 9)
    assert imported.areas_only_in_pc6 == 1
    assert imported.municipalities_inserted == 7
    assert imported.areas_inserted == 6
    assert imported.postcodes_inserted == 9
    assert (imported.areas_updated, imported.postcodes_updated) == (0, 0)
    assert not imported.skipped
    assert Area.objects.count() == 6
    assert Postcode.objects.count() == 9


def test_area_spanning_places_takes_the_centroid_row_as_main_place(imported):
    rijssen = Area.objects.get(code="7461")

    # The accuracy-6 (centroid) row comes second in the file but is the main place.
    assert rijssen.place == "Rijssen"
    assert rijssen.places == ["Rijssen", "Wierden", "Holten"]
    assert (rijssen.latitude, rijssen.longitude) == (52.3068, 6.5259)


def test_area_with_several_centroid_rows_gets_their_mean(imported):
    wormerveer = Area.objects.get(code="1521")

    assert wormerveer.place == "Wormerveer"
    assert wormerveer.places == ["Wormerveer", "Westknollendam"]
    assert wormerveer.latitude == pytest.approx((52.4953 + 52.5182) / 2)
    assert wormerveer.longitude == pytest.approx((4.7911 + 4.7818) / 2)


def test_area_without_centroid_gets_the_mean_of_its_places(imported):
    meppel = Area.objects.get(code="7940")

    assert meppel.place == "Meppel"
    assert meppel.places == ["Meppel", "Nijeveen"]
    assert meppel.latitude == pytest.approx((52.7048 + 52.7324) / 2)
    assert meppel.longitude == pytest.approx((6.1977 + 6.1675) / 2)


def test_area_without_municipality_name_and_postcodes_gets_the_one_whose_border_holds_it(
    imported,
):
    meppel = Area.objects.get(code="7940")

    assert (meppel.municipality.name, meppel.municipality.code) == ("Meppel", "GM0119")
    assert meppel.province == "Drenthe"


def test_missing_municipality_name_comes_from_the_most_common_among_its_postcodes(imported):
    arnhem = Area.objects.get(code="6817")

    assert arnhem.municipality.name == "Arnhem"
    assert arnhem.province == "Gelderland"
    assert Postcode.objects.get(code="6817AC").municipality.name == "Rheden"


def test_postcode_in_two_places_is_stored_once_with_the_first_place(imported):
    assert imported.pc6_duplicates == 1
    assert Postcode.objects.filter(code="1521NE").count() == 1
    assert Postcode.objects.get(code="1521NE").place == "Westknollendam"


def test_area_only_in_the_postcode_file_is_created_without_coordinates(imported):
    diessen = Area.objects.get(code="5028")

    assert diessen.place == "Diessen"
    assert diessen.places == ["Diessen"]
    assert diessen.municipality.name == "Hilvarenbeek"
    assert diessen.province == "Noord-Brabant"
    assert (diessen.latitude, diessen.longitude) == (None, None)
    assert Postcode.objects.get(code="5028CX").area == diessen


def test_municipalities_get_a_slug_and_the_dutch_province(imported):
    zaanstad = Municipality.objects.get(name="Zaanstad")

    assert zaanstad.slug == "zaanstad"
    assert zaanstad.province == "Noord-Holland"
    assert set(Municipality.objects.values_list("province", flat=True)) == {
        "Drenthe",
        "Overijssel",
        "Noord-Holland",
        "Gelderland",
        "Noord-Brabant",
    }
    assert Area.objects.get(code="1521").province == "Noord-Holland"


def test_postcode_area_and_municipality_are_linked(imported):
    postcode = Postcode.objects.select_related("area", "municipality").get(code="9401AB")

    assert postcode.area.code == "9401"
    assert postcode.place == "Assen"
    assert postcode.municipality.name == "Assen"
    assert postcode.area.municipality == postcode.municipality


def test_rerun_changes_nothing(imported, write):
    before = list(Area.objects.values_list("code", "place", "places", "latitude", "longitude"))

    again = import_files([write("NL.txt", PC4), write("NL_full.txt", PC6)])

    assert again.changed == 0
    assert again.areas_updated == again.postcodes_updated == again.municipalities_updated == 0
    assert Postcode.objects.count() == 9
    assert Area.objects.count() == 6
    assert Municipality.objects.count() == 7
    assert list(Area.objects.values_list("code", "place", "places", "latitude", "longitude")) == (
        before
    )


def test_changed_rows_are_counted_as_updated(imported, write):
    pc4 = PC4.replace("52.9939\t6.5625\t6", "52.9950\t6.5600\t6")
    pc6 = PC6.replace("9401 AC\tAssen", "9401 AC\tAsserwolde")

    again = import_files([write("NL.txt", pc4), write("NL_full.txt", pc6)])

    assert (again.areas_inserted, again.areas_updated) == (0, 1)
    assert (again.postcodes_inserted, again.postcodes_updated) == (0, 1)
    assert Area.objects.get(code="9401").latitude == 52.995
    assert Postcode.objects.get(code="9401AC").place == "Asserwolde"
    assert Postcode.objects.get(code="9401AB").place == "Assen"


def test_files_imported_one_by_one_end_the_same_and_stay_unchanged(db, write):
    pc4, pc6 = write("NL.txt", PC4), write("NL_full.txt", PC6)

    first = import_files([pc4])
    # No PC6 rows yet and no name on the PC4 row: the border that holds its centre decides.
    assert Area.objects.get(code="6817").municipality.name == "Arnhem"
    second = import_files([pc6])
    assert Area.objects.get(code="6817").municipality.name == "Arnhem"
    third, fourth = import_files([pc4]), import_files([pc6])

    assert (first.areas_inserted, second.areas_inserted, second.areas_updated) == (5, 1, 0)
    assert third.changed == fourth.changed == 0
    assert import_files([pc4, pc6]).changed == 0


def test_reads_gzip_and_zip_files(db, write):
    report = import_files([write("NL.zip", PC4), write("NL_full.txt.gz", PC6)])

    assert (report.pc4_rows, report.pc6_rows) == (9, 10)
    assert report.files == [str(p) for p in (write("NL.zip", PC4), write("NL_full.txt.gz", PC6))]
    assert Area.objects.count() == 6
    assert Postcode.objects.count() == 9


def test_malformed_rows_are_skipped_with_a_reason(db, write):
    rows = PC4 + (
        "NL\t9402\tAssen\n"  # columns
        "BE\t1000\tBrussel\tBrussels\tBRU\tBrussel\t\t\t\t50.85\t4.35\t4\n"  # country
        "NL\t0123\tNergens\tDrenthe\t01\tAssen\t\t\t\t52.9\t6.5\t6\n"  # postcode
        "NL\t9403 SS\tAssen\tDrenthe\t01\tAssen\t\t\t\t52.9\t6.5\t1\n"  # postcode
        "NL\t9404\t\tDrenthe\t01\tAssen\t\t\t\t52.9\t6.5\t6\n"  # place
        "NL\t9405\tAssen\tDrenthe\t01\tAssen\t\t\t\tnoord\t6.5\t6\n"  # coordinates
        "NL\t9406\tAssen\tDrenthe\t01\tAssen\t\t\t\t152.9\t6.5\t6\n"  # coordinates
        "NL\t9407\tAssen\tDrenthe\t01\tAssen\t\t\t\t52.9\t\t6\n"  # coordinates
        "\n"
    )

    report = import_files([write("NL.txt", rows)])

    assert report.rows_read == 9 + 8
    assert dict(report.skipped) == {
        "columns": 1,
        "country": 1,
        "postcode": 2,
        "place": 1,
        "coordinates": 3,
    }
    assert report.pc4_rows == 9
    assert not Area.objects.filter(code__in=["9402", "9403", "9404", "9405", "9406", "9407"])
    with translation.override("nl"):
        lines = report.lines()
    assert "Overgeslagen: 8 regels." in lines
    assert "  2 × geen geldige postcode" in lines
    assert "  3 × ongeldige of onvolledige coördinaten" in lines


def test_areas_limit_the_import_to_those_areas(db, write):
    report = import_files([write("NL.txt", PC4), write("NL_full.txt", PC6)], areas={"1521"})

    assert report.rows_outside_selection == 19 - 5
    assert list(Area.objects.values_list("code", flat=True)) == ["1521"]
    assert list(Postcode.objects.values_list("code", flat=True)) == ["1521NE", "1521NG"]


def test_dry_run_counts_but_saves_nothing(db, write):
    report = import_files([write("NL.txt", PC4), write("NL_full.txt", PC6)], dry_run=True)

    assert report.dry_run
    assert report.areas_inserted == 6
    assert report.postcodes_inserted == 9
    assert not Area.objects.exists()
    assert not Postcode.objects.exists()
    assert not Municipality.objects.exists()


def test_command_prints_what_it_did(db, write):
    out = StringIO()

    with translation.override("nl"):
        call_command(
            "import_postcodes", write("NL.txt", PC4), write("NL_full.txt", PC6), stdout=out
        )

    output = out.getvalue()
    assert "Gelezen: 19 regels uit 2 bestand(en)." in output
    assert "Postcodegebieden (PC4): 6 nieuw, 0 bijgewerkt." in output
    assert "Postcodes (PC6): 9 nieuw, 0 bijgewerkt." in output
    assert "Gemeenten: 7 nieuw, 0 bijgewerkt." in output
    assert "1 PC6-regels herhalen een postcode" in output
    assert "Overgeslagen: 0 regels." in output
    assert "seconden." in output
    assert Postcode.objects.count() == 9


def test_command_dry_run_changes_nothing(db, write):
    out = StringIO()

    with translation.override("nl"):
        call_command("import_postcodes", write("NL.txt", PC4), "--dry-run", stdout=out)

    assert "Proefdraai: er is niets opgeslagen." in out.getvalue()
    assert "Postcodegebieden (PC4): 5 nieuw, 0 bijgewerkt." in out.getvalue()
    assert not Area.objects.exists()


def test_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        call_command("import_postcodes", str(tmp_path / "NL.txt"))


def test_command_refuses_a_zip_without_data(db, tmp_path):
    path = tmp_path / "NL.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")

    with pytest.raises(CommandError, match=r"geen \.txt-bestand"):
        call_command("import_postcodes", str(path))
