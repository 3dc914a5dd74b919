"""Whole-page caching for anonymous visitors (wabp/pagecache.py) on the public group pages."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.http import http_date

from groups.models import GroupAdmin
from tests.conftest import make_user
from tests.groups.conftest import CANARY, add_coverage, make_group
from wabp.models import Page
from wabp.pagecache import is_storable

pytestmark = pytest.mark.django_db


def stored() -> int:
    """How many pages the page cache holds (LocMemCache keeps them in a dict)."""
    return len(caches[settings.PAGE_CACHE_ALIAS]._cache)


def cached_get(client, url, django_assert_num_queries, **extra):
    """GET twice; the second answer must come from the page cache (the version query only)."""
    first = client.get(url, **extra)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        again = client.get(url, **extra)
    assert again.content == first.content
    return again


@pytest.fixture
def group_urls(group_a):
    return {
        "home": "/",
        "search": "/zoeken/?postcode=1011AB",
        "group": group_a.get_absolute_url(),
        "municipality": f"/gemeenten/{group_a.municipality.slug}/",
        "map data": "/kaart/groepen.geojson",
    }


# What is stored, and with which headers -----------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/zoeken/?postcode=1011AB", "/cijfers/", "/over-ons/"])
def test_a_public_page_is_served_from_the_cache_with_cdn_headers_and_no_cookie(
    anonymous, group_a, django_assert_num_queries, url
):
    response = cached_get(anonymous, url, django_assert_num_queries)

    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        f"max-age={settings.PAGE_CACHE_MAX_AGE}",
    }
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert not response.cookies
    assert response["Content-Security-Policy"]  # middleware still adds its headers


def test_the_group_page_is_served_from_the_cache(anonymous, group_a, django_assert_num_queries):
    response = cached_get(anonymous, group_a.get_absolute_url(), django_assert_num_queries)

    assert b"<h1>Buurtpreventie Nieuwmarkt</h1>" in response.content


def test_the_etag_answers_304(anonymous, group_a):
    url = group_a.get_absolute_url()
    etag = anonymous.get(url)["ETag"]

    response = anonymous.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]
    assert anonymous.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_if_modified_since_answers_304_until_the_data_changes(anonymous, group_a):
    url = group_a.get_absolute_url()
    last_modified = anonymous.get(url)["Last-Modified"]

    assert anonymous.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = http_date((timezone.now() - timedelta(days=1)).timestamp())
    assert anonymous.get(url, headers={"If-Modified-Since": earlier}).status_code == 200


def test_a_304_on_the_first_visit_to_a_worker_is_answered_too(anonymous, group_a):
    url = group_a.get_absolute_url()
    etag = anonymous.get(url)["ETag"]
    caches[settings.PAGE_CACHE_ALIAS].clear()  # as if another worker answered first

    assert anonymous.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_dutch_and_english_are_stored_apart(anonymous, group_a):
    dutch = anonymous.get("/")
    english = Client()

    assert b'lang="en"' in english.get("/en/").content
    assert b'lang="nl"' in anonymous.get("/").content
    assert stored() == 2
    assert english.get("/en/")["ETag"] != dutch["ETag"]


# Personal pages are never stored, never served from it --------------------------------------


def test_a_logged_in_person_is_never_served_from_the_cache_nor_stored(
    anonymous, group_admin_client, group_a
):
    url = group_a.get_absolute_url()
    anonymous.get(url)
    assert stored() == 1

    personal = group_admin_client.get(url)

    assert b"Mijn account" in personal.content
    assert "no-store" in personal["Cache-Control"]
    assert "public" not in personal["Cache-Control"]
    assert "ETag" not in personal
    assert stored() == 1


def test_a_page_cached_for_anonymous_never_holds_a_logged_in_persons_data(
    anonymous, group_admin_client, group_a
):
    group_admin_client.get("/")
    group_admin_client.get(group_a.get_absolute_url())
    assert stored() == 0

    for url in ("/", group_a.get_absolute_url()):
        html = anonymous.get(url).content.decode()
        assert "Mijn account" not in html and "Uitloggen" not in html
        assert "csrfmiddlewaretoken" not in html
        for value in CANARY.values():
            assert value not in html


def test_a_visitor_with_pending_messages_gets_a_fresh_page(
    anonymous, group_a, django_assert_num_queries
):
    cached_get(anonymous, "/", django_assert_num_queries)
    with_message = Client()
    with_message.cookies["messages"] = "anything"

    assert with_message.get("/").context is not None  # rendered, not replayed


def test_a_response_that_used_a_csrf_token_is_not_storable():
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert is_storable(request, HttpResponse("page"))

    get_token(request)  # the page rendered a token

    assert not is_storable(request, HttpResponse("page"))


def test_a_response_that_used_a_csp_nonce_is_not_storable():
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.utils.csp import LazyNonce

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request._csp_nonce = LazyNonce()
    assert is_storable(request, HttpResponse("page"))

    str(request._csp_nonce)  # the page used it

    assert not is_storable(request, HttpResponse("page"))


def test_post_is_never_cached(anonymous, group_a):
    response = anonymous.post("/zoeken/?postcode=1011AB")

    assert stored() == 0
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/groepen/bestaat-niet/", "/bestaat-niet/"])
def test_a_404_is_not_stored(anonymous, areas, url):
    assert anonymous.get(url).status_code == 404
    assert stored() == 0


def test_unknown_and_overlong_query_strings_are_served_but_never_stored(anonymous, group_a):
    assert anonymous.get("/?utm_source=folder").status_code == 200
    assert anonymous.get(group_a.get_absolute_url() + "?x=1").status_code == 200
    assert anonymous.get("/zoeken/", {"postcode": "1011AB", "sort": "2"}).status_code == 200
    assert anonymous.get("/zoeken/", {"q": "a" * 300}).status_code == 200

    assert stored() == 0


def test_the_page_cache_holds_a_bounded_number_of_pages():
    options = settings.CACHES[settings.PAGE_CACHE_ALIAS]["OPTIONS"]

    assert 0 < options["MAX_ENTRIES"] <= 10_000


# Invalidation is exact: the very next request shows the change ------------------------------


def fetch_all(client, urls) -> dict[str, str]:
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def warm(client, urls, django_assert_num_queries) -> None:
    for name, url in urls.items():
        if name in ("home", "search", "group"):
            cached_get(client, url, django_assert_num_queries)
        else:
            client.get(url)


def test_a_renamed_group_shows_on_every_page_at_once(
    anonymous, group_a, group_urls, django_assert_num_queries
):
    warm(anonymous, group_urls, django_assert_num_queries)

    group_a.name = "Buurtpreventie Waag"
    group_a.save()

    pages = fetch_all(anonymous, group_urls)
    for name in ("search", "group", "municipality", "map data"):
        assert "Buurtpreventie Waag" in pages[name], name
        assert "Buurtpreventie Nieuwmarkt" not in pages[name], name


def test_a_deactivated_group_leaves_every_page_at_once(
    anonymous, group_a, group_urls, django_assert_num_queries
):
    make_group("Buurtwacht Dam", "1012", member_count=10)
    warm(anonymous, group_urls, django_assert_num_queries)
    assert "<strong>2</strong>" in anonymous.get("/").content.decode()

    group_a.deactivate()

    assert anonymous.get(group_urls["group"]).status_code == 404
    pages = fetch_all(anonymous, {k: v for k, v in group_urls.items() if k != "group"})
    assert "<strong>1</strong>" in pages["home"]
    for name in ("search", "municipality", "map data"):
        assert "Buurtpreventie Nieuwmarkt" not in pages[name], name


def test_a_new_group_shows_on_every_page_at_once(
    anonymous, areas, group_a, group_urls, django_assert_num_queries
):
    warm(anonymous, group_urls, django_assert_num_queries)

    make_group("Buurtapp Zeedijk", "1011", postcodes=["1011AB"])

    pages = fetch_all(anonymous, {k: v for k, v in group_urls.items() if k != "group"})
    for name in ("search", "municipality", "map data"):
        assert "Buurtapp Zeedijk" in pages[name], name
    assert "<strong>2</strong>" in pages["home"]


def test_changed_coverage_shows_on_the_group_page_and_in_search_at_once(
    anonymous, group_a, django_assert_num_queries
):
    search = "/zoeken/?postcode=1011AE"
    before = cached_get(anonymous, search, django_assert_num_queries).content.decode()
    cached_get(anonymous, group_a.get_absolute_url(), django_assert_num_queries)
    assert "Staat uw buurt er niet bij?" in before or "Nieuwmarkt" in before

    add_coverage(group_a, ["1011AE"])

    assert "1011AB–1011AE" in anonymous.get(group_a.get_absolute_url()).content.decode()
    after = anonymous.get(search)
    assert [r.reason for r in after.context["results"]] == ["postcode"]


def test_a_reconfirmed_group_shows_its_new_date_at_once(
    anonymous, group_a, django_assert_num_queries
):
    group_a.last_confirmed_at = timezone.now() - timedelta(days=400)
    group_a.save()
    url = group_a.get_absolute_url()
    old = cached_get(anonymous, url, django_assert_num_queries).content.decode()

    group_a.reconfirm()

    new = anonymous.get(url).content.decode()
    month = timezone.localtime(group_a.last_confirmed_at).strftime("%Y")
    assert new != old
    assert month in new


def test_a_trained_admin_shows_as_a_badge_at_once(
    anonymous, group_a, group_admin, django_assert_num_queries
):
    url = group_a.get_absolute_url()
    assert (
        b"Getrainde beheerder" not in cached_get(anonymous, url, django_assert_num_queries).content
    )

    group_admin.trained_at = timezone.now()
    group_admin.save()

    assert b"Getrainde beheerder" in anonymous.get(url).content


def test_a_new_admin_for_the_group_changes_nothing_visible_but_no_stale_page_either(
    anonymous, group_a, django_assert_num_queries
):
    url = group_a.get_absolute_url()
    cached_get(anonymous, url, django_assert_num_queries)
    trained = make_user("getraind@example.test", trained_at=timezone.now())

    GroupAdmin.objects.create(group=group_a, user=trained)

    assert b"Getrainde beheerder" in anonymous.get(url).content


def test_an_edited_content_page_shows_at_once(anonymous, areas, django_assert_num_queries):
    cached_get(anonymous, "/over-ons/", django_assert_num_queries)
    page = Page.objects.get(slug="over-ons")

    page.title = "Over de stichting"
    page.save()

    assert b"<h1>Over de stichting</h1>" in anonymous.get("/over-ons/").content


def test_an_unpublished_content_page_is_gone_at_once(anonymous, areas, django_assert_num_queries):
    cached_get(anonymous, "/partners/", django_assert_num_queries)

    Page.objects.filter(slug="partners").update(is_published=False)

    assert anonymous.get("/partners/").status_code == 404
