"""The panels app's personal data, for wabp.registry: memberships, invitations, answers, mail.

Answers to anonymous rounds carry no link to anyone (see panels/README.md): they are not in
the download and stay when the account is deleted, because nobody can find them, by design.
Named responses go with the account: with an empty user (SET_NULL) they would, through
their date, stay linkable.
"""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panels.models import (
    INVITATION_KEEP,
    Membership,
    MembershipStatus,
    PanelInvitation,
    PanelMail,
    PanelMailKind,
    Participation,
    Response,
)
from wabp import registry

# Records of a round's invitation and reminder mails are needed only while it is open.
ROUND_MAIL_KEEP = timedelta(days=30)


def panels_data(user) -> dict[str, Any]:
    named = (
        Response.objects.filter(user=user)
        .select_related("round")
        .prefetch_related("round__questions__options")
        .order_by("submitted_on")
    )
    return {
        "panels": {
            "memberships": [
                {
                    "panel": membership.panel.name,
                    "status": membership.status,
                    "invited_at": membership.invited_at,
                    "requested_at": membership.requested_at,
                    "joined_at": membership.joined_at,
                    "left_at": membership.left_at,
                }
                for membership in Membership.objects.filter(user=user).select_related("panel")
            ],
            "invitations": [
                {
                    "panel": invitation.panel.name,
                    "created_at": invitation.created_at,
                    "sent_at": invitation.sent_at,
                    "expires_at": invitation.expires_at,
                    "accepted_at": invitation.accepted_at,
                }
                for invitation in PanelInvitation.objects.filter(registry.by_verified_address(user))
                .select_related("panel")
                .order_by("created_at")
            ],
            "named_responses": [
                {
                    "round": response.round.title,
                    "submitted_on": response.submitted_on,
                    "answers": _readable_answers(response),
                }
                for response in named
            ],
            "rounds_answered": [
                participation.round.title
                for participation in Participation.objects.filter(user=user)
                .select_related("round")
                .order_by("round__opens_at")
            ],
            "anonymous_answers": str(
                _(
                    "Antwoorden op anonieme rondes bewaren we zonder naam en zonder "
                    "verband met u. Niemand kan ze aan u koppelen, ook wij niet. Daarom "
                    "staan ze hier niet bij; 'rounds_answered' zegt alleen dat u "
                    "heeft meegedaan."
                )
            ),
            "mails": [
                {"round": mail.round.title, "kind": mail.kind, "sent_at": mail.sent_at}
                for mail in PanelMail.objects.filter(user=user)
                .select_related("round")
                .order_by("sent_at")
            ],
        }
    }


def _readable_answers(response: Response) -> list[dict[str, Any]]:
    """A named response as question text -> answer text (option ids replaced by their text)."""
    answers = []
    for question in response.round.questions.all():
        options = {option.pk: option.text for option in question.options.all()}
        value = response.answers.get(question.field_name)
        if isinstance(value, list):
            value = [options.get(_int(v), v) for v in value]
        elif options and value is not None:
            value = options.get(_int(value), value)
        answer = {"question": question.text, "answer": value}
        other = response.answers.get(question.other_field_name)
        if other:
            answer["other"] = other
        answers.append(answer)
    return answers


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def erase_panels_data(user) -> None:
    # Anonymous responses have no user: untouched.
    Response.objects.filter(user=user).delete()
    Participation.objects.filter(user=user).delete()
    PanelMail.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    PanelInvitation.objects.filter(registry.by_verified_address(user)).delete()


def my_panels(request: HttpRequest) -> dict | None:
    """For "my account": the panels the user is in, invited to or asked to join."""
    memberships = list(
        Membership.objects.filter(user=request.user)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("panel")
        .order_by("panel__name")
    )
    return {"memberships": memberships} if memberships else None


registry.register_export(panels_data)
registry.register_erasure(erase_panels_data)
registry.register_account_section("panels/account/_panels.html", my_panels)

registry.register_retention(
    "panel invitations",
    f"{INVITATION_KEEP.days} days after the invitation was made, or when its link expires",
    lambda: PanelInvitation.objects.expired(),
)
# The results notice's record stays as long as the account: without it the member would
# be told again, since published rounds are mailed about whenever someone lacks it.
registry.register_retention(
    "panel round mail records",
    f"invitations and reminders: {ROUND_MAIL_KEEP.days} days after the round closed",
    lambda: PanelMail.objects.filter(
        kind__in=[PanelMailKind.INVITATION, PanelMailKind.REMINDER],
        round__closes_at__lt=timezone.now() - ROUND_MAIL_KEEP,
    ),
)
# An account deleted other than through "delete my account" (e.g. by the board in the
# admin) leaves its named answers without a user (SET_NULL); their date still links them.
# Only named answers carry a date, whatever the round's setting is now.
registry.register_retention(
    "named answers of deleted accounts",
    "until the first run after the account is gone",
    lambda: Response.objects.filter(user__isnull=True, submitted_on__isnull=False),
)
