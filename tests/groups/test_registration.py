"""Free registration of a group, the overlap warning and the e-mail confirmation."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, GroupStatus
from groups.registration.services import CONSENT_VERSION
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import make_group
from wabp.models import Consent, User

pytestmark = pytest.mark.django_db

URL = reverse("groups:register")


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "email": "sanne@example.test",
        "phone": "06 12345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "name": "Buurtpreventie Lastage",
        "platform": "signal",
        "postcode": "1011 ab",
        "street": "Lastageweg",
        "coverage": "1011AB-1011AE\n1011 BA",
        "registered_with_municipality": "on",
        "member_count": "40",
        "consent_privacy": "on",
        "consent_house_rules": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def confirmation_link(mailoutbox) -> str:
    """The path of the confirmation link in the one mail sent."""
    (message,) = mailoutbox
    link = re.search(r"https?://\S+/groep-registreren/bevestigen/\S+/", message.body).group(0)
    return urlsplit(link).path


def test_registration_creates_a_pending_group_an_inactive_user_and_consents(anonymous, areas):
    response = anonymous.post(URL, form_data())

    assert response.status_code == 302
    assert response.url == reverse("groups:register_sent")
    group = Group.objects.get()
    assert group.status == GroupStatus.PENDING
    assert group.area_id == "1011"
    assert group.municipality.name == "Amsterdam"
    assert group.platform == "signal"
    assert group.registered_with_municipality and not group.registered_with_police
    assert group.member_count == 40
    assert sorted(group.coverage.values_list("postcode_id", flat=True)) == [
        "1011AB",
        "1011AC",
        "1011AD",
        "1011AE",
        "1011BA",
    ]
    user = User.objects.get(email="sanne@example.test")
    assert not user.is_active
    assert user.phone == "06 12345678"
    assert list(group.admins.all()) == [user]
    assert set(Consent.objects.filter(user=user).values_list("document", "version")) == {
        ("privacy", CONSENT_VERSION),
        ("house_rules", CONSENT_VERSION),
    }


def test_confirmation_link_activates_group_and_user_and_it_appears_in_search(
    anonymous, areas, run_tasks, mailoutbox
):
    anonymous.post(URL, form_data())
    assert not anonymous.get(reverse("groups:search"), {"postcode": "1011AC"}).context["results"]
    run_tasks()
    link = confirmation_link(mailoutbox)
    assert mailoutbox[0].to == ["sanne@example.test"]

    asked = anonymous.get(link)
    assert asked.status_code == 200
    assert Group.objects.get().status == GroupStatus.PENDING  # opening the link changes nothing

    response = anonymous.post(link)

    assert response.status_code == 200
    group = Group.objects.get()
    assert group.status == GroupStatus.ACTIVE
    assert group.confirmed_at is not None
    assert User.objects.get(email="sanne@example.test").is_active
    results = anonymous.get(reverse("groups:search"), {"postcode": "1011AC"}).context["results"]
    assert [(r.group.name, r.reason) for r in results] == [("Buurtpreventie Lastage", "postcode")]
    assert anonymous.get(group.get_absolute_url()).status_code == 200


def test_confirmation_link_expires_after_seven_days(anonymous, areas, run_tasks, mailoutbox):
    anonymous.post(URL, form_data())
    run_tasks()
    path = confirmation_link(mailoutbox)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = anonymous.post(path)

    assert response.status_code == 400
    assert Group.objects.get().status == GroupStatus.PENDING


def test_tampered_confirmation_link_does_nothing(anonymous, areas):
    anonymous.post(URL, form_data())

    response = anonymous.post(reverse("groups:register_confirm", args=["nep.token.xyz"]))

    assert response.status_code == 400
    assert Group.objects.get().status == GroupStatus.PENDING


def test_existing_account_with_its_password_gets_the_group_added(
    anonymous, areas, group_admin, group_a
):
    response = anonymous.post(
        URL,
        form_data(
            email=group_admin.email.upper(),
            name="Tweede Groep",
            postcode="1012AB",
            coverage="1012AB",
        ),
    )

    assert response.status_code == 302
    assert User.objects.filter(email=group_admin.email).count() == 1
    assert set(Group.objects.administered_by(group_admin)) == {
        group_a,
        Group.objects.get(name="Tweede Groep"),
    }
    group_admin.refresh_from_db()
    assert group_admin.is_active


def test_existing_account_with_a_wrong_password_gets_the_login_error(anonymous, areas, group_admin):
    response = anonymous.post(
        URL,
        form_data(
            email=group_admin.email, password1="Iets-anders-123", password2="Iets-anders-123"
        ),
    )

    assert response.status_code == 200
    assert (
        "Deze combinatie van e-mailadres en wachtwoord kennen we niet" in response.content.decode()
    )
    assert not Group.objects.filter(name="Buurtpreventie Lastage").exists()


def test_registration_rejects_mismatched_passwords_and_unknown_area(anonymous, areas):
    response = anonymous.post(URL, form_data(password2="Anders-wachtwoord-9", postcode="1014AB"))

    errors = response.context["form"].errors
    assert "password2" in errors
    assert "postcode" in errors
    assert not Group.objects.exists()
    assert not User.objects.exists()


def test_registration_needs_both_consents(anonymous, areas):
    response = anonymous.post(URL, form_data(consent_house_rules=None))

    assert "consent_house_rules" in response.context["form"].errors
    assert not Group.objects.exists()


def test_honeypot_filled_in_registers_nothing(anonymous, areas):
    response = anonymous.post(URL, form_data(website="http://spam.example"))

    assert response.status_code == 200
    assert not Group.objects.exists()


def test_shared_postcodes_warn_before_saving_then_register_anyway(anonymous, areas, group_a):
    response = anonymous.post(URL, form_data(coverage="1011AD"))  # group A covers 1011AD

    assert response.status_code == 200
    assert not Group.objects.filter(name="Buurtpreventie Lastage").exists()
    html = response.content.decode()
    assert "Er is misschien al een groep voor uw buurt" in html
    assert group_a.name in html
    assert f"/groepen/{group_a.slug}/aanmelden/" in html
    assert "Ik heb dit gezien, toch registreren" in html
    # Nothing typed is lost, the passwords included.
    assert 'value="Sanne"' in html
    assert f'value="{PASSWORD}"' in html

    response = anonymous.post(URL, form_data(coverage="1011AD", confirm_overlap="on"))

    assert response.status_code == 302
    assert Group.objects.get(name="Buurtpreventie Lastage").coverage.count() == 1


def test_similar_name_in_the_same_area_warns(anonymous, areas):
    make_group("Buurtpreventie Lastage-buurt", "1011")
    make_group("Buurtpreventie Lastage", "3511")  # same name, other area: no warning

    response = anonymous.post(URL, form_data(coverage=""))

    assert response.status_code == 200
    assert [g.area_id for g, _url in response.context["overlapping"]] == ["1011"]


def test_inactive_groups_do_not_trigger_the_overlap_warning(anonymous, areas):
    make_group("Buurtpreventie Lastage", "1011", postcodes=["1011AB"], status=GroupStatus.INACTIVE)

    response = anonymous.post(URL, form_data())

    assert response.status_code == 302


def test_ignored_coverage_is_reported_before_saving(anonymous, areas):
    response = anonymous.post(URL, form_data(coverage="1011AB, 1011ZZ, hallo"))

    assert response.status_code == 200
    ignored = dict(response.context["ignored"])
    assert set(ignored) == {"1011ZZ", "HALLO"}
    assert "Deze postcode kennen we niet." in response.content.decode()


def test_registration_is_rate_limited_per_ip(anonymous, areas):
    for _ in range(10):
        anonymous.post(URL, form_data(email="", name=""))

    response = anonymous.post(URL, form_data())

    assert response.status_code == 429
    assert not Group.objects.exists()


def test_registration_page_prefills_the_postcode_from_search(anonymous, db):
    response = anonymous.get(URL, {"postcode": "1011AB"})

    assert 'value="1011AB"' in response.content.decode()


def test_existing_user_password_check_does_not_lock_or_reveal_via_mail(
    anonymous, areas, mailoutbox
):
    make_user("bestaand@example.test", is_active=True)

    anonymous.post(
        URL,
        form_data(
            email="bestaand@example.test",
            password1="Fout-wachtwoord-1",
            password2="Fout-wachtwoord-1",
        ),
    )

    assert mailoutbox == []


# The board's deactivation stands ------------------------------------------------------------


def deactivate_by_the_board(email: str) -> User:
    user = User.objects.get(email=email)
    user.is_active = False
    user.save()
    return user


def test_the_confirmation_link_does_not_reactivate_a_user_the_board_deactivated(
    anonymous, areas, run_tasks, mailoutbox
):
    anonymous.post(URL, form_data())
    run_tasks()
    link = confirmation_link(mailoutbox)
    anonymous.post(link)
    deactivate_by_the_board("sanne@example.test")

    asked = anonymous.get(link)
    response = anonymous.post(link)

    assert asked.status_code == 400
    assert response.status_code == 400
    assert not User.objects.get(email="sanne@example.test").is_active


def test_the_link_does_not_reactivate_a_user_deactivated_before_confirming_a_second_group(
    anonymous, areas, run_tasks, mailoutbox, group_admin, group_a
):
    anonymous.post(
        URL, form_data(email=group_admin.email, name="Tweede Groep", postcode="1012AB", coverage="")
    )
    run_tasks()
    link = confirmation_link(mailoutbox)
    deactivate_by_the_board(group_admin.email)

    response = anonymous.post(link)

    assert response.status_code == 400
    group_admin.refresh_from_db()
    assert not group_admin.is_active
    assert Group.objects.get(name="Tweede Groep").status == GroupStatus.PENDING


def test_a_deactivated_account_cannot_register_a_group_with_its_password(
    anonymous, areas, group_admin
):
    deactivate_by_the_board(group_admin.email)

    response = anonymous.post(URL, form_data(email=group_admin.email))

    assert response.status_code == 200
    assert "Deze combinatie van e-mailadres en wachtwoord kennen we niet" in response.text
    assert not Group.objects.filter(name="Buurtpreventie Lastage").exists()


def test_registering_again_before_confirming_still_works(anonymous, areas, run_tasks, mailoutbox):
    anonymous.post(URL, form_data())
    response = anonymous.post(URL, form_data(name="Buurtpreventie Lastage Twee", coverage=""))

    assert response.status_code == 302
    run_tasks()
    anonymous.post(
        urlsplit(re.findall(r"https?://\S+/bevestigen/\S+/", mailoutbox[-1].body)[0]).path
    )
    user = User.objects.get(email="sanne@example.test")
    assert user.is_active
    assert user.activated_at is not None


def test_far_coverage_in_a_registration_goes_to_the_board(anonymous, areas):
    from groups.models import CoverageClaim

    response = anonymous.post(URL, form_data(coverage="1011AB, 3511AA"))

    assert response.status_code == 200
    assert "Deze postcodes gaan eerst naar het bestuur" in response.text
    assert not Group.objects.exists()

    response = anonymous.post(URL, form_data(coverage="1011AB, 3511AA", confirm_overlap="on"))

    assert response.status_code == 302
    group = Group.objects.get()
    assert list(group.coverage.values_list("postcode_id", flat=True)) == ["1011AB"]
    claim = CoverageClaim.objects.get()
    assert claim.too_far == ["3511AA"]
    assert claim.requested_by == User.objects.get(email="sanne@example.test")
