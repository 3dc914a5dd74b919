"""Every e-mail the groups app sends, one function per message.

    send_join_confirmation(join_request)
    send_reconfirm_request(group)
    send_admin_removed(group, user, by=admin)

Each function decides the template, the recipients, the context and the language
and queues the mail through wabp.mail.queue_mail (outbox row + delivery task, in the
caller's transaction). When to mail -- reminders, fan-out, bookkeeping -- stays with
the models, services, tasks and views that call these. This module imports no views.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import translation

from groups.tokens import (
    CLAIM_LINK_MAX_AGE,
    CONFIRM_MAX_AGE,
    area_message_opt_out_token,
    claim_token,
    confirmation_path,
    monthly_test_stop_token,
    monthly_test_token,
    reconfirm_token,
    tip_unsubscribe_token,
    unsubscribe_token,
)
from wabp.links import absolute, absolute_url, site_url
from wabp.mail import queue_mail
from wabp.models import OutboundEmail, User

if TYPE_CHECKING:
    from groups.models import (
        AreaMessage,
        Broadcast,
        CoverageClaim,
        Group,
        GroupAdmin,
        Invitation,
        JoinRequest,
        PoliceRequest,
        SignRequest,
        StaffRequest,
        Tip,
        WaitingListEntry,
    )
    from postcodes.models import Municipality


def _active_admins(group: Group) -> list[User]:
    return list(group.admins.filter(is_active=True))


# Join requests -------------------------------------------------------------------------


def send_join_confirmation(join_request: JoinRequest) -> None:
    """Ask the resident to confirm their request (double opt-in)."""
    with translation.override(join_request.language):
        queue_mail(
            to=join_request.email,
            template="groups/mail/join_confirm",
            context={
                "name": join_request.name,
                "group_name": join_request.group.name,
                "confirm_url": absolute_url("groups:join_confirm", token=join_request.token),
                "status_url": absolute(join_request.get_status_url()),
            },
            kind="join_confirm",
        )


def send_join_decision(join_request: JoinRequest) -> None:
    """Tell the resident their request was accepted or declined (details on the status page).

    A decline is mailed only once its undo window has passed: an admin who declined by
    mistake and restores the request within the window withdraws the mail
    (withdraw_join_decision), so the resident never reads "declined" and then "accepted"."""
    from groups.models import DECLINE_UNDO_WINDOW, JoinRequestStatus

    send_after = None
    if join_request.status == JoinRequestStatus.DECLINED:
        send_after = join_request.handled_at + DECLINE_UNDO_WINDOW
    with translation.override(join_request.language):
        queue_mail(
            send_after=send_after,
            to=join_request.email,
            template="groups/mail/join_decision",
            context={
                "name": join_request.name,
                "group_name": join_request.group.name,
                "accepted": join_request.status == "accepted",
                "status_url": absolute(join_request.get_status_url()),
            },
            kind="join_decision",
        )


def withdraw_join_decision(join_request: JoinRequest) -> int:
    """Delete the not yet sent decision mail of this request (its undone decline); how many.

    The mail is recognised by the request's own status link in its body (the token is
    unique), so no other request's mail to the same address is touched; the link is in the
    resident's language, as the mail was."""
    with translation.override(join_request.language):
        status_url = absolute(join_request.get_status_url())
    unsent = OutboundEmail.objects.pending().filter(
        to=join_request.email, kind="join_decision", body__contains=status_url
    )
    deleted, _details = unsent.delete()
    return deleted


def _to_admins_about_request(join_request: JoinRequest, template: str) -> int:
    group = join_request.group
    admins = _active_admins(group)
    for admin in admins:
        with translation.override(admin.language):
            queue_mail(
                to=admin.email,
                template=template,
                context={
                    "admin_name": admin.first_name,
                    "group_name": group.name,
                    "resident_name": join_request.name,
                    "requests_url": absolute_url("groups:requests", slug=group.slug),
                },
                kind=template.rsplit("/", 1)[-1],
            )
    return len(admins)


def send_new_join_request(join_request: JoinRequest) -> int:
    """Tell each active admin of the group that a confirmed request waits; returns how many."""
    return _to_admins_about_request(join_request, "groups/mail/join_new")


