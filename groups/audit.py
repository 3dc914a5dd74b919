"""The board's audit trail: who did what to a group, and when (django-auditlog).

Two kinds of entries, both auditlog LogEntry rows:

- Saves of registered models, logged by auditlog itself with the actor that its middleware
  takes from the request: a group's details and status (the admin's edit page, the board's
  admin, "inactive"/"active"), and a join request's status -- never the resident's name,
  e-mail, phone, street, postcode or message (`include_fields` below).
- Actions that are not one model save, recorded here with `record()`: postcodes added or
  removed in bulk, co-admins added and removed, a handover, an undone decline, and the
  board's decisions on coverage claims and staff requests (written with `.update()`, so no
  save signal fires).

Every entry carries `additional_data["group_id"]` when it concerns a group, so the admin
shows one group's trail in one list (groups.admin.AuditEntryAdmin). People appear in
`changes` only as account numbers ("user 12"), never by name or address: the actor is the
one identifying field, and erasing an account blanks it (groups.personal_data). Entries are
kept AUDIT_KEEP (two years) and then deleted by the nightly purge_expired job.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db import models

# How long the board keeps the trail: long enough to answer a question about last year's
# handover, short enough not to become an archive of volunteers' doings.
AUDIT_KEEP = timedelta(days=730)

# What of a group someone decides (its details, status and the board's verification); not
# the bookkeeping timestamps, and not the reverse relations (auditlog would list each on
# creation). Coverage and admins are logged by record().
GROUP_FIELDS = [
    "name",
    "slug",
    "platform",
    "description",
    "area",
    "street",
    "municipality",
    "status",
    "deactivation_reason",
    "registered_with_municipality",
    "registered_with_police",
    "member_count",
    "is_verified",
]


def register_models() -> None:
    """Called once from GroupsConfig.ready()."""
    from groups.models import Group, JoinRequest

    auditlog.register(Group, include_fields=GROUP_FIELDS)
    # Only the decision: a join request's contact details never reach the trail.
    auditlog.register(JoinRequest, include_fields=["status", "handled_by"])


def user_ref(user) -> str | None:
    """How a person other than the actor appears in an entry: by account number only."""
    return None if user is None else f"user {user.pk}"


def record(
    instance: models.Model,
    event: str,
    *,
    actor=None,
    changes: dict[str, list[Any]] | None = None,
    group=None,
    object_repr: str | None = None,
) -> LogEntry:
    """Log an action on `instance` that auditlog cannot see as one save.

    `event` names it (e.g. "coverage_removed"), `changes` maps a field or topic to
    [before, after], `group` is the group it concerns (default: `instance` itself, or its
    `group`). With `actor=None` the request's user (from the middleware) is used.
    """
    group = group or (instance if _is_group(instance) else getattr(instance, "group", None))
    kwargs: dict[str, Any] = {
        "action": LogEntry.Action.UPDATE,
        "changes": {"event": [None, event], **(changes or {})},
        "additional_data": {"event": event, **group_data(group)},
        "force_log": True,
    }
    if object_repr is not None:
        kwargs["object_repr"] = object_repr
    if actor is not None:
        kwargs["actor"] = actor
    return LogEntry.objects.log_create(instance, **kwargs)


def coverage_change(postcodes, added: bool) -> dict[str, list[Any]]:
    """`changes` for postcodes added to or removed from a group's coverage, as ranges."""
    from groups.coverage import ranges_of

    ranges = ", ".join(ranges_of(sorted(postcodes)))
    return {
        "postcodes": [None, ranges] if added else [ranges, None],
        "count": [None, len(postcodes)] if added else [len(postcodes), None],
    }


def group_data(group) -> dict[str, Any]:
    if group is None:
        return {}
    return {"group_id": group.pk, "group": group.name}


def _is_group(instance) -> bool:
    from groups.models import Group

    return isinstance(instance, Group)


def for_group(group_id: int):
    """Every entry about this group, newest first."""
    return LogEntry.objects.filter(additional_data__group_id=group_id).order_by("-timestamp")


def by_actor(user):
    """Every entry of what this account did, oldest first (for the data download)."""
    return LogEntry.objects.filter(actor=user).order_by("timestamp")


def expired():
    """Entries older than AUDIT_KEEP (the retention rule)."""
    from django.utils import timezone

    return LogEntry.objects.filter(timestamp__lt=timezone.now() - AUDIT_KEEP)


def erase_actor(user) -> int:
    """An erased account's entries keep what happened, not who: the actor and the address
    auditlog's middleware copies next to it are blanked."""
    return LogEntry.objects.filter(actor=user).update(actor=None, actor_email=None)


# Display (the board's admin) -------------------------------------------------------------

EVENTS = {
    "coverage_added": _("Postcodes toegevoegd"),
    "coverage_removed": _("Postcodes verwijderd"),
    "coverage_claimed": _("Postcodes aangevraagd bij het bestuur"),
    "coverage_claim_approved": _("Aanvraag postcodes goedgekeurd"),
    "coverage_claim_declined": _("Aanvraag postcodes afgewezen"),
    "admin_added": _("Beheerder toegevoegd"),
    "admin_removed": _("Beheerder verwijderd"),
    "admin_stepped_down": _("Beheerder gestopt"),
    "handover": _("Groep overgedragen"),
    "invitation_revoked": _("Uitnodiging ingetrokken"),
    "staff_request_approved": _("Aanvraag gemeentemedewerker goedgekeurd"),
    "staff_request_declined": _("Aanvraag gemeentemedewerker afgewezen"),
    "staff_request_ended": _("Toegang gemeentemedewerker beëindigd"),
    # Police access (groups.policeaccess)
    "police_request_approved": _("Aanvraag politietoegang goedgekeurd"),
    "police_request_declined": _("Aanvraag politietoegang afgewezen"),
    "police_request_ended": _("Politietoegang beëindigd"),
    # Splitting a group (groups.split)
    "split_off": _("Afgesplitst naar een nieuwe groep"),
    "split_from": _("Afgesplitst van een andere groep"),
}
ACTIONS = {
    LogEntry.Action.CREATE: _("aangemaakt"),
    LogEntry.Action.UPDATE: _("gewijzigd"),
    LogEntry.Action.DELETE: _("verwijderd"),
    LogEntry.Action.ACCESS: _("bekeken"),
}


def describe_entry(entry: LogEntry) -> str:
    """One line in Dutch: what happened, with each change as `field: before → after`."""
    event = (entry.additional_data or {}).get("event")
    # A model save: field names and choices as the admin shows them ("Status: Actief → ...").
    changes = entry.changes_dict if event else entry.changes_display_dict
    changes = {k: v for k, v in (changes or {}).items() if k != "event"}
    if event:
        title = str(EVENTS.get(event, event))
    else:
        title = f"{capfirst(entry.content_type.name)} #{entry.object_pk} {ACTIONS[entry.action]}"
    details = "; ".join(
        f"{field}: {_value(values[0])} → {_value(values[1])}"
        for field, values in changes.items()
        if isinstance(values, list | tuple) and len(values) == 2
    )
    return f"{title}: {details}" if details else title


def _value(value) -> str:
    if value in (None, "", "None"):
        return "–"
    # auditlog shows a boolean field's values as "True"/"False": the board reads Dutch.
    if value in (True, "True"):
        return str(_("ja"))
    if value in (False, "False"):
        return str(_("nee"))
    return str(value)


def actor_name(entry: LogEntry) -> str:
    """Who did it: the account, or "system" (a scheduled job, or an erased account)."""
    return str(entry.actor) if entry.actor_id else str(_("systeem of gewist account"))
