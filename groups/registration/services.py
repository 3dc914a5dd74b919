"""Registering a group: one workflow over a user, a group, its admin, coverage and consents.

    result = register_group(form.cleaned_data, area=form.area, coverage=parse.postcodes,
                            existing_user=form.existing_user)
    group = confirm_registration(token)   # from the mailed link

The confirmation link carries a signed token (groups.tokens), valid for seven days.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from groups.mail import send_registration_confirmation
from groups.models import Group, GroupAdmin, GroupStatus
from groups.tokens import registration_from_token
from postcodes.models import Area
from wabp.models import Consent, User


@dataclass
class Registration:
    user: User
    group: Group
    new_user: bool
    coverage_added: int


@transaction.atomic
def register_group(
    data: dict, *, area: Area, coverage: list[str], existing_user: User | None = None
) -> Registration:
    """Create the (inactive) user if new, the pending group, its admin, coverage and the
    consents, and queue the confirmation mail -- all or nothing."""
    agreed_to = [Consent.Document.PRIVACY, Consent.Document.HOUSE_RULES]
    user = existing_user
    if user is None:
        # Inactive until the mailed link confirms the address (and the group).
        user = User.objects.create_account(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            agreed_to=agreed_to,
        )
    else:
        Consent.objects.record(user, agreed_to)
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
    added = group.add_coverage(coverage)
    send_registration_confirmation(group, user)
    return Registration(
        user=user, group=group, new_user=existing_user is None, coverage_added=added
    )


def registration_for_token(token: str) -> Group | None:
    """The group a mailed confirmation token is for; None if invalid or expired. Changes nothing."""
    payload = registration_from_token(token)
    if payload is None:
        return None
    return Group.objects.filter(
        pk=payload.get("group"), memberships__user_id=payload.get("user")
    ).first()


def confirm_registration(token: str) -> Group | None:
    """Activate the group (and the user) from a mailed token; None if invalid or expired."""
    payload = registration_from_token(token)
    if payload is None:
        return None
    with transaction.atomic():
        group = Group.objects.select_for_update().filter(pk=payload.get("group")).first()
        if group is None or not group.memberships.filter(user_id=payload.get("user")).exists():
            return None
        group.confirm()
        # Only a never-activated user: the board's deactivation stands. The link proves the
        # address, so this is the account's activation (User.activated_at).
        User.objects.filter(pk=payload["user"], activated_at__isnull=True).update(
            is_active=True, activated_at=timezone.now()
        )
    return group
