"""The base app's own personal data: the account, consents, mail, logins, the admin log.

Registered like every app's (see wabp.registry). The account and consents open the
download and the mail and login records close it; the erasure of mail, logins, the
admin log and sessions runs after the other apps' (they may still need the address),
just before the user row goes.
"""

from datetime import timedelta
from importlib import import_module
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from wabp import registry
from wabp.models import Consent, OutboundEmail, RateLimitWindow, User

FIRST, LAST = 0, 900
# A phone number shorter than this is too unspecific to search other people's mail for.
MIN_PHONE_LENGTH = 6
# Accounts nobody activated are deleted after this long.
UNACTIVATED = timedelta(days=30)
# The board's history in the admin names the people whose data it changed.
ADMIN_LOG_KEEP = timedelta(days=365)
MAIL_KEEP = timedelta(days=settings.RETENTION_DAYS["outbound_email"])
LOGIN_RECORD_KEEP = timedelta(days=settings.RETENTION_DAYS["axes_attempts"])
RATE_LIMIT_KEEP = timedelta(days=1)
UNDELIVERABLE = "undeliverable e-mails"  # also read by wabp.status


# Export -----------------------------------------------------------------------------------


def account_data(user: User) -> dict[str, Any]:
    return {
        "account": _account(user),
        "consents": [
            {"document": c.document, "version": c.version, "given_at": c.given_at}
            for c in Consent.objects.filter(user=user).order_by("given_at")
        ],
    }


def _account(user: User) -> dict[str, Any]:
    # Named fields only: never the password hash, whatever fields are added later.
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "municipality_staff_of": user.municipality.name if user.municipality_id else None,
        "share_email_with_municipality": user.share_email_with_municipality,
        "trained_at": user.trained_at,
        "is_board": user.is_staff,
        "is_active": user.is_active,
        "activated_at": user.activated_at,
        "pending_email": user.pending_email,
        "pending_email_requested_at": user.pending_email_requested_at,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def mail_and_login_data(user: User) -> dict[str, Any]:
    to_address = registry.by_verified_address(user, "to")
    by_username = registry.by_verified_address(user, "username")
    return {
        "emails": [
            {
                "subject": mail.subject,
                "kind": mail.kind,
                "created_at": mail.created_at,
                "sent_at": mail.sent_at,
            }
            for mail in OutboundEmail.objects.filter(to_address).order_by("created_at")
        ],
        "logins": {
            "successful": [
                {
                    "at": log.attempt_time,
                    "logout_at": log.logout_time,
                    "ip_address": log.ip_address,
                    "user_agent": log.user_agent,
                }
                for log in AccessLog.objects.filter(by_username).order_by("attempt_time")
            ],
            "failed": [
                {
                    "at": attempt.attempt_time,
                    "ip_address": attempt.ip_address,
                    "failures": attempt.failures_since_start,
                }
                for attempt in AccessAttempt.objects.filter(by_username).order_by("attempt_time")
            ],
        },
    }


# Erasure ----------------------------------------------------------------------------------


def erase_portal_data(user: User) -> None:
    # Mail and logins are found by address: only by one the account has verified.
    email, phone = user.verified_email, user.phone.strip()
    if email:
        _delete_mail(email, phone)
        _delete_login_records(email)
    _delete_admin_log(user, email)
    _end_sessions(user)
    Consent.objects.filter(user=user).delete()


def _delete_mail(email: str, phone: str) -> None:
    """Mail to the user, and mail to others that quotes them (e.g. a join request to admins)."""
    about = Q(to__iexact=email)
    for value in [email] + ([phone] if len(phone) >= MIN_PHONE_LENGTH else []):
        about |= Q(subject__icontains=value) | Q(body__icontains=value)
        about |= Q(html_body__icontains=value) | Q(last_error__icontains=value)
    OutboundEmail.objects.filter(about).delete()


def _delete_login_records(email: str) -> None:
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=email).delete()


def _delete_admin_log(user: User, email: str) -> None:
    """The board's admin history that names the user: of the account itself, and of rows
    whose description holds their address or full name (e.g. "Zoë Wisbaar – Buurtwacht")."""
    user_type = ContentType.objects.get_for_model(User)
    naming = Q(content_type=user_type, object_id=str(user.pk))
    if email:
        naming |= Q(object_repr__icontains=email) | Q(change_message__icontains=email)
    if user.first_name and user.last_name:  # a first name alone would match strangers
        naming |= Q(object_repr__icontains=user.get_full_name())
    LogEntry.objects.filter(naming).delete()


def _end_sessions(user: User) -> None:
    """Log the user out everywhere. Sessions store only the user id, so each is decoded."""
    session_model = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in session_model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == user_id
    ]
    session_model.objects.filter(pk__in=ended).delete()


# Retention --------------------------------------------------------------------------------


def never_activated_accounts() -> QuerySet:
    """Accounts not activated within UNACTIVATED, unless an app still needs them."""
    accounts = User.objects.filter(
        is_active=False,
        last_login__isnull=True,
        date_joined__lt=timezone.now() - UNACTIVATED,
        is_staff=False,
    )
    for in_use in registry.ACCOUNTS_IN_USE:
        accounts = accounts.exclude(in_use())
    return accounts


# Registration -----------------------------------------------------------------------------

registry.register_export(account_data, order=FIRST)
registry.register_export(mail_and_login_data, order=LAST)
registry.register_erasure(erase_portal_data, order=LAST)

registry.register_retention(
    "rate-limit windows",
    "1 day",
    lambda: RateLimitWindow.objects.filter(window_start__lt=timezone.now() - RATE_LIMIT_KEEP),
)
registry.register_retention(
    "sent e-mails",
    f"{MAIL_KEEP.days} days after sending",
    lambda: OutboundEmail.objects.filter(sent_at__lt=timezone.now() - MAIL_KEEP),
)
registry.register_retention(
    UNDELIVERABLE,
    f"{MAIL_KEEP.days} days after queueing, when still not delivered",
    lambda: OutboundEmail.objects.pending().filter(created_at__lt=timezone.now() - MAIL_KEEP),
)
registry.register_retention(
    "login attempts",
    f"{LOGIN_RECORD_KEEP.days} days",
    lambda: AccessAttempt.objects.filter(attempt_time__lt=timezone.now() - LOGIN_RECORD_KEEP),
)
registry.register_retention(
    "login records",
    f"{LOGIN_RECORD_KEEP.days} days",
    lambda: AccessLog.objects.filter(attempt_time__lt=timezone.now() - LOGIN_RECORD_KEEP),
)
registry.register_retention(
    "failed-login log",
    f"{LOGIN_RECORD_KEEP.days} days",
    lambda: AccessFailureLog.objects.filter(attempt_time__lt=timezone.now() - LOGIN_RECORD_KEEP),
)
registry.register_retention(
    "admin history",
    "a year",
    lambda: LogEntry.objects.filter(action_time__lt=timezone.now() - ADMIN_LOG_KEEP),
)
# Last: the other apps' rules may delete what kept an account in use (a pending group).
registry.register_retention(
    "never-activated accounts",
    f"{UNACTIVATED.days} days after signing up",
    never_activated_accounts,
    order=LAST,
)
