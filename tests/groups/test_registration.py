"""Free registration of a group, the overlap warning and the e-mail confirmation."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, GroupStatus
from groups.registration import views as registration_views
from groups.registration.views import REGISTER_POSTS_PER_IP, REGISTRATIONS_PER_ADDRESS
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import make_group
from wabp.models import CONSENT_VERSION, Consent, User

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


def without_csrf_tokens(html: str) -> str:
    """A page with its CSRF tokens (masked differently on every render) blanked out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


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

    response = anonymous.post(link, {"password": PASSWORD})

    assert response.status_code == 200
    group = Group.objects.get()
    assert group.status == GroupStatus.ACTIVE
    assert group.confirmed_at is not None
    assert User.objects.get(email="sanne@example.test").is_active
    results = anonymous.get(reverse("groups:search"), {"postcode": "1011AC"}).context["results"]
    assert [(r.group.name, r.reason) for r in results] == [("Buurtpreventie Lastage", "postcode")]
    assert anonymous.get(group.get_absolute_url()).status_code == 200


def test_confirmation_link_does_not_activate_a_password_the_mailbox_owner_did_not_choose(
    anonymous, areas, run_tasks, mailoutbox
):
    # Someone registers a group with another person's address and a password of their own.
    anonymous.post(URL, form_data(email="slachtoffer@example.test"))
    run_tasks()
    link = confirmation_link(mailoutbox)

    # The owner of the mailbox clicks the link without knowing that password.
    asked = anonymous.get(link)
    refused = anonymous.post(link)
    wrong = anonymous.post(link, {"password": "Mijn-eigen-wachtwoord-1"})

    assert 'name="password"' in asked.content.decode()
    assert refused.status_code == wrong.status_code == 200
    user = User.objects.get(email="slachtoffer@example.test")
    assert not user.is_active and user.never_activated
    assert Group.objects.get().status == GroupStatus.PENDING


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