def send_join_reminder(join_request: JoinRequest) -> int:
    """Remind each active admin of a request left waiting; returns how many."""
    return _to_admins_about_request(join_request, "groups/mail/join_reminder")


# Freshness ------------------------------------------------------------------------------


def _to_admins_about_freshness(group: Group, template: str) -> None:
    token = reconfirm_token(group)
    for admin in _active_admins(group):
        with translation.override(admin.language):
            queue_mail(
                to=admin.email,
                template=template,
                context={
                    "admin_name": admin.first_name,
                    "group_name": group.name,
                    "link": absolute_url("groups:reconfirm", token=token),
                },
                kind=template.rsplit("/", 1)[-1],
            )


def send_reconfirm_request(group: Group) -> None:
    """Ask the group's admins, once a year, whether the group is still active."""
    _to_admins_about_freshness(group, "groups/mail/reconfirm_request")


def send_reconfirm_reminder(group: Group) -> None:
    """Ask the group's admins once more, before the group goes inactive."""
    _to_admins_about_freshness(group, "groups/mail/reconfirm_reminder")


# Registration and admins ------------------------------------------------------------------


def send_registration_confirmation(group: Group, user: User) -> None:
    """The link that confirms a new group (and activates its admin's new account)."""
    queue_mail(
        to=user.email,
        template="groups/mail/confirm_registration",
        context={
            "first_name": user.first_name,
            "group_name": group.name,
            "link": absolute(confirmation_path(group, user)),
            "days": CONFIRM_MAX_AGE.days,
        },
        kind="group_registration",
        # Sent while the admin is on the registration page: in that page's language.
    )


def send_registration_existing_account(user: User) -> None:
    """Someone registered a group with this account's address but not its password."""
    queue_mail(
        to=user.email,
        template="groups/mail/registration_existing_account",
        context={
            "first_name": user.first_name,
            "register_link": absolute_url("groups:register"),
            "reset_link": absolute_url("password_reset"),
        },
        kind="group_registration_existing_account",
    )


def send_claim(user: User, groups: list[Group], *, send_after: datetime | None = None) -> None:
    """Invite an admin named in the old register to set a password and confirm their groups
    (groups.takeover); delivered no earlier than `send_after`, for pacing."""
    with translation.override(user.language):
        queue_mail(
            to=user.email,
            template="groups/mail/claim",
            context={
                "first_name": user.first_name,
                "group_names": [group.name for group in groups],
                "link": absolute_url("groups:claim", token=claim_token(user)),
                "days": CLAIM_LINK_MAX_AGE.days,
            },
            kind="group_claim",
            send_after=send_after,
        )


def send_invitation(invitation: Invitation) -> None:
    """Invite someone to co-administer, or take over, a group (just after it was made: only
    then is its plain token known)."""
    if not invitation.token:
        raise ValueError("an invitation's token is known only just after it was made")
    with translation.override(invitation.language):
        queue_mail(
            to=invitation.email,
            template="groups/mail/invitation",
            context={
                "inviter_name": invitation.invited_by.first_name if invitation.invited_by else "",
                "group_name": invitation.group.name,
                "handover": invitation.handover,
                "link": absolute_url("groups:invitation", token=invitation.token),
            },
            kind="invitation",
        )


def send_admin_removed(group: Group, user: User, *, by: User) -> None:
    """Tell a co-admin that another admin removed them from the group."""
    with translation.override(user.language):
        queue_mail(
            to=user.email,
            template="groups/mail/admin_removed",
            context={
                "first_name": user.first_name,
                "group_name": group.name,
                "by_name": by.first_name,
            },
            kind="admin_removed",
        )


def send_relay_message(*, sender: User, from_group: Group, to_group: Group, message: str) -> int:
    """Forward a message to a neighbouring group's admins; replies go straight to the sender."""
    admins = _active_admins(to_group)
    for admin in admins:
        with translation.override(admin.language):
            queue_mail(
                to=admin.email,
                template="groups/mail/relay_message",
                context={
                    "admin_name": admin.first_name,
                    "sender_name": sender.first_name,
                    "from_group": from_group.name,
                    "to_group": to_group.name,
                    "message": message,
                },
                headers={"Reply-To": sender.email},
                kind="relay_message",
            )
    return len(admins)


