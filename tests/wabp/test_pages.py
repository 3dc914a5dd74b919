"""Content pages: provided on first start, in Dutch and English, Markdown sanitised."""

import pytest
from django.urls import reverse

from tests.wabp.conftest import CONTENT_SLUGS
from wabp.models import Page

pytestmark = pytest.mark.django_db

URLS = {
    "over-ons": "/over-ons/",
    "memorandum": "/over-ons/memorandum/",
    "partners": "/partners/",
    "huisregels": "/huisregels/",
    "nieuwe-groep-starten": "/nieuwe-groep-starten/",
    "privacy": "/privacy/",
    "toegankelijkheid": "/toegankelijkheid/",
}


def test_every_content_page_has_its_own_url():
    assert set(URLS) == set(CONTENT_SLUGS)
    assert reverse("memorandum") == "/over-ons/memorandum/"


@pytest.mark.parametrize("slug", CONTENT_SLUGS)
def test_content_page_renders_in_dutch_by_default(client, content_pages, slug):
    page = content_pages[slug]

    response = client.get(URLS[slug])

    assert response.status_code == 200
    html = response.text
    assert '<html lang="nl">' in html
    assert f"<h1>{page.title}</h1>" in html
    assert page.title_en not in html or page.title_en == page.title


@pytest.mark.parametrize("slug", CONTENT_SLUGS)
def test_content_page_renders_in_english_under_the_en_prefix(client, content_pages, slug):
    page = content_pages[slug]

    response = client.get(URLS[slug])
    assert f'href="/en{URLS[slug]}"' in response.text  # the switch: the same page in English
    response = client.get(f"/en{URLS[slug]}")

    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert f"<h1>{page.title_en}</h1>" in response.text


@pytest.mark.parametrize("slug", CONTENT_SLUGS)
def test_content_pages_carry_real_text_in_both_languages(content_pages, slug):
    page = content_pages[slug]
    for body in (page.body, page.body_en):
        assert body.count("\n## ") + body.startswith("## ") >= 3, "several sections with headings"
        assert "\n- " in body or "\n1. " in body, "at least one list"
        assert len(body) > 1500
        assert "lorem" not in body.lower()
    assert page.intro and page.intro_en


def test_house_rules_explain_the_saar_rule(content_pages):
    body = content_pages["huisregels"].body
    for step in ("Signaleren", "Alarmeren", "112", "App-groep informeren", "Reageren"):
        assert step in body


def test_privacy_statement_names_its_version_and_retention(content_pages):
    body = content_pages["privacy"].body
    assert "versie 2026-1" in body
    assert "30 dagen" in body and "60 dagen" in body and "1 jaar" in body
    for right in ("Inzage", "Correctie", "Verwijdering", "Export"):
        assert right in body


def test_step_plan_registers_with_municipality_and_police(content_pages):
    body = content_pages["nieuwe-groep-starten"].body
    assert "gemeente" in body and "wijkagent" in body and "gratis" in body


def test_content_page_links_point_to_existing_pages(client, content_pages):
    import re

    for page in content_pages.values():
        for body in (page.body, page.body_en):
            for link in re.findall(r"\]\((/[^)]*)\)", body):
                assert client.get(link).status_code == 200, link


def test_unpublished_page_is_not_found(client, content_pages):
    Page.objects.filter(slug="partners").update(is_published=False)

    assert client.get("/partners/").status_code == 404


def test_markdown_on_a_page_is_sanitised(client):
    Page.objects.create(
        slug="test-pagina",
        title="Testpagina",
        body=(
            "## Kop\n\n<script>alert('x')</script>\n\n"
            '<img src="x.png" onerror="alert(1)">\n\n'
            "[klik](javascript:alert(1))\n\n**vet** en een [link](https://politie.nl)."
        ),
    )

    html = client.get("/test-pagina/").text

    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<h2>Kop</h2>" in html
    assert "<strong>vet</strong>" in html
    assert 'href="https://politie.nl"' in html


def test_pages_are_dutch_even_for_an_english_browser_until_english_is_chosen(client, content_pages):
    response = client.get("/over-ons/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.headers["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()

    response = client.get("/en/over-ons/")

    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
