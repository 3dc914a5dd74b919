"""The signed links in groups' mail: what each carries and how long it is valid.

    reconfirm_token(group)  -> the token of the "still active?" link for the current round
    reconfirm_link(token)   -> (group, current) or None if forged or expired
    claim_token(user)       -> the token of the "claim your group" link (groups.takeover)
    claim_link(token)       -> (user, current) or None if forged or expired

Salts and signing are in wabp.signed; this module only says which object goes in.
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from groups.models import (
    POLICE_REQUEST_VERIFY_MAX_AGE,
    RECONFIRM_AFTER,
    RECONFIRM_GRACE,
    STAFF_REQUEST_VERIFY_MAX_AGE,
    Group,
    GroupAdmin,
    PoliceRequest,
    SenderType,
    StaffRequest,
)
from wabp.models import User
from wabp.signed import (
    AREA_MESSAGE_OPT_OUT,
    BROADCAST_UNSUBSCRIBE,
    GROUP_CLAIM,
    GROUP_RECONFIRM,
    GROUP_REGISTRATION,
    MONTHLY_TEST_CONFIRM,
    MONTHLY_TEST_STOP,
    POLICE_REQUEST_VERIFY,
    STAFF_REQUEST_VERIFY,
    TIP_UNSUBSCRIBE,
)

# A registration must be confirmed within a week.
CONFIRM_MAX_AGE = timedelta(days=7)
# The one-click link stays valid through the grace period and a while after it,
# so an admin can still reactivate a group that went inactive.
RECONFIRM_LINK_MAX_AGE = RECONFIRM_AFTER + RECONFIRM_GRACE
# The "claim your group" link: admins of the old register read it when they read it, but a
# link that sets a password must not live for ever (send_claim_mails --resend mails a new one).
CLAIM_LINK_MAX_AGE = timedelta(days=30)


# The board's broadcasts: unsubscribe without logging in.


def unsubscribe_token(user: User) -> str:
    return BROADCAST_UNSUBSCRIBE.make(user.pk)


def user_for_unsubscribe_token(token: str) -> User | None:
    """The user an unsubscribe link belongs to. Links never expire: old mails keep working."""
    pk = BROADCAST_UNSUBSCRIBE.read(token, max_age=None)
    return User.objects.filter(pk=pk).first() if isinstance(pk, int) else None


# Registering a group: the confirmation link.


def confirmation_path(group: Group, user: User) -> str:
    """The path of the link that confirms `user`'s registration of `group`."""
    token = GROUP_REGISTRATION.make({"group": group.pk, "user": user.pk})
    return reverse("groups:register_confirm", kwargs={"token": token})


def registration_from_token(token: str) -> dict | None:
    """`{"group": pk, "user": pk}` of a valid confirmation token, else None."""
    return GROUP_REGISTRATION.read(token, max_age=CONFIRM_MAX_AGE)


# Freshness: the yearly "still active?" link.


class ReconfirmLink(NamedTuple):
    group: Group
    # Whether the link may still be answered (Group.is_current_reconfirm_round).
    current: bool


def reconfirm_token(group: Group) -> str:
    """The signed "still active?" token for the group's current round. The round is read from
    the database, so a stale instance cannot issue a link for an earlier round."""
    round_ = Group.objects.filter(pk=group.pk).values_list("reconfirm_round", flat=True).get()
    return GROUP_RECONFIRM.make({"group": group.pk, "round": round_})


def reconfirm_link(token: str) -> ReconfirmLink | None:
    """The group a "still active?" token is for, and whether it is current; None if forged or
    expired. Tokens mailed before rounds were numbered hold just the group's id."""
    payload = GROUP_RECONFIRM.read(token, max_age=RECONFIRM_LINK_MAX_AGE)
    if isinstance(payload, int):
        pk, round_ = payload, None
    elif isinstance(payload, dict) and isinstance(payload.get("round"), int):
        pk, round_ = payload.get("group"), payload["round"]
    else:
        return None
    group = Group.objects.filter(pk=pk).first()
    if group is None:
        return None
    return ReconfirmLink(group, group.is_current_reconfirm_round(round_))


# Taking over the old register: the link that lets its admin set a password and claim.


class ClaimLink(NamedTuple):
    user: User
    # Whether the account's password is still the one the link was made for: a link that
    # lets its reader choose a password works once (groups.takeover.views decides).
    same_password: bool


def _claim_key(user: User) -> str:
    # Covers the password (also an unusable one: it is random), so choosing one ends the link.
    return salted_hmac(
        "groups.tokens.claim", f"{user.pk}:{user.password}", algorithm="sha256"
    ).hexdigest()[:20]


def claim_token(user: User) -> str:
    return GROUP_CLAIM.make({"user": user.pk, "key": _claim_key(user)})