# Municipalities ---------------------------------------------------------------------------


def send_municipality_relay(
    *, sender: User, municipality: Municipality, group: Group, subject: str, message: str
) -> int:
    """Municipality staff write to a group's active admins, whose addresses stay hidden;
    replies go to the staff member. Returns how many admins."""
    admins = [
        membership.user
        for membership in group.memberships.filter(user__is_active=True)
        .select_related("user")
        .order_by("added_at")
    ]
    for admin in admins:
        with translation.override(admin.language):
            queue_mail(
                to=admin.email,
                template="groups/mail/municipality_relay",
                context={
                    "group": group,
                    "municipality": municipality,
                    "sender": sender,
                    "subject": subject,
                    "message": message,
                },
                headers={"Reply-To": sender.email},
                kind="municipality_relay",
            )
    return len(admins)


# Police workspace (issue 16) -------------------------------------------------------------


def send_police_relay(
    *,
    sender: User,
    police_request: PoliceRequest | None,
    group: Group,
    subject: str,
    message: str,
) -> int:
    """A police officer writes to a group's active admins, whose addresses stay hidden;
    replies go to the officer's verified work address. Returns how many admins."""
    # The address the officer verified when asking for access, and the team the board approved.
    work_address = police_request.email if police_request else sender.email
    team = police_request.team if police_request else ""
    job_title = police_request.job_title if police_request else ""
    admins = _active_admins(group)
    for admin in admins:
        with translation.override(admin.language):
            queue_mail(
                to=admin.email,
                template="groups/mail/police_relay",
                context={
                    "group": group,
                    "sender_name": sender.get_full_name(),
                    "team": team,
                    "job_title": job_title,
                    "work_address": work_address,
                    "subject": subject,
                    "message": message,
                },
                headers={"Reply-To": work_address},
                kind="police_relay",
            )
    return len(admins)


def send_sign_request(sign_request: SignRequest) -> None:
    """Tell the municipality's active staff that a group asks for a street sign."""
    municipality = sign_request.municipality
    signs_url = absolute_url("groups:municipality_signs", municipality.slug)
    for staff in User.objects.filter(municipality=municipality, is_active=True):
        with translation.override(staff.language):
            queue_mail(
                to=staff.email,
                template="groups/mail/sign_requested",
                context={"sign_request": sign_request, "signs_url": signs_url},
                kind="sign_requested",
            )


def send_sign_decision(sign_request: SignRequest) -> None:
    """Tell the admin who asked for a street sign what the municipality decided."""
    admin = sign_request.requested_by
    if admin is None or not admin.is_active:
        return
    with translation.override(admin.language):
        queue_mail(
            to=admin.email,
            template="groups/mail/sign_decided",
            context={"sign_request": sign_request, "municipality": sign_request.municipality},
            kind="sign_decided",
        )


# Waiting list ---------------------------------------------------------------------------


def send_waitinglist_confirmation(entry: WaitingListEntry) -> None:
    """Ask a resident to confirm their place on an area's waiting list (double opt-in)."""
    with translation.override(entry.language):
        queue_mail(
            to=entry.email,
            template="groups/mail/waitinglist_confirm",
            context={
                "area": entry.area,
                "code": entry.searched_code,
                "confirm_url": absolute_url("groups:waitinglist_confirm", token=entry.token),
                "delete_url": absolute_url("groups:waitinglist_delete", token=entry.token),
            },
            kind="waitinglist_confirm",
        )


def send_waitinglist_group_started(entry: WaitingListEntry) -> None:
    """Tell a waiting resident that a group now covers their postcode or area."""
    with translation.override(entry.language):
        queue_mail(
            to=entry.email,
            template="groups/mail/waitinglist_group_started",
            context={
                "area": entry.area,
                "code": entry.searched_code,
                "search_url": absolute_url(
                    "groups:search", query={"postcode": entry.postcode_id or entry.area_id}
                ),
                "delete_url": absolute_url("groups:waitinglist_delete", token=entry.token),
            },
            kind="waitinglist_group_started",
        )


