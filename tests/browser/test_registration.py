"""Browser journey: register a group, confirm it from the mail, find it, open its page."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from groups.models import Group, GroupStatus
from tests.conftest import PASSWORD
from tests.groups.conftest import load_areas, make_group
from wabp.models import OutboundEmail

pytestmark = pytest.mark.browser


@pytest.fixture
def postcodes(transactional_db):
    load_areas(["1011", "1012", "1016"])
    make_group("Buurtwacht Dam", "1012")


def test_register_confirm_find_and_view_a_group(page, axe, postcodes):
    page.goto("/groep-registreren/")
    assert axe(page) == []

    page.get_by_label("Uw voornaam").fill("Sanne")
    page.get_by_label("Uw achternaam").fill("de Vries")
    page.get_by_label("Uw e-mailadres").fill("sanne@example.test")
    page.get_by_label("Uw mobiele nummer").fill("06 12345678")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_label("Naam van de groep").fill("Buurtpreventie Lastage")
    page.get_by_label("Chatplatform").select_option("signal")
    page.get_by_label("Postcode van de buurt").fill("1011 AB")
    page.get_by_label("Postcodes die de groep dekt (niet verplicht)").fill("1011AB-1011AE")
    page.get_by_label("De groep is aangemeld bij de gemeente").check()
    page.get_by_label("Ik ga akkoord met de privacyverklaring").check()
    page.get_by_label("Ik ga akkoord met de huisregels").check()
    page.get_by_role("button", name="Groep registreren").click()

    page.get_by_role("heading", name="Bekijk uw e-mail").wait_for()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    mail = OutboundEmail.objects.get(to="sanne@example.test")
    assert mail.sent_at is not None
    link = re.search(r"https?://\S+/groep-registreren/bevestigen/\S+/", mail.body).group(0)

    page.goto(urlsplit(link).path)
    page.get_by_label("Uw wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Registratie bevestigen").click()
    page.get_by_role("heading", name="Registratie bevestigd").wait_for()
    assert Group.objects.get(name="Buurtpreventie Lastage").status == GroupStatus.ACTIVE

    page.goto("/zoeken/")
    page.get_by_label("Uw postcode").fill("1011 AC")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    result = page.get_by_role("link", name="Buurtpreventie Lastage", exact=True)
    result.wait_for()
    assert page.get_by_text("Dekt uw postcode").count() == 1
    assert axe(page) == []

    result.click()
    page.get_by_role("heading", name="Buurtpreventie Lastage", level=1).wait_for()
    assert page.get_by_text("1011AB–1011AE").count() == 1
    assert page.get_by_role("link", name="Vraag om lid te worden van deze groep").count() == 1
    assert "sanne@example.test" not in page.content()
    assert "de Vries" not in page.content()
    assert axe(page) == []


def test_registration_overlap_warning_keeps_the_form_and_is_accessible(page, axe, postcodes):
    make_group("Lastage Buurt", "1011", postcodes=["1011AB"])
    page.goto("/groep-registreren/")
    page.get_by_label("Uw voornaam").fill("Sanne")
    page.get_by_label("Uw achternaam").fill("de Vries")
    page.get_by_label("Uw e-mailadres").fill("sanne@example.test")
    page.get_by_label("Uw mobiele nummer").fill("06 12345678")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_label("Naam van de groep").fill("Lastage Buurtpreventie")
    page.get_by_label("Postcode van de buurt").fill("1011 AB")
    page.get_by_label("Ik ga akkoord met de privacyverklaring").check()
    page.get_by_label("Ik ga akkoord met de huisregels").check()
    page.get_by_role("button", name="Groep registreren").click()

    page.get_by_role("heading", name="Er is misschien al een groep voor uw buurt").wait_for()
    assert page.get_by_label("Uw voornaam").input_value() == "Sanne"
    assert axe(page) == []

    page.get_by_label("Ik heb dit gezien, toch registreren").check()
    page.get_by_role("button", name="Groep registreren").click()
    page.get_by_role("heading", name="Bekijk uw e-mail").wait_for()
    assert Group.objects.filter(name="Lastage Buurtpreventie").exists()
