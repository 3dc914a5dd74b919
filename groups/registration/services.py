"""Registering a group: one workflow over a user, a group, its admin, coverage and consents.

    result = register_group(form.cleaned_data, area=form.area, coverage=parse.postcodes)
    group = confirm_registration(token)   # from the mailed link

The confirmation link carries a signed token (groups.tokens), valid for seven days.
The visitor sees the same answer whether or not the address already has an account; what
differs goes by mail to that address.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from groups.mail import send_registration_confirmation, send_registration_existing_account
from groups.models import Group, GroupAdmin, GroupStatus
from groups.tokens import registration_from_token
from postcodes.models import Area
from wabp.models import Consent, User

# The same registration again within this time is a double submit: no second mail.
RESEND_AFTER = timedelta(minutes=10)
AGREED_TO = [Consent.Document.PRIVACY, Consent.Document.HOUSE_RULES]


@dataclass
class Registration:
    user: User
    group: Group
    new_user: bool
    coverage_added: int


@transaction.atomic
def register_group(data: dict, *, area: Area, coverage: list[str]) -> Registration | None:
    """Create the (inactive) user if new, the pending group, its admin, coverage and the
    consents, and queue the confirmation mail -- all or nothing.

    An address that has an account gets the group only with that account's password;
    otherwise nothing is registered, the address is told by mail and this returns None.
    Either way the password is hashed once, so the two take about as long.

    Registrations for one address run one at a time (a lock until the transaction ends), so
    the same form posted twice, even at the same moment, registers one group; posted again
    after RESEND_AFTER, it mails the confirmation link again.
    """
    _lock_address(data["email"])
    user, new_user = _account_for(data)
    if user is None:
        return None
    duplicate = _pending_duplicate(user, data["name"], area)
    if duplicate is not None:
        if duplicate.created_at < timezone.now() - RESEND_AFTER:
            send_registration_confirmation(duplicate, user)  # the first mail went missing
        return Registration(user=user, group=duplicate, new_user=False, coverage_added=0)
    if not new_user:
        Consent.objects.record(user, AGREED_TO)
        if not user.phone:
            user.phone = data["phone"]
            user.save(update_fields=["phone"])
    group = Group.objects.create(
        name=data["name"],
        platform=data["platform"],
        area=area,
        street=data.get("street", ""),
        registered_with_municipality=data.get("registered_with_municipality", False),
        registered_with_police=data.get("registered_with_police", False),
        member_count=data.get("member_count"),
        status=GroupStatus.PENDING,
    )
    GroupAdmin.objects.create(group=group, user=user)
    added = len(group.claim_coverage(coverage, by=user).added)
    send_registration_confirmation(group, user)
    return Registration(user=user, group=group, new_user=new_user, coverage_added=added)


def _account_for(data: dict) -> tuple[User | None, bool]:
    """(user, created): a new inactive account, or the address's account if the password is
    its own. (None, False) otherwise, after mailing the account's owner."""
    user = User.objects.filter(email__iexact=data["email"]).first()
    if user is None or user.never_activated:
        # Nobody proved this mailbox yet: create_account takes a never-activated account
        # over, the newest password replacing the earlier one.
        try:
            with transaction.atomic():
                # Inactive until the mailed link confirms the address (and the group).
                user = User.objects.create_account(
                    email=data["email"],
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    phone=data["phone"],
                    agreed_to=AGREED_TO,
                )
            return user, True
        except IntegrityError:
            # Sign-up (which does not take the lock) created the account a moment ago.
            user = User.objects.get(email__iexact=data["email"])
    password_is_theirs = user.check_password(data["password1"])  # hashed on every path
    if not user.is_active:
        return None, False  # deactivated by the board: no group, and nothing to tell
    if password_is_theirs:
        return user, False
    send_registration_existing_account(user)
    return None, False


def _lock_address(email: str) -> None:
    """Wait for other registrations with this address to end; held until the transaction ends."""
    digest = hashlib.sha256(f"groups.registration.lock:{email.lower()}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


def _pending_duplicate(user: User, name: str, area: Area) -> Group | None:
    """The same registration, already made by this user and not yet confirmed."""
    return (
        Group.objects.filter(
            status=GroupStatus.PENDING, area=area, name__iexact=name, memberships__user=user
        )
        .order_by("created_at")
        .first()
    )


def registration_for_token(token: str) -> Group | None:
    """The group a mailed confirmation token is for; None if invalid or expired. Changes nothing."""
    payload = registration_from_token(token)
    if payload is None:
        return None
    deactivated = User.objects.filter(
        pk=payload.get("user"), is_active=False, activated_at__isnull=False
    )
    if deactivated.exists():
        return None
    return Group.objects.filter(
        pk=payload.get("group"), memberships__user_id=payload.get("user")
    ).first()


def registration_account(token: str) -> User | None:
    """The account a mailed confirmation token is for; None if invalid or expired."""
    payload = registration_from_token(token)
    if payload is None:
        return None
    return User.objects.filter(pk=payload.get("user")).first()


def confirm_registration(token: str) -> Group | None:
    """Activate the group (and the user) from a mailed token; None if invalid or expired."""
    payload = registration_from_token(token)
    if payload is None:
        return None
    with transaction.atomic():
        group = Group.objects.select_for_update().filter(pk=payload.get("group")).first()
        user = User.objects.select_for_update().filter(pk=payload.get("user")).first()
        if group is None or user is None or not group.memberships.filter(user=user).exists():
            return None
        if not user.is_active and not user.never_activated:
            return None  # deactivated by the board
        group.confirm()
        # Only a never-activated user: the board's deactivation stands. The link proves the
        # address, so this is the account's activation (User.activated_at).
        User.objects.filter(pk=payload["user"], activated_at__isnull=True).update(
            is_active=True, activated_at=timezone.now()
        )
    return group