# The board's broadcasts -------------------------------------------------------------------


def broadcast_context(broadcast: Broadcast, recipient: User, body_html: str, *, test=False) -> dict:
    """What the broadcast mail templates need for one recipient (also used by the preview)."""
    context = {
        "broadcast": broadcast,
        "body_html": body_html,
        "recipient": recipient,
        "test": test,
        "unsubscribe_url": "",
        # Explicit, because the admin's own context has a `site_url` of "/".
        "site_url": site_url(),
    }
    if not broadcast.essential:
        token = unsubscribe_token(recipient)
        context["unsubscribe_url"] = absolute_url("groups:broadcast_unsubscribe", token)
        context["one_click_url"] = absolute_url("groups:broadcast_unsubscribe_one_click", token)
    return context


def send_broadcast_mail(
    broadcast: Broadcast, recipient: User, body_html: str, *, test=False
) -> OutboundEmail:
    """One recipient's copy of a broadcast; a test copy goes to the board member only.

    A non-essential message carries a signed unsubscribe link, also as List-Unsubscribe.
    """
    with translation.override(recipient.language):
        context = broadcast_context(broadcast, recipient, body_html, test=test)
        headers = {}
        if context["unsubscribe_url"]:
            # RFC 2369 / RFC 8058: mail programs offer their own "unsubscribe" button.
            headers = {
                "List-Unsubscribe": f"<{context['one_click_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        return queue_mail(
            to=recipient.email,
            template="groups/mail/broadcast",
            context=context,
            kind="broadcast_test" if test else "broadcast",
            headers=headers,
        )


# Area messages from the police and municipalities ----------------------------------------


def area_message_context(
    message: AreaMessage,
    recipient: User | None,
    *,
    group_names: list[str],
    area_codes: list[str],
    opt_out_url: str = "",
) -> dict:
    """What the area message mail needs for one admin (the preview passes no recipient)."""
    from groups.areamessages.delivery import describe_area

    return {
        "message": message,
        "recipient": recipient,
        "sender_type": message.get_sender_type_display(),
        "area": describe_area(
            area_codes=area_codes,
            centre_postcode=message.centre_postcode,
            radius_km=message.radius_km,
        ),
        "group_names": group_names,
        "opt_out_url": opt_out_url,
    }


