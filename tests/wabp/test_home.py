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


@pytest.mark.parametrize(
    ("prefix", "heading", "plural", "numbers"),
    [
        (
            "",
            "Stap",
            "stappen",
            ["een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"],
        ),
        (
            "/en",
            "Step",
            "steps",
            ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
        ),
    ],
)
def test_the_start_a_group_card_counts_the_steps_the_page_has(
    client, prefix, heading, plural, numbers
):
    import re
    from pathlib import Path

    language = "en" if prefix else "nl"
    content = Path(__file__).parents[2] / f"wabp/content/nieuwe-groep-starten.{language}.md"
    steps = len(re.findall(rf"^## {heading} \d+:", content.read_text(), flags=re.M))
    html = client.get(prefix + "/").text.lower()
    said = [n for n, word in enumerate(numbers, start=1) if f"in {word} {plural} " in html]
    assert said == [steps]
