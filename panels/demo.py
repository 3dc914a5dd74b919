"""Demo login: a member of the admins' panel, with an open round to answer (see wabp/demo.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from groups.demo import demo_group
from panels.models import (
    ADMINS_PANEL,
    Membership,
    MembershipStatus,
    Panel,
    Question,
    QuestionKind,
    Round,
)
from wabp import demo

MEMBER = "panellid"
ROUND_SLUG = "demo-avondwandeling"


def _open_round(panel: Panel) -> Round:
    """A round of this panel that is open now; the demo round is made (or reopened) if none."""
    now = timezone.now()
    round = Round.objects.open().filter(panels=panel).order_by("closes_at").first()
    if round is not None:
        return round
    round, _created = Round.objects.update_or_create(
        slug=ROUND_SLUG,
        defaults={
            "title": "Een vaste avondwandeling met de buurt?",
            "introduction": (
                "Enkele groepen lopen één avond per maand samen een ronde door de wijk, "
                "soms met de wijkagent. Het bestuur wil weten of dat iets is om "
                "breder aan te bevelen."
            ),
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=13),
            "is_anonymous": True,
        },
    )
    round.panels.add(panel)
    if not round.questions.exists():
        Question.objects.create(
            round=round,
            order=1,
            kind=QuestionKind.LIKERT,
            text="Hoe zinvol vindt u een vaste avondwandeling?",
            low_label="Niet zinvol",
            high_label="Heel zinvol",
        )
        Question.objects.create(
            round=round,
            order=2,
            kind=QuestionKind.OPEN,
            text="Wat zou u erbij nodig hebben?",
            required=False,
        )
    return round


@demo.maker(order=20)
def panel_logins() -> list[demo.DemoLogin]:
    panel = Panel.objects.filter(slug=ADMINS_PANEL).first()
    if panel is None or demo_group() is None:
        return []
    member = demo.demo_user(MEMBER, first_name="Pim", last_name="Panel")
    membership, _created = Membership.objects.get_or_create(panel=panel, user=member)
    if membership.status != MembershipStatus.ACTIVE:
        membership.activate()
    round = _open_round(panel)
    return [
        demo.DemoLogin(
            f"Lid van het {panel.name}",
            member,
            reverse("panels:round", kwargs={"slug": round.slug}),
            f"open ronde: {round.title}",
        )
    ]
