"""The pages the issue found Dutch under /en/ are English: the account page's data section,
the account deletion pages and the footer."""

from django.urls import reverse
from django.utils import translation

from tests.factories import make_user
from tests.support import log_in


def english(viewname: str) -> str:
    with translation.override("en"):
        return reverse(viewname)


def test_the_account_page_offers_the_data_download_and_deletion_in_english(client, db):
    log_in(client, make_user("lid@example.test"))

    page = client.get(english("account")).text

    for text in [
        "Your data and your account",
        "Download all my data (JSON file)",
        "Delete my account",
    ]:
        assert text in page
    for dutch in [
        "Uw gegevens en uw account",
        "Download al mijn gegevens",
        "Mijn account verwijderen",
    ]:
        assert dutch not in page


def test_the_account_deletion_page_is_english(client, db):
    log_in(client, make_user("lid@example.test"))

    page = client.get(english("account_delete")).text

    assert "If you delete your account, we erase your data." in page
    assert "What we erase" in page and "Wat we wissen" not in page


def test_the_footer_is_english(client, db):
    page = client.get("/en/").text

    assert "Postcode data © GeoNames" in page
    assert "joining is free" in page
    assert "Postcodegegevens" not in page