def test_existing_account_with_a_wrong_password_registers_nothing_and_mails_the_owner(
    anonymous, areas, group_admin, run_tasks, mailoutbox
):
    response = anonymous.post(
        URL,
        form_data(
            email=group_admin.email, password1="Iets-anders-123", password2="Iets-anders-123"
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("groups:register_sent")
    assert not Group.objects.filter(name="Buurtpreventie Lastage").exists()
    assert User.objects.filter(email=group_admin.email).count() == 1
    run_tasks()
    (message,) = mailoutbox
    assert message.to == [group_admin.email]
    assert message.subject == "Iemand wilde een groep registreren met uw e-mailadres"
    assert "/account/wachtwoord-vergeten/" in message.body
    assert "/groep-registreren/bevestigen/" not in message.body


def test_the_answer_is_the_same_for_an_existing_and_a_new_address(anonymous, areas, group_admin):
    wrong = {"password1": "Iets-anders-123", "password2": "Iets-anders-123"}
    existing = anonymous.post(URL, form_data(email=group_admin.email, **wrong))
    new = anonymous.post(URL, form_data(email="nieuw@example.test", **wrong))

    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    assert existing.content == new.content
    assert existing.cookies.keys() == new.cookies.keys()
    pages = [anonymous.get(r["Location"]).content.decode() for r in (existing, new)]
    assert without_csrf_tokens(pages[0]) == without_csrf_tokens(pages[1])
    assert Group.objects.get().admins.get().email == "nieuw@example.test"


def test_the_form_checks_a_new_password_the_same_way_for_an_existing_address(
    anonymous, areas, group_admin
):
    weak = {"password1": "wachtwoord", "password2": "wachtwoord"}
    existing = anonymous.post(URL, form_data(email=group_admin.email, **weak))
    new = anonymous.post(URL, form_data(email="nieuw@example.test", **weak))

    assert existing.status_code == new.status_code == 200
    assert existing.context["form"].errors == new.context["form"].errors
    assert "password1" in new.context["form"].errors


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how often it hashes a password."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


def test_every_address_costs_one_password_hash(anonymous, areas, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    make_user("bestaand@example.test")
    make_user("slapend@example.test", is_active=False)
    wrong = {"password1": "Iets-anders-123", "password2": "Iets-anders-123"}
    attempts = {
        "new address": form_data(email="nieuw@example.test"),
        "existing, wrong password": form_data(email="bestaand@example.test", **wrong),
        "existing, right password": form_data(email="bestaand@example.test", name="Tweede"),
        "unconfirmed, wrong password": form_data(email="slapend@example.test", **wrong),
        "unconfirmed, right password": form_data(email="slapend@example.test", name="Derde"),
    }
    hashes = {}
    for attempt, data in attempts.items():
        CountingHasher.calls = 0
        assert anonymous.post(URL, data).status_code == 302
        hashes[attempt] = CountingHasher.calls

    assert hashes == dict.fromkeys(attempts, 1)


def test_posting_the_same_registration_again_makes_no_second_group(
    anonymous, areas, run_tasks, mailoutbox
):
    anonymous.post(URL, form_data())
    again = anonymous.post(URL, form_data(name="buurtpreventie LASTAGE"))

    assert again.status_code == 302
    assert Group.objects.count() == 1
    run_tasks()
    assert len(mailoutbox) == 1  # a double submit, not a lost mail


def test_registering_again_later_resends_the_confirmation(anonymous, areas, run_tasks, mailoutbox):
    anonymous.post(URL, form_data())
    run_tasks()

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        anonymous.post(URL, form_data())
        run_tasks()

    assert Group.objects.count() == 1
    assert len(mailoutbox) == 2
    assert (
        anonymous.post(confirmation_link(mailoutbox[1:]), {"password": PASSWORD}).status_code == 200
    )
    assert Group.objects.get().status == GroupStatus.ACTIVE


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
    for _ in range(REGISTER_POSTS_PER_IP):
        anonymous.post(URL, form_data(email="", name=""))

    response = anonymous.post(URL, form_data())

    assert response.status_code == 429
    assert not Group.objects.exists()


def register_with_overlap_step(client, **fields) -> int:
    """Post the form, see the overlap warning, tick "register anyway" and post again."""
    shown = client.post(URL, form_data(coverage="1011AD", **fields))  # group A covers 1011AD
    assert "Ik heb dit gezien, toch registreren" in shown.content.decode()
    return client.post(
        URL, form_data(coverage="1011AD", confirm_overlap="on", **fields)
    ).status_code


def test_an_information_evening_behind_one_ip_registers_fifteen_groups(anonymous, areas, group_a):
    for n in range(15):
        status = register_with_overlap_step(
            anonymous, email=f"bewoner{n}@example.test", name=f"Buurtpreventie Straat {n}"
        )
        assert status == 302, n

    assert Group.objects.filter(status=GroupStatus.PENDING).count() == 15


def test_the_overlap_step_does_not_count_as_a_registration(anonymous, areas, group_a, monkeypatch):
    monkeypatch.setattr(registration_views, "REGISTRATIONS_PER_IP", 2)

    assert register_with_overlap_step(anonymous, email="een@example.test", name="Een") == 302
    assert register_with_overlap_step(anonymous, email="twee@example.test", name="Twee") == 302
    third = anonymous.post(
        URL, form_data(email="drie@example.test", name="Drie", coverage="", confirm_overlap="on")
    )

    assert third.status_code == 429
    assert Group.objects.filter(status=GroupStatus.PENDING).count() == 2


def test_one_address_registers_at_most_five_groups_a_day_from_any_ip(areas):
    for n in range(REGISTRATIONS_PER_ADDRESS):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert client.post(URL, form_data(name=f"Groep {n}", coverage="")).status_code == 302

    response = Client(REMOTE_ADDR="198.51.100.1").post(URL, form_data(name="Nog een", coverage=""))

    assert response.status_code == 429
    assert Group.objects.count() == REGISTRATIONS_PER_ADDRESS


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
    anonymous.post(link, {"password": PASSWORD})
    deactivate_by_the_board("sanne@example.test")

    asked = anonymous.get(link)
    response = anonymous.post(link, {"password": PASSWORD})

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

    # The same answer as for any registration (no account oracle), and nothing registered.
    assert response.status_code == 302
    assert response.url == reverse("groups:register_sent")
    assert not Group.objects.filter(name="Buurtpreventie Lastage").exists()


def test_registering_again_before_confirming_still_works(anonymous, areas, run_tasks, mailoutbox):
    anonymous.post(URL, form_data())
    response = anonymous.post(URL, form_data(name="Buurtpreventie Lastage Twee", coverage=""))

    assert response.status_code == 302
    run_tasks()
    anonymous.post(
        urlsplit(re.findall(r"https?://\S+/bevestigen/\S+/", mailoutbox[-1].body)[0]).path,
        {"password": PASSWORD},
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
