"""One small, complete portal for the cross-cutting security and privacy tests.

Every persona of issue 7 exists, every kind of personal data is seeded with a unique
"canary" value, and every object a URL can point at exists once:

    group A   Amsterdam 1011, admins `admin_a` and `co_admin_a`, join requests in every state
    group B   Amsterdam 1012 (a neighbour of A), admin `admin_b`, who shares their e-mail
              address with the municipality; one pending join request
    group C   Utrecht 3511, pending registration (its confirmation link is a mailed token), and
              as if taken over from the old register (its admin holds the claim link)
    group S   Amsterdam 1012, suspended by the board, admin `admin_s`, one pending join
              request; `admin_s` opens the /beheer/ URLs of S (tests/security/urls.py)
    X, Y      the municipalities Amsterdam (of groups A and B) and Utrecht
    staff     `staff_x` works for X, `staff_y` for Y; both, and the board, set up their
              authenticator app (their clients are verified with it, as after the code step)
    new board `new_board_member`, who has not set up the app yet
    panel     the admins' panel with `member`, an open named round with an attachment, which
              the member answered with a canary text
    police    `police_x` is a police officer for X, `police_y` for Y (approved by the board,
              with their authenticator app set up, like the staff)
    staff req a municipality employee's staff request for X, not yet verified (its link is a
              mailed token)
    course    a published course; `admin_a` and `learner` passed it and hold certificates

The link holder ("resident") is an anonymous visitor holding every mailed link (join request
status and confirmation, waiting list, invitations, activation, registration, "still active?",
the staff request's verification).

The password-only personas (PASSWORD_ONLY) have entered their password but no code yet:
`staff_x_unverified` is X's staff member, `board_unverified` the new board member.
`not_invitee` holds the admin invitation's real link too (it was forwarded to them), but is
logged in with another address than the invited one.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from elearning.models import Certificate
from groups.mail import send_join_confirmation
from groups.models import (
    Broadcast,
    GroupStatus,
    Invitation,
    PoliceRequest,
    RegisterEntry,
    SignRequest,
    StaffRequest,
    StaffRequestStatus,
    WaitingListEntry,
)
from groups.tokens import (
    claim_token,
    confirmation_path,
    police_request_token,
    reconfirm_token,
    staff_request_token,
)
from panels.models import PanelInvitation, token_hash
from postcodes.models import Area, Municipality
from tests.conftest import make_user
from tests.elearning.conftest import make_course, right_answers
from tests.groups.conftest import load_areas, make_group, make_join_request
from tests.panels.conftest import add_member, admins_panel, answer_data, make_round
from tests.support import log_in
from wabp.models import User
from wabp.signed import activation_token, email_change_token

try:
    from groups.tokens import unsubscribe_token
except ImportError:  # before the board's broadcasts land
    unsubscribe_token = None

PERSONAS = (
    "anonymous",
    "resident",
    "admin_a",
    "admin_b",
    "staff_x",
    "staff_y",
    "member",
    "board",
    "not_invitee",
    "admin_s",
    "police_x",
    "police_y",
)
# Personas that are not logged in.
ANONYMOUS = ("anonymous", "resident")
# Personas logged in with their password only, no second factor yet (persona -> user).
PASSWORD_ONLY = {"staff_x_unverified": "staff_x", "board_unverified": "new_board_member"}
# Who, besides the link holder ("resident"), holds a mailed link, by URL pattern name.
ALSO_HOLDS_THE_LINK = {"groups:invitation": ("not_invitee",)}

AREAS = ["1011", "1012", "3511"]
EMAIL_A = "anna.zwaluwstaart@example.test"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Canary:
    """A unique personal value seeded into the database, and whose it is."""

    key: str  # e.g. "admin_a.email"
    value: str
    owner: str  # who the value belongs to, e.g. "admin_a", "join_pending_a", "waiting_1"


@dataclass
class World:
    users: dict[str, User]
    groups: dict
    municipalities: dict[str, Municipality]
    join_requests: dict
    # What the link holder holds, by URL pattern name; a callable is asked at request time
    # (a password reset token depends on the last login).
    tokens: dict
    objects: dict = field(default_factory=dict)
    canaries: list[Canary] = field(default_factory=list)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona in PASSWORD_ONLY:
            client.force_login(self.users[PASSWORD_ONLY[persona]])
        elif persona not in ANONYMOUS:
            log_in(client, self.users[persona])
        return client


def build_world(settings, tmp_path) -> World:
    """Create the whole portal (see the module docstring); about 40 rows, no postcode import."""
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    areas = load_areas(AREAS)
    x, y = areas["1011"].municipality, areas["3511"].municipality
    assert x == areas["1012"].municipality and x != y

    canaries: list[Canary] = []

    def person(key: str, email: str, first: str, last: str, phone: str, **fields) -> User:
        user = make_user(email, first_name=first, last_name=last, phone=phone, **fields)
        canaries.extend(
            [
                Canary(f"{key}.email", email, key),
                Canary(f"{key}.last_name", last, key),
                Canary(f"{key}.phone", phone, key),
            ]
        )
        return user

    users = {
        "admin_a": person("admin_a", EMAIL_A, "Anna", "Zwaluwstaart", "0611000101"),
        "co_admin_a": person(
            "co_admin_a", "carl.merelbek@example.test", "Carl", "Merelbeksma", "0611000102"
        ),
        "admin_b": person(
            "admin_b",
            "bert.roodborst@example.test",
            "Bert",
            "Roodborstel",
            "0611000201",
            share_email_with_municipality=True,
        ),
        "staff_x": person(
            "staff_x",
            "xandra.ijsvogel@amsterdam.example.test",
            "Xandra",
            "IJsvogelaar",
            "0611000301",
            municipality=x,
        ),
        "staff_y": person(
            "staff_y",
            "yvo.grutto@utrecht.example.test",
            "Yvo",
            "Gruttoboom",
            "0611000401",
            municipality=y,
        ),
        "member": person("member", "pim.kievit@example.test", "Pim", "Kievitsbloem", "0611000501"),
        "learner": person(
            "learner", "lies.spreeuw@example.test", "Lies", "Spreeuwenberg", "0611000601"
        ),
        "registrant": person(
            "registrant",
            "rob.fuut@example.test",
            "Rob",
            "Futenhoek",
            "0611000701",
            is_active=False,
        ),
        "newcomer": person(
            "newcomer",
            "nina.tjiftjaf@example.test",
            "Nina",
            "Tjiftjafsma",
            "0611000801",
            is_active=False,
        ),
        "not_invitee": person(
            "not_invitee", "otto.doorgestuurd@example.test", "Otto", "Fitisvogelaar", "0611000901"
        ),
        "admin_s": person(
            "admin_s", "sem.slechtvalk@example.test", "Sem", "Slechtvalkenburg", "0611000902"
        ),
        "police_x": person(
            "police_x",
            "petra.havikshorst@politie.nl",
            "Petra",
            "Havikshorst",
            "0611000951",
            is_police=True,
        ),
        "police_y": person(
            "police_y",
            "quinten.sperwerhof@politie.nl",
            "Quinten",
            "Sperwerhof",
            "0611000952",
            is_police=True,
        ),
        "board": User.objects.create_superuser(
            email="bestuur.security@wabp.test", password="x", first_name="Bea"
        ),
        "new_board_member": User.objects.create_superuser(
            email="nieuw.bestuur.security@wabp.test", password="x", first_name="Noor"
        ),
    }
    for key in ("staff_x", "staff_y", "police_x", "police_y", "board"):
        TOTPDevice.objects.create(user=users[key], name="Authenticator-app")
    # The police officers' access, approved by the board: X's officer for X, Y's for Y.
    for key, municipality in (("police_x", x), ("police_y", y)):
        user = users[key]
        police_request = PoliceRequest.objects.create(
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            team=f"Basisteam {municipality.name}",
            job_title="Wijkagent",
            status=StaffRequestStatus.APPROVED,
            decided_at=now,
            decided_by=users["board"],
            user=user,
        )
        police_request.municipalities.set([municipality])

    group_a = make_group(
        "Buurtpreventie Nieuwmarkt",
        areas["1011"],
        postcodes=["1011AB", "1011AC", "1011AD"],
        admins=[users["admin_a"], users["co_admin_a"]],
        street="Rond de Nieuwmarkt",
    )
    group_b = make_group("Buurtwacht Dam", areas["1012"], admins=[users["admin_b"]])
    group_c = make_group(
        "Buurtapp Domplein",
        areas["3511"],
        admins=[users["registrant"]],
        status=GroupStatus.PENDING,
    )

    group_s = make_group(
        "Buurtwacht Damrak", areas["1012"], postcodes=["1012AB"], admins=[users["admin_s"]]
    )

    # Residents: a join request in every state for A, one for B, one for S.
    join_requests = {}
    streets = {
        "unconfirmed": "Kwikstaartsteeg 7",
        "pending": "Boomklevergracht 12",
        "accepted": "Goudvinkhof 3",
        "declined": "Wielewaalpad 44",
    }
    for n, (status, street) in enumerate(streets.items()):
        key = f"join_{status}_a"
        name = f"Resi {['Tureluur', 'Grauwgans', 'Pestvogel', 'Zilverreiger'][n]}"
        email = f"bewoner.{status}.a@example.test"
        phone = f"061200010{n}"
        join_requests[key] = make_join_request(
            group_a, status=status, name=name, email=email, phone=phone, street=street
        )
        canaries.extend(
            [
                Canary(f"{key}.name", name.split()[1], key),
                Canary(f"{key}.email", email, key),
                Canary(f"{key}.phone", phone, key),
                Canary(f"{key}.street", street, key),
                # The status link is the resident's key to their request.
                Canary(f"{key}.token", join_requests[key].token, key),
            ]
        )
    # The confirmation mail sits in the outbox, as after a real request.
    send_join_confirmation(join_requests["join_unconfirmed_a"])
    join_requests["join_pending_b"] = make_join_request(
        group_b,
        name="Resi Kwartelkoning",
        email="bewoner.pending.b@example.test",
        phone="0612000201",
        street="Roerdompkade 9",
    )
    canaries.extend(
        [
            Canary("join_pending_b.name", "Kwartelkoning", "join_pending_b"),
            Canary("join_pending_b.email", "bewoner.pending.b@example.test", "join_pending_b"),
            Canary("join_pending_b.phone", "0612000201", "join_pending_b"),
            Canary("join_pending_b.street", "Roerdompkade 9", "join_pending_b"),
        ]
    )

    join_requests["join_pending_s"] = make_join_request(
        group_s,
        name="Resi Velduil",
        email="bewoner.pending.s@example.test",
        phone="0612000301",
        street="Oeverzwaluwsteeg 5",
        postcode="1012AB",
    )
    canaries.extend(
        [
            Canary("join_pending_s.name", "Velduil", "join_pending_s"),
            Canary("join_pending_s.email", "bewoner.pending.s@example.test", "join_pending_s"),
            Canary("join_pending_s.phone", "0612000301", "join_pending_s"),
            Canary("join_pending_s.street", "Oeverzwaluwsteeg 5", "join_pending_s"),
        ]
    )
    # Suspended after the request came in: its admin may no longer see it.
    group_s.suspend()

    # Waiting list: a confirmed and an unconfirmed address.
    waiting_confirmed = WaitingListEntry.objects.create(
        area=Area.objects.get(code="3511"), email="wacht.bevestigd@example.test", confirmed_at=now
    )
    waiting_unconfirmed = WaitingListEntry.objects.create(
        area=Area.objects.get(code="1012"), email="wacht.onbevestigd@example.test"
    )
    canaries += [
        Canary("waiting_confirmed.email", waiting_confirmed.email, "waiting_confirmed"),
        Canary("waiting_unconfirmed.email", waiting_unconfirmed.email, "waiting_unconfirmed"),
    ]

    # An admin invitation for group A, to an address without an account yet.
    invitation = Invitation.objects.create(
        group=group_a, email="ivo.uitgenodigd@example.test", invited_by=users["admin_a"]
    )
    canaries.append(Canary("invitee.email", invitation.email, "invitee"))

    # A panel invitation to someone new.
    panel = admins_panel()
    panel_token = "panel-uitnodiging-voor-de-beveiligingstest"
    panel_invitation = PanelInvitation.objects.create(
        panel=panel,
        email="pia.panelgast@example.test",
        sent_at=now,
        expires_at=now + timedelta(days=7),
    )
    PanelInvitation.objects.filter(pk=panel_invitation.pk).update(
        token_hash=token_hash(panel_token)
    )
    canaries.append(Canary("panel_invitee.email", panel_invitation.email, "panel_invitee"))

    # The panel: a member who answered an open round on name, with an attachment.
    add_member(panel, users["member"])
    round_ = make_round(panel, anonymous=False, slug="werkwijze-test")
    round_.attachment = SimpleUploadedFile("notitie.pdf", PDF)
    round_.save()
    answer = "Meer uitleg over de Grasmusmethode graag"
    round_.record_answers(
        users["member"],
        _answers(round_, answer),
    )
    canaries.append(Canary("member.answer", "Grasmusmethode", "member"))

    # E-learning: admin A and the learner passed the course.
    course = make_course("veilig-appen")
    attempts = {}
    for key in ("admin_a", "learner"):
        answers = {pk: [str(c) for c in choices] for pk, choices in right_answers(course).items()}
        attempts[key] = course.submit_attempt(users[key], answers)
    certificates = {
        key: Certificate.objects.get(user=users[key], course=course) for key in attempts
    }

    # A sign request by admin A, for municipality X.
    sign_request = SignRequest.objects.create(
        group=group_a,
        requested_by=users["admin_a"],
        municipality=x,
        street="Nieuwmarkt hoek Zeedijk",
        reason="Veel inbraken in de winter.",
    )

    # A municipality employee's staff request for X, its address not verified yet.
    staff_request = StaffRequest.objects.create(
        municipality=x,
        email="medewerker.aanvraag@example.test",
        first_name="Mees",
        last_name="Aanvrager",
        job_title="Wijkcoördinator",
    )

    # Police access (groups.policeaccess): an officer's request for X, not verified yet.
    unverified_police_request = PoliceRequest.objects.create(
        email="agent.aanvraag@politie.nl",
        first_name="Anouk",
        last_name="Aanvrager",
        team="Basisteam Centrum",
        job_title="Wijkagent",
    )
    unverified_police_request.municipalities.set([x])

    # What the link holder holds: real tokens (everyone else gets a forged one).
    uid = urlsafe_base64_encode(force_bytes(users["newcomer"].pk))
    reset_uid = urlsafe_base64_encode(force_bytes(users["admin_a"].pk))

    def reset_token():
        return reset_uid, default_token_generator.make_token(User.objects.get(email=EMAIL_A))

    # Group C as if taken over from the old register: its admin's "claim your group" link.
    RegisterEntry.objects.create(
        group=group_c, key="nr:security", admin=users["registrant"], fingerprint="-"
    )

    tokens = {
        "groups:claim": lambda: claim_token(User.objects.get(pk=users["registrant"].pk)),
        "groups:join_status": join_requests["join_pending_a"].token,
        "groups:join_confirm": join_requests["join_unconfirmed_a"].token,
        "groups:waitinglist_confirm": waiting_unconfirmed.token,
        "groups:waitinglist_delete": waiting_confirmed.token,
        "groups:staff_request_verify": staff_request_token(staff_request),
        "groups:police_request_verify": police_request_token(unverified_police_request),
        "groups:invitation": invitation.token,
        "groups:reconfirm": reconfirm_token(group_a),
        "groups:register_confirm": confirmation_path(group_c, users["registrant"]).split("/")[-2],
        "panels:invitation": panel_token,
        "activate": (uid, activation_token.make_token(users["newcomer"])),
        "password_reset_confirm": reset_token,
        "confirm_email": (reset_uid, email_change_token.make_token(users["admin_a"])),
    }
    broadcast = None
    if unsubscribe_token is not None:  # the board's broadcasts
        tokens["groups:broadcast_unsubscribe"] = unsubscribe_token(users["admin_a"])
        tokens["groups:broadcast_unsubscribe_one_click"] = tokens["groups:broadcast_unsubscribe"]
        broadcast = Broadcast.objects.create(
            subject="Nieuws van het bestuur", body="Beste beheerders,", created_by=users["board"]
        )

    # Area messages (issue #16, part 3): X's officer sent one to the admins of A and B; the
    # opt-out link in admin A's copy.
    from groups.areamessages.delivery import send_area_message, sender_for
    from groups.models import SenderType
    from groups.tokens import area_message_opt_out_token

    area_message, _created = send_area_message(
        sender_for(users["police_x"]),
        subject="Inbraken rond de Nieuwmarkt",
        body="Let op open ramen.",
        reason="Drie inbraken deze week",
        reference="BVH/2026/000001",
        valid_until=now + timedelta(hours=24),
        area_codes=["1011", "1012"],
    )
    tokens["groups:area_message_opt_out"] = area_message_opt_out_token(
        users["admin_a"], SenderType.POLICE
    )
    tokens["groups:area_message_opt_out_one_click"] = tokens["groups:area_message_opt_out"]

    # The monthly test (issue #17, part 4): the links in admin A's reminder for group A.
    from groups.models import GroupAdmin, first_of_month
    from groups.tokens import monthly_test_stop_token, monthly_test_token

    membership_a = GroupAdmin.objects.get(group=group_a, user=users["admin_a"])
    tokens["groups:monthly_test_confirm"] = monthly_test_token(
        membership_a, first_of_month(timezone.localdate())
    )
    tokens["groups:monthly_test_stop"] = monthly_test_stop_token(membership_a)
    tokens["groups:monthly_test_stop_one_click"] = tokens["groups:monthly_test_stop"]

    # Prevention tips (issue #17, part 3): one published tip; admin A's unsubscribe link.
    from groups.models import Tip, TipTheme
    from groups.tokens import tip_unsubscribe_token

    Tip.objects.create(
        slug="licht-aan",
        theme=TipTheme.DARK_EVENINGS,
        months=[11, 12],
        title="Doe het licht aan",
        body="Laat een lamp branden.",
        chat_message="Tip: laat een lamp branden.",
    )
    tokens["groups:tip_unsubscribe"] = tip_unsubscribe_token(users["admin_a"])
    tokens["groups:tip_unsubscribe_one_click"] = tokens["groups:tip_unsubscribe"]

    return World(
        users=users,
        groups={"a": group_a, "b": group_b, "c": group_c, "s": group_s},
        municipalities={"x": x, "y": y},
        join_requests=join_requests,
        tokens=tokens,
        objects={
            "panel": panel,
            "round": round_,
            "course": course,
            "attempt_a": attempts["admin_a"],
            "certificate_a": certificates["admin_a"],
            "certificate_learner": certificates["learner"],
            "sign_request": sign_request,
            "invitation": invitation,
            "co_admin_a_membership": group_a.memberships.get(user=users["co_admin_a"]),
            "waiting_confirmed": waiting_confirmed,
            "waiting_unconfirmed": waiting_unconfirmed,
            "broadcast": broadcast,
            "area_message": area_message,
        },
        canaries=canaries,
    )


def _answers(round_, text: str) -> dict:
    """The answer form's cleaned answers for `round_`, with `text` as the open answer."""
    from panels.forms import AnswerForm

    form = AnswerForm(
        answer_data(round_, text=text), round=round_, questions=round_.questions.all()
    )
    assert form.is_valid(), form.errors
    return form.answers()
