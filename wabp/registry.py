"""What each app holds about a person, registered by the app itself.

`wabp` is the base app: it imports nothing from groups, elearning or panels. Where it
needs every app -- the data download, erasing an account, retention and the "My account"
page -- it asks this registry. Each app fills it from its own `personal_data` module,
which WabpConfig.ready() imports with Django's `autodiscover_modules` (as the admin finds
`admin.py`):

    # panels/personal_data.py
    from wabp import registry

    registry.register_export(panels_data)          # part of the JSON download
    registry.register_erasure(erase_panels_data)   # part of deleting an account
    registry.register_retention(                   # what expires when
        "panel invitations", "30 days", lambda: PanelInvitation.objects.expired()
    )
    registry.register_account_section("panels/account/_panels.html", my_panels)

Rows found by e-mail address rather than by user (e.g. a join request made without
logging in) are selected with `by_verified_address(user)`, never with `user.email`.

wabp.privacy iterates the registry (download, delete, purge); `manage.py purge_expired`
runs the retention rules. Within each kind, entries run by `order`, then in the order of
INSTALLED_APPS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

# Entries without an explicit order; the base app's own come first (0) or last (900).
DEFAULT_ORDER = 100


@dataclass(frozen=True)
class Export:
    """Part of the personal-data download: `collect(user)` returns top-level JSON keys.

    A fixed number of queries whatever the amount of data, and never another person's data.
    """

    collect: Callable[[Any], dict[str, Any]]
    order: int = DEFAULT_ORDER


@dataclass(frozen=True)
class Erasure:
    """Part of deleting an account: `erase(user)` deletes what belongs to the person.

    It runs inside the deletion's transaction, before the user row itself goes, and may
    return details for the caller (e.g. the groups that became inactive).
    """

    erase: Callable[[Any], dict[str, Any] | None]
    order: int = DEFAULT_ORDER


@dataclass(frozen=True)
class RetentionRule:
    """Rows past their retention period: `expired()` returns them as of now.

    `period` says when they expire, in words (docs/privacy.md lists every rule).
    """

    name: str
    period: str
    expired: Callable[[], QuerySet]
    order: int = DEFAULT_ORDER

    def count(self) -> int:
        """How many rows would go now."""
        return self.expired().count()

    def apply(self) -> int:
        """Delete the expired rows; how many (as `count()`, not counting rows that cascade)."""
        queryset = self.expired()
        _total, per_model = queryset.delete()
        return per_model.get(queryset.model._meta.label, 0)


@dataclass(frozen=True)
class PageSection:
    """A block another app adds to a page of "my account" (e.g. my groups, my certificates).

    `context(request)` returns the template's context, or None to leave the section out
    for this user.
    """

    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = DEFAULT_ORDER


EXPORTS: list[Export] = []
ERASURES: list[Erasure] = []
RETENTION_RULES: list[RetentionRule] = []
ACCOUNT_SECTIONS: list[PageSection] = []
DELETION_SECTIONS: list[PageSection] = []
# Conditions (on the user model) under which an account is still needed by an app.
ACCOUNTS_IN_USE: list[Callable[[], Q]] = []


def _add(entries: list, entry) -> None:
    # A module imported twice (e.g. by a test) must not register its parts twice.
    if entry not in entries:
        entries.append(entry)
        entries.sort(key=lambda e: e.order)


def register_export(collect: Callable[[Any], dict[str, Any]], order: int = DEFAULT_ORDER) -> None:
    """Add keys to the personal-data download."""
    _add(EXPORTS, Export(collect, order))


def register_erasure(
    erase: Callable[[Any], dict[str, Any] | None], order: int = DEFAULT_ORDER
) -> None:
    """Add a step to deleting an account."""
    _add(ERASURES, Erasure(erase, order))


def register_retention(
    name: str,
    period: str,
    expired: Callable[[], QuerySet],
    *,
    order: int = DEFAULT_ORDER,
) -> None:
    """Add a retention rule to `manage.py purge_expired`. Names are unique."""
    if any(rule.name == name for rule in RETENTION_RULES):
        return
    _add(RETENTION_RULES, RetentionRule(name, period, expired, order))


def register_account_section(
    template: str, context: Callable[[HttpRequest], dict | None], order: int = DEFAULT_ORDER
) -> None:
    """Add a section to "my account" (/account/)."""
    _add(ACCOUNT_SECTIONS, PageSection(template, context, order))


def register_deletion_section(
    template: str, context: Callable[[HttpRequest], dict | None], order: int = DEFAULT_ORDER
) -> None:
    """Add a section to the page that confirms deleting an account (what the user loses)."""
    _add(DELETION_SECTIONS, PageSection(template, context, order))


def register_account_in_use(condition: Callable[[], Q]) -> None:
    """Say when an account is still needed by an app, so retention never deletes it.

    `condition()` is a filter on the user model, e.g. "administers a group".
    """
    if condition not in ACCOUNTS_IN_USE:
        ACCOUNTS_IN_USE.append(condition)


def by_verified_address(user, field: str = "email") -> Q:
    """A filter on `field` for rows tied to the user's address, for exports and erasures.

    Only the account's verified address counts (User.verified_email): before that, anyone
    could have typed someone else's address, and must not get or delete their data.
    """
    email = user.verified_email
    return Q(**{f"{field}__iexact": email}) if email else Q(pk__in=[])


def sections(entries: list[PageSection], request: HttpRequest) -> list[tuple[str, dict]]:
    """(template, context) of each section that has something to show this user."""
    shown = []
    for section in entries:
        context = section.context(request)
        if context is not None:
            shown.append((section.template, context))
    return shown
