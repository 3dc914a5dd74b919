"""Municipalities that merged into another (Uden into Maashorst in 2022): their old addresses
redirect, and their groups, staff and requests move to the successor on a postcode refresh."""

import pytest
from django.test import Client

from groups.models import Group
from postcodes.importer import import_files
from postcodes.models import Area, FormerMunicipality, Municipality
from tests.factories import make_group, make_user
from tests.support import log_in

# Real GeoNames rows (| for a tab) of Uden, which GeoNames still names.
PC4 = "NL|5401|Uden|North Brabant|06|Uden||||51.6593|5.6107|6\n".replace("|", "\t")
PC6 = "NL|5401 AA|Uden|Noord-Brabant|06|Uden||||51.6593|5.6107|1\n".replace("|", "\t")


@pytest.fixture
def maashorst(db) -> Municipality:
    maashorst = Municipality.objects.create(
        name="Maashorst", slug="maashorst", province="Noord-Brabant", code="GM1991"
    )
    FormerMunicipality.objects.create(name="Uden", slug="uden", successor=maashorst)
    return maashorst


def test_an_old_address_redirects_permanently_to_the_successor(maashorst):
    response = Client().get("/gemeenten/uden/")

    assert response.status_code == 301
    assert response["Location"] == "/gemeenten/maashorst/"


def test_the_redirect_keeps_the_page_language_and_query(maashorst):
    response = Client().get("/en/gemeenten/uden/?pagina=2")

    assert response.status_code == 301
    assert response["Location"] == "/en/gemeenten/maashorst/?pagina=2"


def test_a_staff_page_of_an_old_address_redirects_once_logged_in(maashorst):
    client = Client()
    log_in(client, make_user("ambtenaar@maashorst.test", municipality=maashorst))

    response = client.get("/gemeenten/uden/export.csv")

    assert response.status_code == 301
    assert response["Location"] == "/gemeenten/maashorst/export.csv"


def test_an_unknown_address_is_still_not_found(maashorst):
    assert Client().get("/gemeenten/nergenshuizen/").status_code == 404


def test_a_form_posted_to_an_old_address_is_not_redirected(maashorst):
    # A redirected POST would arrive as a GET and lose what was sent.
    client = Client()
    log_in(client, make_user("ambtenaar@maashorst.test", municipality=maashorst))

    assert client.post("/gemeenten/uden/borden/1/", {"decision": "approve"}).status_code == 404


def test_a_refresh_moves_groups_and_staff_of_a_merged_municipality(db, tmp_path):
    uden = Municipality.objects.create(name="Uden", slug="uden", province="Noord-Brabant")
    area = Area.objects.create(code="5401", place="Uden", municipality=uden)
    group = make_group("Buurtpreventie Uden-Centrum", area)
    staff = make_user("ambtenaar@maashorst.test", municipality=uden)
    assert group.municipality == uden
    (tmp_path / "NL.txt").write_text(PC4, encoding="utf-8")
    (tmp_path / "NL_full.txt").write_text(PC6, encoding="utf-8")

    import_files([tmp_path / "NL.txt", tmp_path / "NL_full.txt"])

    maashorst = Municipality.objects.get(code="GM1991")
    assert Group.objects.get(pk=group.pk).municipality == maashorst
    staff.refresh_from_db()
    assert staff.municipality == maashorst
    assert Client().get("/gemeenten/uden/")["Location"] == "/gemeenten/maashorst/"


def test_a_refresh_moves_a_group_whose_area_changed_municipality(db, tmp_path):
    # A stored area in the wrong municipality (as GeoNames had it): the refresh corrects the
    # area, and the group follows its area.
    elsewhere = Municipality.objects.create(name="Oss", slug="oss", province="Noord-Brabant")
    area = Area.objects.create(code="5401", place="Uden", municipality=elsewhere)
    group = make_group("Buurtpreventie Uden-Noord", area)
    (tmp_path / "NL.txt").write_text(PC4, encoding="utf-8")
    (tmp_path / "NL_full.txt").write_text(PC6, encoding="utf-8")

    import_files([tmp_path / "NL.txt", tmp_path / "NL_full.txt"])

    assert Group.objects.get(pk=group.pk).municipality.name == "Maashorst"


def test_a_map_filter_link_with_an_old_municipality_shows_its_successor(maashorst):
    response = Client().get("/kaart/?municipality=uden&platform=whatsapp")

    assert response.status_code == 301
    assert response["Location"] == "/kaart/?municipality=maashorst&platform=whatsapp"


def test_an_embed_code_with_an_old_municipality_shows_its_successor(maashorst):
    response = Client().get("/kaart/embed/?gemeente=uden")

    assert response.status_code == 301
    assert response["Location"] == "/kaart/embed/?gemeente=maashorst"
    assert Client().get("/kaart/embed/?gemeente=nergenshuizen").status_code == 404
