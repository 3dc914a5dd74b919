"""Browser journey (issue 17, part 5): an admin whose group nears WhatsApp's member limit
splits off one of its two postcode areas, with a co-admin, and finds both groups in /beheer/
with the right postcodes and join requests."""

import os
from pathlib import Path

import pytest

from groups.models import Group
from postcodes.models import Postcode
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import add_coverage, load_areas, make_group, make_join_request

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def codes(area: str) -> list[str]:
    return list(
        Postcode.objects.filter(area_id=area).order_by("code").values_list("code", flat=True)[:5]
    )


@pytest.fixture
def world(transactional_db):
    areas = load_areas(["1011", "1012"])
    anna = make_user("anna@example.test", first_name="Anna", last_name="Beheerder")
    cas = make_user("cas@example.test", first_name="Cas", last_name="Mede")
    group = make_group(
        "Buurtpreventie Centrum", areas["1011"], admins=[anna, cas], member_count=950
    )
    add_coverage(group, codes("1011") + codes("1012"))
    make_join_request(group, name="Rita Oost", email="rita@example.test", postcode=codes("1012")[0])
    make_join_request(
        group, name="Karel West", email="karel@example.test", postcode=codes("1011")[0]
    )
    return {"group": group, "anna": anna, "cas": cas}


def test_an_admin_splits_off_one_area_with_a_co_admin(page, axe, world, shots):
    group = world["group"]
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill("anna@example.test")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)

    page.goto(f"/beheer/groep/{group.slug}/")
    page.get_by_text("Uw groep is bijna vol").wait_for()
    page.get_by_role("link", name="Splits de groep").click()
    page.get_by_role("heading", name="Buurtpreventie Centrum splitsen").wait_for()
    assert axe(page) == []
    page.get_by_label("Naam van de nieuwe groep").fill("Buurtpreventie Dam")
    page.get_by_label("Heel gebied 1012 (5 postcodes)").check()
    new_admins = page.get_by_role("group", name="Wie beheert de nieuwe groep?")
    assert new_admins.get_by_label("Anna B.").is_checked()
    new_admins.get_by_label("Cas M.").check()
    page.get_by_role("group", name="Wie stopt als beheerder").get_by_label("Cas M.").check()
    page.screenshot(path=shots / "split-form.png", full_page=True)
    page.get_by_role("button", name="Verder").click()

    page.get_by_role("heading", name="Klopt dit?").wait_for()
    assert "5 postcodes gaan naar de nieuwe groep Buurtpreventie Dam" in page.content()
    assert "1 open aanmelding van bewoners uit die postcodes gaat mee." in page.content()
    assert axe(page) == []
    page.screenshot(path=shots / "split-confirm.png", full_page=True)
    page.get_by_role("button", name="Ja, splitsen").click()

    page.get_by_text("Afgesplitst van Buurtpreventie Centrum op").wait_for()
    new = Group.objects.get(split_from=group)
    page.screenshot(path=shots / "split-done.png", full_page=True)

    page.goto("/beheer/")
    page.get_by_role("link", name="Buurtpreventie Dam").wait_for()
    page.get_by_role("link", name="Buurtpreventie Centrum").wait_for()

    page.goto(f"/beheer/groep/{new.slug}/postcodes/")
    assert "De groep dekt 5 postcodes" in page.content()
    page.goto(f"/beheer/groep/{new.slug}/aanmeldingen/")
    assert "Rita Oost" in page.content() and "Karel West" not in page.content()
    page.goto(f"/beheer/groep/{group.slug}/aanmeldingen/")
    assert "Karel West" in page.content() and "Rita Oost" not in page.content()
    page.goto(f"/beheer/groep/{group.slug}/postcodes/")
    assert "De groep dekt 5 postcodes" in page.content()
    assert set(new.admins.all()) == {world["anna"], world["cas"]}
    assert set(group.admins.all()) == {world["anna"]}


def test_a_group_without_postcodes_is_told_to_add_them_first(page, axe, world):
    group = world["group"]
    group.coverage.all().delete()
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill("anna@example.test")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)

    page.goto(f"/beheer/groep/{group.slug}/splitsen/")
    assert axe(page) == []
    page.get_by_role("link", name="Postcodes toevoegen").click()
    page.wait_for_url(f"**/beheer/groep/{group.slug}/postcodes/")
