"""Taking over the old register: import_groups, the paced claim mails and claiming a group."""

import re
from datetime import timedelta
from io import StringIO
from itertools import pairwise
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groups.models import Coverage, Group, GroupAdmin, GroupStatus, RegisterEntry
from groups.takeover.claims import CLAIM_MAIL_INTERVAL, send_claim_mails
from groups.takeover.register import COLUMN_NAMES, import_register
from postcodes.models import Area
from tests.groups.conftest import make_group
from tests.support import log_in
from wabp.models import Consent, OutboundEmail, User

SAMPLE = Path(__file__).resolve().parents[2] / "groups" / "takeover" / "sample_register.csv"
HEADER = ";".join(COLUMN_NAMES)
NEW_PASSWORD = "Nieuw-buurt-wachtwoord-77"


def run_import(path: Path, *args) -> str:
    out = StringIO()
    call_command("import_groups", str(path), *args, stdout=out)
    return out.getvalue()


def register_file(tmp_path: Path, *rows: str, name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def row(number="1", name="Buurtwacht Test", postcode="1011", email="test@voorbeeld.test", **more):
    values = {
        "nummer": number,
        "groepsnaam": name,
        "platform": "WhatsApp",
        "postcode": postcode,
        "plaats": "",
        "postcodes": "",
        "straten": "",
        "gemeente_aangemeld": "ja",
        "politie_aangemeld": "nee",
        "beheerder_naam": "Test Persoon",
        "beheerder_email": email,
        "beheerder_telefoon": "",
        "datum_aangemeld": "2019-03-28",
    } | more
    return ";".join(values[column] for column in COLUMN_NAMES)


@pytest.fixture
def sample(some_postcodes):
    output = run_import(SAMPLE)
    assert "created 7, updated 0, unchanged 0, rejected 0" in output
    return output


# Importing ----------------------------------------------------------------------------------


def test_sample_register_creates_live_groups_with_inactive_admin_accounts(sample):
    group = Group.objects.get(name="BuurtApp Domplein")
    assert group.status == GroupStatus.ACTIVE
    assert group.platform == "signal"
    assert group.area_id == "3511"
    assert group.municipality.name == "Utrecht"
    assert group.registered_with_police and not group.registered_with_municipality
    assert group.created_at.date().isoformat() == "2018-01-30"
    assert group.last_confirmed_at is None and group.awaits_claim
    covered = set(group.coverage.values_list("postcode_id", flat=True))
    assert {"3511AA", "3511AD"} <= covered and any(code.startswith("3512") for code in covered)

    admin = User.objects.get(email="chantal.bakker@voorbeeld.test")
    assert (admin.first_name, admin.last_name, admin.phone) == ("Chantal", "Bakker", "030 1234567")
    # Not verified: inactive, never activated, no password, no consent given here.
    assert not admin.is_active and admin.never_activated and not admin.has_usable_password()
    assert not Consent.objects.filter(user=admin).exists()
    assert list(group.admins.all()) == [admin]

    # One admin of two groups has one account.
    dirk = User.objects.get(email="dirk.smit@voorbeeld.test")
    assert dirk.administered_groups.count() == 2


def test_import_sends_no_mail(sample, run_tasks):
    run_tasks()
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_rerun_of_the_same_file_changes_nothing(sample):
    before = list(Group.objects.order_by("pk").values())
    entries = list(RegisterEntry.objects.order_by("pk").values())
    coverage = Coverage.objects.count()

    output = run_import(SAMPLE)

    assert "created 0, updated 0, unchanged 7, rejected 0" in output
    assert list(Group.objects.order_by("pk").values()) == before
    assert list(RegisterEntry.objects.order_by("pk").values()) == entries
    assert Coverage.objects.count() == coverage
    assert User.objects.count() == 6


def test_a_changed_row_updates_its_unclaimed_group(some_postcodes, tmp_path):
    run_import(register_file(tmp_path, row(postcodes="1011AB")))
    changed = row(name="Buurtwacht Test Noord", platform="Signal", postcodes="1011AC, 1011AD")

    output = run_import(register_file(tmp_path, changed, name="v2.csv"))

    assert "created 0, updated 1, unchanged 0, rejected 0" in output
    group = Group.objects.get()
    assert (group.name, group.platform) == ("Buurtwacht Test Noord", "signal")
    assert sorted(group.coverage.values_list("postcode_id", flat=True)) == ["1011AC", "1011AD"]


def test_a_new_admin_in_the_register_replaces_the_one_who_never_claimed(some_postcodes, tmp_path):
    run_import(register_file(tmp_path, row(email="oud@voorbeeld.test")))
    run_import(register_file(tmp_path, row(email="nieuw@voorbeeld.test"), name="v2.csv"))

    group = Group.objects.get()
    assert [u.email for u in group.admins.all()] == ["nieuw@voorbeeld.test"]
    assert group.register_entry.admin.email == "nieuw@voorbeeld.test"


def test_a_claimed_group_is_no_longer_changed_by_the_register(some_postcodes, tmp_path):
    run_import(register_file(tmp_path, row()))
    RegisterEntry.objects.get().claim()

    output = run_import(register_file(tmp_path, row(name="Andere Naam"), name="v2.csv"))

    assert "created 0, updated 0, unchanged 1, rejected 0" in output
    assert "al bevestigd" in output
    assert Group.objects.get().name == "Buurtwacht Test"


def test_rejected_rows_are_reported_with_their_reason(some_postcodes, tmp_path):
    make_group("Buurtwacht Al Hier", "1012", admins=[User.objects.create_user("a@b.test")])
    path = register_file(
        tmp_path,
        row("1", "Goede Groep"),
        row("2", "Slechte Postcode", postcode="12AB"),
        row("3", "Onbekend Gebied", postcode="0999"),
        row("4", ""),
        row("5", "Slecht Adres", email="geen-adres"),
        row("1", "Zelfde Nummer"),
        row("7", "goede  groep"),
        row("8", "Buurtwacht al hier", postcode="1012"),
    )

    report = import_register(path.open(encoding="utf-8"))
    output = run_import(path)

    reasons = {r.line: " ".join(r.reasons) for r in report.rows if r.outcome == "rejected"}
    assert report.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 7}
    assert "Postcode '12AB'" in reasons[3]
    assert "begint niet met een 0" in reasons[4]
    assert "naam van de groep ontbreekt" in reasons[5]
    assert "'geen-adres' is geen e-mailadres" in reasons[6]
    assert "regel 2" in reasons[7]  # the same register number
    assert "regel 2" in reasons[8]  # the same name in the same area
    assert "al op het portaal geregistreerd" in reasons[9]
    for line in reasons:
        assert f"line {line} rejected" in output
    assert Group.objects.filter(register_entry__isnull=False).count() == 1


