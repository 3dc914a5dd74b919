"""A panel's name and description in the reader's language: the board writes both (the data
migration gave the two standing panels their English)."""

from django.urls import reverse
from django.utils import translation

from tests.support import log_in


def panels_page(client, language: str) -> str:
    with translation.override(language):
        return client.get(reverse("panels:index")).text


def test_the_standing_panels_have_english_names(panel):
    assert panel.name_en == "Group admins' panel"
    assert panel.description_en


def test_a_member_reads_the_panels_name_in_the_pages_language(client, member, panel):
    log_in(client, member)

    assert "Group admins&#x27; panel" in panels_page(client, "en")
    assert "Beheerderspanel" not in panels_page(client, "en")
    assert "Beheerderspanel" in panels_page(client, "nl")


def test_without_an_english_name_the_dutch_one_is_shown(client, member, panel):
    panel.name_en = ""
    panel.save()
    log_in(client, member)

    assert "Beheerderspanel" in panels_page(client, "en")
