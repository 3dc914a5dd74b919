"""Demo logins around one seeded group: its admin, a co-admin, its municipality's staff, a
police officer for that municipality, the board.

See wabp/demo.py. The group is one that `manage.py seed_demo` made (all its admins have the
seed's example.org addresses) with requests waiting for its admin, so the demo admin has
work to do; the same group is reused on every start.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from groups.models import (
    Group,
    GroupAdmin,
    JoinRequest,
    JoinRequestStatus,
    PoliceRequest,
    StaffRequestStatus,
)
from wabp import demo
from wabp.models import CONSENT_VERSION, User

# Every address seed_demo gives its admins ends in this (see EMAIL_DOMAINS there).
SEEDED_ADDRESSES = "example.org"
# The demo group gets open requests up to this number when it is first chosen.
OPEN_REQUESTS = 3
ADMIN, CO_ADMIN, STAFF, BOARD = "beheerder", "medebeheerder", "gemeente", "bestuur"
POLICE = "wijkagent"


def demo_group() -> Group | None:
    """The group of the demo admins: the one they run already, or a seeded one with open
    requests and a municipality. None without demo data."""
    group = Group.objects.filter(admins__email=demo.email(ADMIN)).first()
    if group is not None:
        return group
    not_seeded = User.objects.filter(administered_groups=OuterRef("pk")).exclude(
        email__endswith=SEEDED_ADDRESSES
    )
    waiting = JoinRequest.objects.awaiting_admin().filter(group=OuterRef("pk"))
    return (
        Group.objects.active()
        .filter(municipality__isnull=False, admins__isnull=False)
        .filter(Exists(waiting))
        .exclude(Exists(not_seeded))
        .order_by("pk")
        .first()
    )


def _top_up_open_requests(group: Group) -> None:
    """A few confirmed requests waiting for the admin, as residents would have sent them."""
    missing = OPEN_REQUESTS - group.join_requests.awaiting_admin().count()
    postcode = group.coverage.values_list("postcode_id", flat=True).first() or f"{group.area_id}AA"
    now = timezone.now()
    names = ["Sanne de Vries", "Ayoub El Amrani", "Henk Bakker", "Priya Jansen"]
    JoinRequest.objects.bulk_create(
        JoinRequest(
            group=group,
            name=names[n % len(names)],
            email=f"bewoner.demo.{n + 1}@example.org",
            phone=f"0612345{n:03d}",
            street=f"Dorpsstraat {n + 3}",
            postcode=postcode,
            consent_version=CONSENT_VERSION,
            status=JoinRequestStatus.PENDING,
            created_at=now - timedelta(days=n + 1, hours=2),
            confirmed_at=now - timedelta(days=n + 1, hours=1),
        )
        for n in range(max(missing, 0))
    )


@demo.maker(order=10)
def group_logins() -> list[demo.DemoLogin]:
    group = demo_group()
    if group is None:
        return []
    first_time = not group.admins.filter(email=demo.email(ADMIN)).exists()
    admin = demo.demo_user(ADMIN, first_name="Bram", last_name="Beheerder", phone="0611111111")
    co_admin = demo.demo_user(CO_ADMIN, first_name="Mira", last_name="Mede", phone="0622222222")
    for user in (admin, co_admin):
        GroupAdmin.objects.get_or_create(group=group, user=user)
    if first_time:
        _top_up_open_requests(group)
    municipality = group.municipality
    staff = demo.demo_user(
        STAFF, first_name="Gerrit", last_name="Gemeente", municipality=municipality
    )
    board = demo.demo_user(
        BOARD, first_name="Bea", last_name="Bestuur", is_staff=True, is_superuser=True
    )
    officer = demo.demo_user(POLICE, first_name="Wim", last_name="Wijkagent", is_police=True)
    police_request, _ = PoliceRequest.objects.get_or_create(
        user=officer,
        status=StaffRequestStatus.APPROVED,
        defaults={
            "email": officer.email,
            "first_name": officer.first_name,
            "last_name": officer.last_name,
            "team": f"Basisteam {municipality.name}",
            "job_title": "Wijkagent",
            "decided_at": timezone.now(),
            "decided_by": board,
        },
    )
    police_request.municipalities.add(municipality)
    for user in (staff, board, officer):
        demo.with_app(user)
    open_requests = group.join_requests.awaiting_admin().count()
    requests_url = reverse("groups:requests", kwargs={"slug": group.slug})
    return [
        demo.DemoLogin(
            f"Beheerder van {group.name}",
            admin,
            requests_url,
            f"{open_requests} aanmeldingen wachten op een besluit",
        ),
        demo.DemoLogin(f"Medebeheerder van {group.name}", co_admin, requests_url),
        demo.DemoLogin(
            f"Medewerker van de gemeente {municipality.name}",
            staff,
            municipality.get_absolute_url(),
        ),
        demo.DemoLogin(
            f"Wijkagent voor de gemeente {municipality.name}",
            officer,
            reverse("groups:police_workspace"),
        ),
        demo.DemoLogin("Bestuur (beheer van het portaal)", board, reverse("admin:index")),
    ]
