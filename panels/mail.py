"""Every e-mail the panels app sends, one function per message.

    send_round_invitation(round, user)
    send_volunteer_approved(membership)

Each function decides the template, the context and the language and queues the
mail through wabp.mail.queue_mail, in the caller's transaction. Which members get a
round mail, and only once, is panels.mailing's job. Every kind starts with
`panels_`, so leaving the last panel can drop a member's mail still in the outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation

from wabp.links import absolute, absolute_url
from wabp.mail import queue_mail
from wabp.models import current_language

if TYPE_CHECKING:
    from panels.models import Membership, PanelInvitation, Round
    from wabp.models import User


# Rounds ---------------------------------------------------------------------------------


def _round_mail(round: Round, user: User, template: str, kind: str) -> None:
    with translation.override(user.language):
        queue_mail(
            to=user.email,
            template=template,
            context={
                "first_name": user.first_name,
                "round": round,
                "link": absolute(round.get_absolute_url()),
            },
            kind=kind,
        )


def send_round_invitation(round: Round, user: User) -> None:
    """A round has opened: the member is asked to answer."""
    _round_mail(round, user, "panels/mail/round_open", "panels_invitation")


def send_round_reminder(round: Round, user: User) -> None:
    """The round closes soon and the member has not answered."""
    _round_mail(round, user, "panels/mail/round_reminder", "panels_reminder")


def send_results_notice(round: Round, user: User) -> None:
    """The board published the round's results."""
    _round_mail(round, user, "panels/mail/results_published", "panels_results")


# Members -----------------------------------------------------------------------------


def send_volunteer_approved(membership: Membership) -> None:
    """The board accepted a volunteer into the panel."""
    user = membership.user
    with translation.override(user.language):
        queue_mail(
            to=user.email,
            template="panels/mail/volunteer_approved",
            context={"first_name": user.first_name, "panel_name": membership.panel.display_name},
            kind="panels_approved",
        )


def send_panel_invitation(invitation: PanelInvitation, token: str, user: User | None) -> None:
    """The invitation link (token issued just now); `user` is the invitee's account, if any:
    in its language, else in the board's (the page it invites from)."""
    with translation.override(user.language if user else current_language()):
        queue_mail(
            to=invitation.email,
            template="panels/mail/invitation",
            context={
                "panel": invitation.panel,
                "first_name": user.first_name if user else "",
                "link": absolute_url("panels:invitation", token=token),
                "expires_at": invitation.expires_at,
            },
            kind="panels_invitation",
        )