def claim_link(token: str) -> ClaimLink | None:
    """The account a claim link is for, and whether its password is unchanged since; None if
    forged or expired."""
    payload = GROUP_CLAIM.read(token, max_age=CLAIM_LINK_MAX_AGE)
    if not isinstance(payload, dict) or not isinstance(payload.get("key"), str):
        return None
    user = User.objects.filter(pk=payload.get("user")).first()
    if user is None:
        return None
    return ClaimLink(user, constant_time_compare(payload["key"], _claim_key(user)))


# Municipality staff: the link that verifies the work address of a staff request.


def staff_request_token(staff_request: StaffRequest) -> str:
    return STAFF_REQUEST_VERIFY.make(staff_request.pk)


def staff_request_from_token(token: str) -> StaffRequest | None:
    """The request a verification link is for, or None if forged, expired or gone."""
    pk = STAFF_REQUEST_VERIFY.read(token, max_age=STAFF_REQUEST_VERIFY_MAX_AGE)
    if not isinstance(pk, int):
        return None
    return StaffRequest.objects.select_related("municipality").filter(pk=pk).first()


# Area messages from the police and municipalities: opting out of one kind of sender.


def area_message_opt_out_token(user: User, sender_type: str) -> str:
    return AREA_MESSAGE_OPT_OUT.make({"user": user.pk, "type": sender_type})


def area_message_opt_out_from_token(token: str) -> tuple[User, str] | None:
    """(user, sender type) of an opt-out link, or None if forged. Links never expire."""
    payload = AREA_MESSAGE_OPT_OUT.read(token, max_age=None)
    if not isinstance(payload, dict) or payload.get("type") not in SenderType.values:
        return None
    user = User.objects.filter(pk=payload.get("user")).first()
    return (user, payload["type"]) if user is not None else None


# Police officers: the link that verifies the work address of a police access request.


def police_request_token(police_request: PoliceRequest) -> str:
    return POLICE_REQUEST_VERIFY.make(police_request.pk)


def police_request_from_token(token: str) -> PoliceRequest | None:
    """The request a verification link is for, or None if forged, expired or gone."""
    pk = POLICE_REQUEST_VERIFY.read(token, max_age=POLICE_REQUEST_VERIFY_MAX_AGE)
    if not isinstance(pk, int):
        return None
    return PoliceRequest.objects.filter(pk=pk).first()


# The monthly test: "I posted the test message" and "stop these reminders".

# Valid through the month it is for and two weeks into the next, so a reminder read late
# still counts; the next month's reminder has a link of its own.
MONTHLY_TEST_LINK_MAX_AGE = timedelta(days=45)


class MonthlyTestLink(NamedTuple):
    membership: GroupAdmin
    month: date


def monthly_test_token(membership: GroupAdmin, month: date) -> str:
    return MONTHLY_TEST_CONFIRM.make(
        {"group": membership.group_id, "user": membership.user_id, "month": f"{month:%Y-%m}"}
    )


def _membership(payload) -> GroupAdmin | None:
    if not isinstance(payload, dict):
        return None
    group, user = payload.get("group"), payload.get("user")
    if not isinstance(group, int) or not isinstance(user, int):
        return None
    return GroupAdmin.objects.select_related("group", "user").filter(group=group, user=user).first()


def monthly_test_link(token: str) -> MonthlyTestLink | None:
    """The admin and month a "test posted" link is for; None if forged, expired, or the user
    is no longer an admin of the group."""
    payload = MONTHLY_TEST_CONFIRM.read(token, max_age=MONTHLY_TEST_LINK_MAX_AGE)
    membership = _membership(payload)
    if membership is None:
        return None
    try:
        month = date.fromisoformat(f"{payload.get('month')}-01")
    except (TypeError, ValueError):
        return None
    return MonthlyTestLink(membership, month)


def monthly_test_stop_token(membership: GroupAdmin) -> str:
    return MONTHLY_TEST_STOP.make({"group": membership.group_id, "user": membership.user_id})


def monthly_test_stop_link(token: str) -> GroupAdmin | None:
    """The admin of a group a "stop the reminder" link is for. Never expires, like the other
    opt-out links: an old mail keeps working."""
    return _membership(MONTHLY_TEST_STOP.read(token, max_age=None))


# Prevention tips: leaving the monthly tip without logging in.


def tip_unsubscribe_token(user: User) -> str:
    return TIP_UNSUBSCRIBE.make(user.pk)


def user_for_tip_unsubscribe_token(token: str) -> User | None:
    """The user a tip's unsubscribe link belongs to. Links never expire: old mails keep working."""
    pk = TIP_UNSUBSCRIBE.read(token, max_age=None)
    return User.objects.filter(pk=pk).first() if isinstance(pk, int) else None
