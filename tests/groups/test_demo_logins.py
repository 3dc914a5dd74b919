"""Demo logins: made over seeded demo data only, with DEMO_LOGINS only, and they really log in."""

import io
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups.models import Group, JoinRequest, police_area
from panels.models import ADMINS_PANEL, Membership, Round
from tests.wabp.test_operations import production_env, run_python
from wabp import demo
from wabp.models import User

pytestmark = pytest.mark.django_db

ROLES = ["beheerder", "medebeheerder", "gemeente", "wijkagent", "panellid", "bestuur"]


@pytest.fixture
def demo_on(settings):
    settings.DEMO_LOGINS = True


@pytest.fixture
def seeded(areas):
    call_command("seed_demo", "--groups", "40", "--seed", "7", stdout=io.StringIO())


def demo_logins(tmp_path) -> str:
    out = io.StringIO()
    call_command("demo_logins", "--output", str(tmp_path / "logins.txt"), stdout=out)
    return out.getvalue()


def demo_accounts():
    return User.objects.filter(email__endswith="@" + demo.DOMAIN)


def log_in(client: Client, email: str, code: str | None = None):
    response = client.post(
        "/account/inloggen/", {"username": email, "password": demo.PASSWORD}, follow=True
    )
    if code is not None:
        assert response.request["PATH_INFO"] == "/account/inloggen/code/"
        response = client.post("/account/inloggen/code/", {"otp_token": code}, follow=True)
    return response


def test_demo_logins_are_made_over_the_seeded_data_and_written_down(demo_on, seeded, tmp_path):
    output = demo_logins(tmp_path)

    assert sorted(demo_accounts().values_list("email", flat=True)) == sorted(
        demo.email(role) for role in ROLES
    )
    admin = User.objects.get(email=demo.email("beheerder"))
    group = Group.objects.get(admins=admin)
    assert set(group.admins.filter(email__endswith=demo.DOMAIN)) == {
        admin,
        User.objects.get(email=demo.email("medebeheerder")),
    }
    assert JoinRequest.objects.awaiting_admin().filter(group=group).count() >= 3
    staff = User.objects.get(email=demo.email("gemeente"))
    assert staff.municipality == group.municipality
    board = User.objects.get(email=demo.email("bestuur"))
    assert board.is_staff and board.is_superuser
    officer = User.objects.get(email=demo.email("wijkagent"))
    assert list(police_area(officer)) == [group.municipality]
    for user in (staff, board, officer):
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    member = User.objects.get(email=demo.email("panellid"))
    assert Membership.objects.active().filter(user=member, panel__slug=ADMINS_PANEL).exists()
    assert Round.objects.open().filter(panels__slug=ADMINS_PANEL).exists()
    written = (tmp_path / "logins.txt").read_text()
    assert demo.PASSWORD in written and demo.PASSWORD in output
    for role in ROLES:
        assert demo.email(role) in written
    assert written.count("otpauth://") == 3
    assert (tmp_path / "logins.txt").stat().st_mode & 0o077 == 0


def test_every_demo_login_logs_in_with_the_printed_password(demo_on, seeded, tmp_path):
    demo_logins(tmp_path)

    for role in ["beheerder", "medebeheerder", "panellid"]:
        client = Client()
        response = log_in(client, demo.email(role))
        assert response.status_code == 200
        assert response.wsgi_request.user.email == demo.email(role)
    admin = User.objects.get(email=demo.email("beheerder"))
    group = Group.objects.get(admins=admin)
    client = Client()
    log_in(client, admin.email)
    page = client.get(f"/beheer/groep/{group.slug}/aanmeldingen/")
    assert page.status_code == 200
    pending = JoinRequest.objects.awaiting_admin().filter(group=group).first()
    assert pending.name in page.text


@pytest.mark.parametrize("role", ["gemeente", "wijkagent", "bestuur"])
def test_demo_staff_log_in_with_the_code_of_their_printed_key(demo_on, seeded, tmp_path, role):
    demo_logins(tmp_path)
    user = User.objects.get(email=demo.email(role))
    device = TOTPDevice.objects.get(user=user)

    client = Client()
    response = log_in(client, user.email, code=demo.current_code(device))

    assert response.status_code == 200
    assert response.wsgi_request.user.is_verified()
    start = {
        "bestuur": "/admin/",
        "wijkagent": "/politie/",
    }.get(role) or user.municipality.get_absolute_url()
    assert client.get(start).status_code == 200


def test_a_second_run_reuses_the_accounts_and_resets_the_password(demo_on, seeded, tmp_path):
    demo_logins(tmp_path)
    admin = User.objects.get(email=demo.email("beheerder"))
    group = Group.objects.get(admins=admin)
    admin.set_password("iets-anders-gekozen")
    admin.save()
    keys = set(TOTPDevice.objects.values_list("key", flat=True))
    requests = JoinRequest.objects.count()

    demo_logins(tmp_path)

    assert demo_accounts().count() == len(ROLES)
    assert Group.objects.get(admins__email=admin.email) == group
    assert set(TOTPDevice.objects.values_list("key", flat=True)) == keys
    assert JoinRequest.objects.count() == requests
    admin.refresh_from_db()
    assert admin.check_password(demo.PASSWORD)


def test_no_demo_accounts_without_demo_data(demo_on, areas, tmp_path):
    output = demo_logins(tmp_path)

    assert "No demo data" in output
    assert not demo_accounts().exists()
    assert not (tmp_path / "logins.txt").exists()


def test_no_demo_accounts_over_real_groups(demo_on, group_a, pending_request, tmp_path):
    # A group whose admins are real people (not seed_demo's example.org addresses).
    demo_logins(tmp_path)

    assert not demo_accounts().exists()


def test_demo_logins_refuse_when_switched_off(settings, seeded, tmp_path):
    settings.DEMO_LOGINS = False

    with pytest.raises(CommandError, match="DEMO_LOGINS is off"):
        demo_logins(tmp_path)
    assert not demo_accounts().exists()


def test_first_start_makes_no_demo_accounts_when_switched_off(settings, seeded, tmp_path):
    settings.DEMO_LOGINS = False
    settings.BASE_DIR = tmp_path  # where the board login file goes

    call_command("first_start", stdout=io.StringIO())

    assert not demo_accounts().exists()
    assert User.objects.filter(is_superuser=True).count() == 1


def test_first_start_prints_the_demo_logins_instead_of_a_random_board(
    demo_on, seeded, settings, tmp_path
):
    settings.BASE_DIR = tmp_path  # where var/demo-logins.txt goes
    out = io.StringIO()

    call_command("first_start", stdout=out)

    assert demo.PASSWORD in out.getvalue()
    assert demo.PASSWORD in (tmp_path / "var" / "demo-logins.txt").read_text()
    assert list(User.objects.filter(is_superuser=True)) == [
        User.objects.get(email=demo.email("bestuur"))
    ]


def test_demo_logins_are_off_in_production_and_the_deploy_check_says_so_when_on():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(DEMO_LOGINS="1"),
    )

    assert result.returncode != 0
    assert "wabp.W001" in result.stdout + result.stderr
    off = run_python(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEMO_LOGINS)",
        ],
        production_env(),
    )
    assert off.stdout.strip() == "False", off.stderr


def test_demo_logins_are_git_ignored():
    ignored = subprocess.run(
        ["git", "check-ignore", "var/demo-logins.txt", "var/secret_key"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.split() == ["var/demo-logins.txt", "var/secret_key"]