def send_area_message_mail(
    message: AreaMessage, recipient: User, *, group_names: list[str], area_codes: list[str]
) -> OutboundEmail:
    """One admin's copy of an area message, in their language, with a link (and RFC 8058
    List-Unsubscribe) that opts them out of messages from this kind of sender."""
    with translation.override(recipient.language):
        token = area_message_opt_out_token(recipient, message.sender_type)
        one_click_url = absolute_url("groups:area_message_opt_out_one_click", token)
        context = area_message_context(
            message,
            recipient,
            group_names=group_names,
            area_codes=area_codes,
            opt_out_url=absolute_url("groups:area_message_opt_out", token),
        )
        return queue_mail(
            to=recipient.email,
            template="groups/mail/area_message",
            context=context,
            kind="area_message",
            headers={
                "List-Unsubscribe": f"<{one_click_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


# Coverage claims --------------------------------------------------------------------------


def send_coverage_decision(claim: CoverageClaim) -> int:
    """Tell the admin who asked (or, if their account is gone, the group's admins) what the
    board decided about coverage that needed its approval."""
    from groups.coverage import ranges_of
    from groups.models import CoverageClaimStatus

    group = claim.group
    requester = claim.requested_by
    admins = (
        [requester]
        if requester is not None and requester.is_active
        else list(_active_admins(group))
    )
    for admin in admins:
        with translation.override(admin.language):
            queue_mail(
                to=admin.email,
                template="groups/mail/coverage_decision",
                context={
                    "admin_name": admin.first_name,
                    "group_name": group.name,
                    "approved": claim.status == CoverageClaimStatus.APPROVED,
                    "postcodes": ", ".join(ranges_of(claim.postcodes)),
                    "count": len(claim.postcodes),
                    "coverage_url": absolute_url("groups:coverage", slug=group.slug),
                },
                kind="coverage_decision",
            )
    return len(admins)


# Municipality staff onboarding ------------------------------------------------------------


def send_staff_request_verification(staff_request: StaffRequest) -> None:
    """The link that verifies a municipality employee's work address (in the form's language)."""
    from groups.tokens import staff_request_token

    with translation.override(staff_request.language):
        queue_mail(
            to=staff_request.email,
            template="groups/mail/staff_request_verify",
            context={
                "first_name": staff_request.first_name,
                "municipality": staff_request.municipality.name,
                "verify_url": absolute_url(
                    "groups:staff_request_verify", token=staff_request_token(staff_request)
                ),
            },
            kind="staff_request_verify",
        )


def send_staff_request_approved(staff_request: StaffRequest, *, new_account: bool) -> None:
    """The board approved: how to log in (a new account first chooses its password)."""
    from django.contrib.auth.tokens import default_token_generator

    from wabp.signed import user_token

    with translation.override(staff_request.language):
        user = staff_request.user
        context = {
            "first_name": staff_request.first_name,
            "municipality": staff_request.municipality.name,
            "new_account": new_account,
            "login_url": absolute_url("login"),
            "reset_url": absolute_url("password_reset"),
            "workspace_url": absolute(staff_request.municipality.get_absolute_url()),
        }
        if new_account:
            context["password_url"] = absolute_url(
                "password_reset_confirm", **user_token(user, default_token_generator)
            )
        queue_mail(
            to=staff_request.email,
            template="groups/mail/staff_request_approved",
            context=context,
            kind="staff_request_approved",
        )


def send_staff_request_declined(staff_request: StaffRequest) -> None:
    """The board declined the request."""
    with translation.override(staff_request.language):
        queue_mail(
            to=staff_request.email,
            template="groups/mail/staff_request_declined",
            context={
                "first_name": staff_request.first_name,
                "municipality": staff_request.municipality.name,
            },
            kind="staff_request_declined",
        )


def send_staff_access_ended(staff_request: StaffRequest) -> None:
    """The board ended the staff access the request gave."""
    with translation.override(staff_request.language):
        queue_mail(
            to=staff_request.email,
            template="groups/mail/staff_access_ended",
            context={
                "first_name": staff_request.first_name,
                "municipality": staff_request.municipality.name,
            },
            kind="staff_access_ended",
        )


# Police access ---------------------------------------------------------------------------


def _police_context(police_request: PoliceRequest) -> dict:
    return {
        "first_name": police_request.first_name,
        "area": ", ".join(
            police_request.municipalities.order_by("name").values_list("name", flat=True)
        ),
    }


def send_police_request_verification(police_request: PoliceRequest) -> None:
    """The link that verifies a police officer's work address (in the form's language)."""
    from groups.tokens import police_request_token

    with translation.override(police_request.language):
        queue_mail(
            to=police_request.email,
            template="groups/mail/police_request_verify",
            context={
                **_police_context(police_request),
                "verify_url": absolute_url(
                    "groups:police_request_verify", token=police_request_token(police_request)
                ),
            },
            kind="police_request_verify",
        )


def send_police_request_approved(police_request: PoliceRequest, *, new_account: bool) -> None:
    """The board approved: how to log in (a new account first chooses its password), and
    that the authenticator app is required."""
    from django.contrib.auth.tokens import default_token_generator

    from wabp.signed import user_token

    with translation.override(police_request.language):
        context = {
            **_police_context(police_request),
            "new_account": new_account,
            "login_url": absolute_url("login"),
            "reset_url": absolute_url("password_reset"),
            "workspace_url": absolute_url("groups:police_workspace"),
        }
        if new_account:
            context["password_url"] = absolute_url(
                "password_reset_confirm", **user_token(police_request.user, default_token_generator)
            )
        queue_mail(
            to=police_request.email,
            template="groups/mail/police_request_approved",
            context=context,
            kind="police_request_approved",
        )


def send_police_request_declined(police_request: PoliceRequest) -> None:
    """The board declined the request."""
    with translation.override(police_request.language):
        queue_mail(
            to=police_request.email,
            template="groups/mail/police_request_declined",
            context=_police_context(police_request),
            kind="police_request_declined",
        )


def send_police_access_ended(police_request: PoliceRequest) -> None:
    """The board ended the access the request gave."""
    with translation.override(police_request.language):
        queue_mail(
            to=police_request.email,
            template="groups/mail/police_access_ended",
            context=_police_context(police_request),
            kind="police_access_ended",
        )


# Splitting a group (issue 17, groups.split) ----------------------------------------------


def send_group_split(
    group: Group,
    new_group: Group,
    *,
    ranges: list[str],
    postcode_count: int,
    request_count: int,
    by: User,
    invited: str = "",
) -> int:
    """Tell the admins of both groups (each once, in their language) what the split moved and
    which of the two they run now. Residents are not mailed."""
    old_admins = {user.pk for user in _active_admins(group)}
    new_admins = {user.pk for user in _active_admins(new_group)}
    recipients = User.objects.filter(pk__in=old_admins | new_admins).order_by("pk")
    for admin in recipients:
        with translation.override(admin.language):
            queue_mail(
                to=admin.email,
                template="groups/mail/group_split",
                context={
                    "first_name": admin.first_name,
                    "by_name": by.first_name,
                    "group_name": group.name,
                    "new_group_name": new_group.name,
                    "ranges": ", ".join(ranges),
                    "postcode_count": postcode_count,
                    "request_count": request_count,
                    "runs_old": admin.pk in old_admins,
                    "runs_new": admin.pk in new_admins,
                    "invited": invited,
                    "old_link": absolute_url("groups:manage", slug=group.slug),
                    "new_link": absolute_url("groups:manage", slug=new_group.slug),
                },
                kind="group_split",
            )
    return len(recipients)


# The monthly test (groups.monthlytest) ----------------------------------------------------


def send_monthly_test_reminder(membership: GroupAdmin, month) -> OutboundEmail:
    """Remind an admin who opted in to post this month's test message, with the message, a
    one-click "I posted it" link and a link that stops the reminder (also as RFC 8058
    List-Unsubscribe: it is a reminder the admin chose, so mail programs may offer to end it)."""
    from groups.monthlytest.message import test_message

    admin, group = membership.user, membership.group
    stop_token = monthly_test_stop_token(membership)
    with translation.override(admin.language):
        one_click_url = absolute_url("groups:monthly_test_stop_one_click", token=stop_token)
        return queue_mail(
            to=admin.email,
            template="groups/mail/monthly_test",
            context={
                "admin_name": admin.first_name,
                "group_name": group.name,
                "message": test_message(group),
                "confirm_url": absolute_url(
                    "groups:monthly_test_confirm", token=monthly_test_token(membership, month)
                ),
                "stop_url": absolute_url("groups:monthly_test_stop", token=stop_token),
                "settings_url": absolute_url("groups:monthly_test", slug=group.slug),
            },
            kind="monthly_test",
            headers={
                "List-Unsubscribe": f"<{one_click_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


# Prevention tips --------------------------------------------------------------------------


def send_monthly_tip(tip: Tip, recipient: User) -> OutboundEmail:
    """This month's prevention tip for one subscriber, in their language, with the message to
    paste into the group chat and a signed unsubscribe link (also as RFC 8058
    List-Unsubscribe)."""
    with translation.override(recipient.language):
        text = tip.in_language(recipient.language)
        token = tip_unsubscribe_token(recipient)
        one_click_url = absolute_url("groups:tip_unsubscribe_one_click", token)
        return queue_mail(
            to=recipient.email,
            template="groups/mail/monthly_tip",
            context={
                "recipient": recipient,
                "tip": text,
                "tip_url": absolute(tip.get_absolute_url()),
                "tips_url": absolute_url("groups:tips"),
                "unsubscribe_url": absolute_url("groups:tip_unsubscribe", token),
            },
            kind="monthly_tip",
            headers={
                "List-Unsubscribe": f"<{one_click_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
