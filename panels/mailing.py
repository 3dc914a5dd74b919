"""Round mail: the invitation when a round opens, one reminder, the results notice.

Each (round, member, kind) is recorded in PanelMail in the same transaction as
the outbox row, so every mail goes out once however often this runs. Only
active members of a target panel get mail: leaving a panel stops it.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from panels.mail import send_results_notice, send_round_invitation, send_round_reminder
from panels.models import (
    REMINDER_BEFORE_CLOSE,
    PanelMail,
    PanelMailKind,
    Participation,
    Round,
)

SENDERS = {
    PanelMailKind.INVITATION: send_round_invitation,
    PanelMailKind.REMINDER: send_round_reminder,
    PanelMailKind.RESULTS: send_results_notice,
}


@dataclass
class Sent:
    invitations: int = 0
    reminders: int = 0
    results: int = 0
    shuffled: int = 0

    def __str__(self) -> str:
        return (
            f"{self.invitations} invitations, {self.reminders} reminders, "
            f"{self.results} results notices, {self.shuffled} anonymous responses reshuffled"
        )


def recipients(round: Round, kind: str):
    """Active members of the round's panels who have not had this mail yet."""
    users = round.audience().exclude(
        Exists(PanelMail.objects.filter(round=round, user=OuterRef("pk"), kind=kind))
    )
    if kind == PanelMailKind.REMINDER:
        users = users.exclude(
            Exists(Participation.objects.filter(round=round, user=OuterRef("pk")))
        )
    return users.order_by("pk")


def due_kinds(round: Round) -> list[str]:
    """Which mails this round needs now."""
    now = timezone.now()
    kinds = []
    if round.opens_at <= now < round.closes_at:
        kinds.append(PanelMailKind.INVITATION)
        if now >= round.closes_at - REMINDER_BEFORE_CLOSE:
            kinds.append(PanelMailKind.REMINDER)
    if round.is_published:
        kinds.append(PanelMailKind.RESULTS)
    return kinds


def send_round_mail(round: Round, kinds: list[str] | None = None, dry_run: bool = False) -> Sent:
    sent = Sent()
    counters = {
        PanelMailKind.INVITATION: "invitations",
        PanelMailKind.REMINDER: "reminders",
        PanelMailKind.RESULTS: "results",
    }
    for kind in kinds if kinds is not None else due_kinds(round):
        for user in recipients(round, kind):
            if dry_run:
                setattr(sent, counters[kind], getattr(sent, counters[kind]) + 1)
                continue
            try:
                with transaction.atomic():
                    PanelMail.objects.create(round=round, user=user, kind=kind)
                    SENDERS[kind](round, user)
            except IntegrityError:
                continue  # another run sent this one at the same moment
            setattr(sent, counters[kind], getattr(sent, counters[kind]) + 1)
    return sent


def send_all_round_mail(dry_run: bool = False) -> Sent:
    """Every open or published round: send what is due; reshuffle closed anonymous rounds."""
    total = Sent()
    now = timezone.now()
    rounds = Round.objects.filter(opens_at__lte=now).exclude(
        closes_at__lte=now, results_published_at__isnull=True, shuffled_at__isnull=False
    )
    for round in rounds:
        sent = send_round_mail(round, dry_run=dry_run)
        total.invitations += sent.invitations
        total.reminders += sent.reminders
        total.results += sent.results
        if not dry_run:
            total.shuffled += round.shuffle_anonymous_responses()
    return total
