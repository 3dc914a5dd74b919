"""Registering a group: one workflow over a user, a group, its admin, coverage and consents.

    result = register_group(form.cleaned_data, area=form.area, coverage=parse.postcodes,
                            existing_user=form.existing_user)
    group = confirm_registration(token)   # from the mailed link

The confirmation link carries a signed token (django.core.signing), valid for seven days.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language

from groups.models import Group, GroupAdmin, GroupStatus
from postcodes.models import Area
from wabp.mail import queue_mail
from wabp.models import Consent, User

# Version of the privacy statement and house rules a registering admin agrees to.
CONSENT_VERSION = "2026-1"
CONFIRM_SALT = "groups.registration.confirm"
CONFIRM_MAX_AGE = timedelta(days=7)


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
    user = existing_user
    if user is None:
        user = User.objects.create_user(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            is_active=False,
        )
    elif not user.phone:
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
    Consent.objects.bulk_create(
        [
            Consent(user=user, document=document, version=CONSENT_VERSION)
            for document in (Consent.Document.PRIVACY, Consent.Document.HOUSE_RULES)
        ]
    )
    queue_mail(
        to=user.email,
        template="groups/mail/confirm_registration",
        context={
            "first_name": user.first_name,
            "group_name": group.name,
            "link": settings.SITE_URL + confirmation_path(group, user),
            "days": CONFIRM_MAX_AGE.days,
        },
        kind="group_registration",
        language=get_language() or "nl",
    )
    return Registration(
        user=user, group=group, new_user=existing_user is None, coverage_added=added
    )


def confirmation_path(group: Group, user: User) -> str:
    token = signing.dumps({"group": group.pk, "user": user.pk}, salt=CONFIRM_SALT)
    return reverse("groups:register_confirm", kwargs={"token": token})


def registration_for_token(token: str) -> Group | None:
    """The group a mailed confirmation token is for; None if invalid or expired. Changes nothing."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    deactivated = User.objects.filter(
        pk=payload.get("user"), is_active=False, activated_at__isnull=False
    )
    if deactivated.exists():
        return None
    return Group.objects.filter(
        pk=payload.get("group"), memberships__user_id=payload.get("user")
    ).first()


def confirm_registration(token: str) -> Group | None:
    """Activate the group (and the user, if they never were) from a mailed token; None if
    invalid or expired, or if the board has deactivated the user since: the link must not
    undo that."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    with transaction.atomic():
        group = Group.objects.select_for_update().filter(pk=payload.get("group")).first()
        user = User.objects.select_for_update().filter(pk=payload.get("user")).first()
        if group is None or user is None or not group.memberships.filter(user=user).exists():
            return None
        if not user.is_active and not user.never_activated:
            return None  # deactivated by the board
        group.confirm()
        if user.never_activated:
            user.is_active = True
            user.save(update_fields=["is_active"])
    return group