def test_parts_of_a_row_that_cannot_be_read_are_warnings(some_postcodes, tmp_path):
    path = register_file(
        tmp_path,
        row(postcodes="1011AB, 9999ZZ", platform="Hyves", beheerder_telefoon="bel mij"),
    )

    output = run_import(path)

    assert "line 2 created" in output
    assert "9999ZZ" in output and "Hyves" in output and "beheerder_telefoon" in output
    group = Group.objects.get()
    assert group.platform == "other"
    assert list(group.coverage.values_list("postcode_id", flat=True)) == ["1011AB"]


def test_dry_run_saves_nothing(some_postcodes):
    output = run_import(SAMPLE, "--dry-run")

    assert "would be created 7" in output
    assert not Group.objects.exists() and not User.objects.exists()


def test_a_file_without_the_required_columns_is_refused(some_postcodes, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "other.csv"
    path.write_text("naam,adres\nA,B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="groepsnaam"):
        run_import(path)


def test_a_generated_register_of_9300_groups_imports_and_reruns_unchanged(some_postcodes, tmp_path):
    areas = list(Area.objects.order_by("code").values_list("code", flat=True))
    with_pc6 = sorted({code for code in areas if code in {"1011", "1012", "3511", "9401"}})
    rows = []
    for n in range(9300):
        area = areas[n % len(areas)]
        # Every 10th admin runs two groups; some groups list their coverage.
        rows.append(
            row(
                str(n),
                f"Buurtpreventie {n}",
                area,
                f"beheerder{n - n % 10 if n % 10 == 1 else n}@voorbeeld.test",
                postcodes=with_pc6[n % len(with_pc6)] if n % 50 == 0 else "",
                beheerder_telefoon=f"06 {10000000 + n}",
            )
        )
    path = register_file(tmp_path, *rows)

    assert "created 9300, updated 0, unchanged 0, rejected 0" in run_import(path)
    assert Group.objects.active().count() == 9300
    assert RegisterEntry.objects.unclaimed().count() == 9300
    assert GroupAdmin.objects.count() == 9300
    assert User.objects.count() == 9300 - 930
    assert Coverage.objects.exists()
    assert OutboundEmail.objects.count() == 0

    assert "created 0, updated 0, unchanged 9300, rejected 0" in run_import(path)
    assert Group.objects.count() == 9300


# Claim mails --------------------------------------------------------------------------------


def test_claim_mails_go_out_paced_through_the_outbox(sample, run_tasks):
    out = StringIO()
    call_command("send_claim_mails", "--limit", "3", stdout=out)

    claims = list(OutboundEmail.objects.filter(kind="group_claim").order_by("next_attempt_at"))
    assert len(claims) == 3 and "queued 3 claim mails" in out.getvalue()
    moments = [email.next_attempt_at for email in claims]
    assert [b - a for a, b in pairwise(moments)] == [CLAIM_MAIL_INTERVAL] * 2
    runs = sorted(DBTaskResult.objects.values_list("run_after", flat=True))
    assert runs == moments

    # A second run continues after the last mail waiting; nobody gets a second mail.
    assert send_claim_mails(limit=100) == 3  # six admins in all
    later = OutboundEmail.objects.filter(kind="group_claim").order_by("next_attempt_at")
    assert later[3].next_attempt_at == moments[-1] + CLAIM_MAIL_INTERVAL
    assert send_claim_mails(limit=100) == 0
    assert sorted(later.values_list("to", flat=True)) == sorted(
        User.objects.values_list("email", flat=True)
    )

    # Only what is due is delivered: the first mail now, the rest at their moment.
    run_tasks()
    assert len(mail.outbox) == 1


def test_an_admin_of_two_groups_gets_one_mail_naming_both(sample):
    send_claim_mails(limit=100)

    [email] = OutboundEmail.objects.filter(to="dirk.smit@voorbeeld.test")
    assert "WABP Assen Centrum" in email.body and "WABP Assen Noord" in email.body
    assert "2 groepen" in email.subject


# Claiming -----------------------------------------------------------------------------------


def claim_url(email: str) -> str:
    send_claim_mails(limit=100)
    body = OutboundEmail.objects.get(to=email, kind="group_claim").body
    return re.search(r"https?://\S+(/groep-bevestigen/\S+/)", body).group(1)


def claim_post(**more) -> dict:
    return {
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "details_correct": "on",
        "consent_privacy": "on",
        "consent_house_rules": "on",
    } | more


def test_claimed_group_admin_sets_a_password_logs_in_and_manages_the_group(sample, client):
    url = claim_url("chantal.bakker@voorbeeld.test")
    group = Group.objects.get(name="BuurtApp Domplein")

    page = client.get(url)
    assert page.status_code == 200 and "BuurtApp Domplein" in page.text

    response = client.post(url, claim_post())

    assert response.status_code == 302 and response.url == reverse("groups:dashboard")
    admin = User.objects.get(email="chantal.bakker@voorbeeld.test")
    assert admin.is_active and admin.check_password(NEW_PASSWORD)
    assert Consent.objects.filter(user=admin).count() == 2
    group.refresh_from_db()
    assert group.last_confirmed_at is not None and not group.awaits_claim

    client.post(reverse("logout"))
    login = client.post(
        reverse("login"), {"username": admin.email, "password": NEW_PASSWORD}, follow=True
    )
    assert login.context["user"] == admin
    assert client.get(reverse("groups:manage", kwargs={"slug": group.slug})).status_code == 200

    # The link was used: it says so kindly.
    client.post(reverse("logout"))
    again = client.get(url)
    assert again.status_code == 200 and "al bevestigd" in again.text


def test_claiming_needs_the_admins_word_on_the_details(sample, client):
    url = claim_url("anke.devries@voorbeeld.test")

    response = client.post(url, claim_post(details_correct=""))

    assert response.status_code == 200
    assert RegisterEntry.objects.get(group__name__contains="Nieuwmarkt").claimed_at is None
    assert not User.objects.get(email="anke.devries@voorbeeld.test").is_active


def test_a_forged_claim_link_does_nothing(sample, client):
    response = client.get(reverse("groups:claim", kwargs={"token": "vervalst"}))
    assert response.status_code == 404


def test_a_claim_link_dies_when_someone_else_signs_up_with_the_address(sample, client):
    url = claim_url("bram.jansen@voorbeeld.test")
    client.post(
        reverse("signup"),
        {
            "first_name": "Kaper",
            "email": "bram.jansen@voorbeeld.test",
            "password1": "Kaper-wachtwoord-123",
            "password2": "Kaper-wachtwoord-123",
            "accept_privacy": "on",
        },
    )
    assert client.get(url).status_code == 404


def test_wachtwoord_vergeten_reaches_an_imported_admin_who_then_claims_with_it(sample, client):
    email = "esra.yilmaz@voorbeeld.test"
    url = claim_url(email)

    client.post(reverse("password_reset"), {"email": email})
    reset = OutboundEmail.objects.get(to=email, kind="password_reset")
    reset_path = re.search(r"https?://\S+?(/\S+/)\s", reset.body + " ").group(1)
    form_page = client.get(reset_path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    user = User.objects.get(email=email)
    assert user.is_active and user.check_password(NEW_PASSWORD)

    # The claim link now asks for that password instead of a new one.
    client.post(reverse("logout"))
    page = client.get(url)
    assert page.status_code == 200 and 'name="password"' in page.text
    response = client.post(url, claim_post(password=NEW_PASSWORD))
    assert response.status_code == 302
    assert not Group.objects.get(name="Buurtpreventie Meppel Oost").awaits_claim


# The public page -----------------------------------------------------------------------------


def test_unclaimed_group_is_shown_as_not_yet_confirmed_without_its_admins_details(sample, client):
    group = Group.objects.get(name="WhatsApp Buurtpreventie Nieuwmarkt")

    page = client.get(group.get_absolute_url())

    assert page.status_code == 200
    assert "nog niet bevestigd" in page.text
    for secret in ("anke.devries@voorbeeld.test", "06 12345601", "Vries"):
        assert secret not in page.text


# Around it -----------------------------------------------------------------------------------


def test_the_board_sees_who_claimed_and_who_was_mailed(sample, client, board):
    send_claim_mails(limit=1)
    log_in(client, board)

    page = client.get(reverse("admin:groups_registerentry_changelist") + "?claimed_at__isempty=1")

    assert page.status_code == 200
    assert "BuurtApp Domplein" in page.text and "nr:1003" in page.text


def test_retention_keeps_the_accounts_of_unclaimed_imported_groups(sample):
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        call_command("purge_expired", stdout=StringIO())

    assert User.objects.count() == 6
    assert Group.objects.count() == 7


def test_a_suspended_group_is_left_out_of_the_claim_mail(sample):
    Group.objects.get(name="WABP Assen Noord").suspend()
    Group.objects.get(name="BuurtApp Domplein").suspend()

    send_claim_mails(limit=100)

    [email] = OutboundEmail.objects.filter(to="dirk.smit@voorbeeld.test")
    assert "WABP Assen Centrum" in email.body and "WABP Assen Noord" not in email.body
    assert not OutboundEmail.objects.filter(to="chantal.bakker@voorbeeld.test").exists()
