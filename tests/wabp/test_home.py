"""The home page and its postcode search box."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_has_the_postcode_search_box(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.text
    assert 'action="/zoeken/"' in html
    assert 'method="get"' in html
    assert 'name="postcode"' in html
    assert html.count("<h1") == 1


def test_search_echoes_the_canonical_postcode(client):
    response = client.get("/zoeken/", {"postcode": " 1234   ab "})

    assert response.status_code == 200
    assert "1234 AB" in response.text


def test_search_shows_a_dutch_error_for_an_invalid_postcode(client):
    response = client.get("/zoeken/", {"postcode": "0123 AB"})

    assert response.status_code == 200
    assert "Een postcode begint niet met een 0." in response.text
