"""The accessibility statement: the parts of the government's model that municipalities ask for."""

import pytest

from tests.factories import load_areas

pytestmark = pytest.mark.django_db

DUTCH = [
    "WCAG 2.1",
    "EN 301 549",
    "voldoet gedeeltelijk",
    "axe-core",
    "Nu HTML Checker",
    "360 pixels",
    "toetsenbord",
    "1 december 2026",
    "Nationale ombudsman",
    "mailto:toegankelijkheid@wabp.nl",
]
ENGLISH = [
    "WCAG 2.1",
    "EN 301 549",
    "partially complies",
    "axe-core",
    "Nu HTML Checker",
    "keyboard",
    "1 December 2026",
    "Nationale ombudsman",
]


def test_statement_names_standard_status_tests_date_and_escalation(client, content_pages):
    html = client.get("/toegankelijkheid/").content.decode()
    for phrase in DUTCH:
        assert phrase in html, phrase
    for limitation in ("De kaart.", "Certificaten als PDF.", "De chatgroepen zelf."):
        assert limitation in html


def test_statement_in_english(client, content_pages):
    response = client.get("/en/toegankelijkheid/")
    assert response.status_code == 200
    for phrase in ENGLISH:
        assert phrase in response.content.decode(), phrase


def test_every_page_links_the_statement_in_its_footer(client, content_pages):
    assert 'href="/toegankelijkheid/"' in client.get("/").content.decode()
    assert 'href="/en/toegankelijkheid/"' in client.get("/en/").content.decode()


def test_the_embed_code_on_a_municipality_page_points_to_the_statement(client):
    municipality = load_areas(["1011"])["1011"].municipality
    html = client.get(f"/gemeenten/{municipality.slug}/").content.decode()
    assert 'href="/toegankelijkheid/"' in html
    assert f"/api/v1/groepen.geojson?gemeente={municipality.slug}" in html
