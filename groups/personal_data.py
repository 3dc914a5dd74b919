"""The groups app's personal data, for wabp.registry: export, erasure, retention, account pages.

What the groups app holds about a person: the groups they administer, invitations to
co-administer, the join requests and waiting-list entries they made as a resident (found
by the account's verified e-mail address: made without logging in, but the same person), sign requests,
the staff requests they made as a municipality employee, and the
board's broadcasts they received or unsubscribed from, and the audit-trail entries of what
they did as admin, staff or board member (groups.audit: on erasure the entries stay, without
the actor; residents never appear in them).

On erasure a group the person ran alone stays, inactive and without admins (group data is
not personal data; another admin can still take it over through an open invitation). Join
requests they handled as an admin are the resident's data: they keep their own retention
period and only the link to the admin goes (SET_NULL), as with invitations they sent, sign
requests and broadcasts.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone

from groups import audit
from groups.models import (
    BroadcastDelivery,
    BroadcastOptOut,
    Group,
    GroupAdmin,
    GroupStatus,
    Invitation,
    JoinRequest,
    PoliceAccessLog,
    PoliceRequest,
    SignRequest,
    SignRequestStatus,
    StaffRequest,
    TipDelivery,
    TipSubscription,
    WaitingListEntry,
)
from wabp import registry
from wabp.links import absolute

# Registrations and invitations nobody confirmed are deleted after this long.
UNCONFIRMED = timedelta(days=30)
# Who received a broadcast: the board's record of its message, for a year.
BROADCAST_DELIVERY_KEEP = timedelta(days=365)
# A declined sign request (its reason may name people) goes a year after the decision;
# open, approved and placed ones stay with the group (a placed sign is still on the street).
DECLINED_SIGN_REQUEST_KEEP = timedelta(days=365)
# A municipality employee's staff request: gone a month after it was declined or its access
# ended, or a month after it was made if its address was never verified. An approved one stays
# while the access does: it records who approved it.
STAFF_REQUEST_KEEP = timedelta(days=30)
# A police officer's access request: as a staff request. The log of what officers saw and did
# in the police workspace is the board's record of their access: kept as the audit trail is.
POLICE_REQUEST_KEEP = timedelta(days=30)
POLICE_ACCESS_LOG_KEEP = audit.AUDIT_KEEP


# Export -----------------------------------------------------------------------------------


def groups_data(user) -> dict[str, Any]:
    """Other people's personal data is left out: no co-admins, no residents of join
    requests the user handled, no addresses the user invited."""
    memberships = GroupAdmin.objects.filter(user=user).select_related(
        "group__area", "group__municipality"
    )
    groups = []
    for membership in memberships.order_by("group__name"):
        group = membership.group
        groups.append(
            {
                "name": group.name,
                "url": absolute(group.get_absolute_url()),
                "platform": group.platform,
                "description": group.description,
                "area": group.area_id,
                "place": group.area.place,
                "street": group.street,
                "municipality": group.municipality.name if group.municipality_id else None,
                "status": group.status,
                "registered_with_municipality": group.registered_with_municipality,
                "registered_with_police": group.registered_with_police,
                "member_count": group.member_count,
                "is_verified": group.is_verified,
                "created_at": group.created_at,
                "confirmed_at": group.confirmed_at,
                "last_confirmed_at": group.last_confirmed_at,
                "admin_since": membership.added_at,
                "last_tested_at": group.last_tested_at,
                "monthly_test_reminder": membership.monthly_test,
            }
        )
    return {
        "groups_administered": groups,
        "admin_invitations_sent": [
            {
                "group": invitation.group.name,
                "handover": invitation.handover,
                "created_at": invitation.created_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in Invitation.objects.filter(invited_by=user)
            .select_related("group")
            .order_by("created_at")
        ],
        "admin_invitations_received": [
            {
                "group": invitation.group.name,
                "email": invitation.email,
                "handover": invitation.handover,
                "created_at": invitation.created_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in Invitation.objects.filter(registry.by_verified_address(user))
            .select_related("group")
            .order_by("created_at")
        ],
        # The resident's details are theirs, not the admin's: ids, group and dates only.
        "join_requests_handled": [
            {
                "id": request.pk,
                "group": request.group.name,
                "status": request.status,
                "created_at": request.created_at,
                "handled_at": request.handled_at,
            }
            for request in JoinRequest.objects.filter(handled_by=user)
            .select_related("group")
            .order_by("handled_at")
        ],
        "join_requests_made": [
            {
                "group": request.group.name,
                "name": request.name,
                "email": request.email,
                "phone": request.phone,
                "street": request.street,
                "postcode": request.postcode,
                "status": request.status,
                "consent_version": request.consent_version,
                "language": request.language,
                "created_at": request.created_at,
                "confirmed_at": request.confirmed_at,
                "handled_at": request.handled_at,
            }
            for request in JoinRequest.objects.filter(registry.by_verified_address(user))
            .select_related("group")
            .order_by("created_at")
        ],
        "waiting_list": [
            {
                "email": entry.email,
                "area": entry.area_id,
                "postcode": entry.postcode_id,
                "language": entry.language,
                "created_at": entry.created_at,
                "confirmed_at": entry.confirmed_at,
                "notified_at": entry.notified_at,
            }
            for entry in WaitingListEntry.objects.filter(
                registry.by_verified_address(user)
            ).order_by("created_at")
        ],
        "sign_requests": [
            {
                "group": sign.group.name,
                "municipality": sign.municipality.name,
                "street": sign.street,
                "reason": sign.reason,
                "status": sign.status,
                "note": sign.note,
                "created_at": sign.created_at,
                "updated_at": sign.updated_at,
            }
            for sign in SignRequest.objects.filter(requested_by=user)
            .select_related("group", "municipality")
            .order_by("created_at")
        ],
        "staff_requests": [
            {
                "municipality": staff_request.municipality.name,
                "first_name": staff_request.first_name,
                "last_name": staff_request.last_name,
                "email": staff_request.email,
                "job_title": staff_request.job_title,
                "status": staff_request.status,
                "created_at": staff_request.created_at,
                "verified_at": staff_request.verified_at,
                "decided_at": staff_request.decided_at,
            }
            for staff_request in StaffRequest.objects.filter(
                registry.by_verified_address(user) | Q(user=user)
            )
            .select_related("municipality")
            .order_by("created_at")
        ],
        "police_requests": [
            {
                "first_name": police_request.first_name,
                "last_name": police_request.last_name,
                "email": police_request.email,
                "team": police_request.team,
                "job_title": police_request.job_title,
                "area": [municipality.name for municipality in police_request.municipalities.all()],
                "status": police_request.status,
                "created_at": police_request.created_at,
                "verified_at": police_request.verified_at,
                "decided_at": police_request.decided_at,
            }
            for police_request in PoliceRequest.objects.filter(
                registry.by_verified_address(user) | Q(user=user)
            )
            .prefetch_related("municipalities")
            .order_by("created_at")
        ],
        # What the officer saw and did in the police workspace, as the board's log has it.
        "police_access_log": [
            {"at": entry.at, "action": entry.action, "path": entry.path}
            for entry in PoliceAccessLog.objects.filter(user=user).order_by("at")
        ],
        "broadcast_opt_out": (
            BroadcastOptOut.objects.filter(user=user).values_list("created_at", flat=True).first()
        ),
        "broadcasts_received": [
            {"subject": delivery.broadcast.subject, "created_at": delivery.created_at}
            for delivery in BroadcastDelivery.objects.filter(user=user)
            .select_related("broadcast")
            .order_by("created_at")
        ],
        # Prevention tips: the monthly tip by mail, and which tips it sent.
        "tip_subscription": (
            TipSubscription.objects.filter(user=user).values_list("created_at", flat=True).first()
        ),
        "tips_received": [
            {"tip": delivery.tip.title, "month": delivery.month, "sent_at": delivery.created_at}
            for delivery in TipDelivery.objects.filter(user=user)
            .select_related("tip")
            .order_by("month")
        ],
        # What the user did as admin, staff or board member, as the board's trail has it.
        "audit_trail": [
            {
                "timestamp": entry.timestamp,
                "group": (entry.additional_data or {}).get("group"),
                "what": audit.describe_entry(entry),
            }
            for entry in audit.by_actor(user).select_related("content_type")
        ],
    }


# Erasure ----------------------------------------------------------------------------------


def erase_groups_data(user) -> dict[str, Any]:
    by_address = registry.by_verified_address(user)
    names = []
    for group in Group.objects.administered_alone_by(user).select_for_update(of=("self",)):
        group.deactivate()
        names.append(group.name)
    GroupAdmin.objects.filter(user=user).delete()
    JoinRequest.objects.filter(by_address).delete()
    WaitingListEntry.objects.filter(by_address).delete()
    Invitation.objects.filter(by_address).delete()
    StaffRequest.objects.filter(by_address | Q(user=user)).delete()
    # The access log keeps what was seen and done, not by whom (SET_NULL on the account).
    PoliceRequest.objects.filter(by_address | Q(user=user)).delete()
    TipSubscription.objects.filter(user=user).delete()
    TipDelivery.objects.filter(user=user).delete()
    audit.erase_actor(user)
    return {"groups_deactivated": names}


# Account pages ----------------------------------------------------------------------------


def my_groups(request: HttpRequest) -> dict | None:
    """For "my account": the groups this user administers, each with its /beheer/ page."""
    groups = list(Group.objects.administered_by(request.user).order_by("name"))
    return {"groups": groups} if groups else None


def groups_losing_their_admin(request: HttpRequest) -> dict | None:
    """For the delete page: the groups that become inactive when this account goes."""
    groups = list(Group.objects.administered_alone_by(request.user).order_by("name"))
    return {"groups": groups} if groups else None


# Registration -----------------------------------------------------------------------------

HANDLED_DAYS = settings.RETENTION_DAYS["join_request_handled"]
OPEN_DAYS = settings.RETENTION_DAYS["join_request_open"]

registry.register_export(groups_data)
registry.register_erasure(erase_groups_data)
registry.register_account_section("groups/account/_groups.html", my_groups)
registry.register_deletion_section(
    "groups/account/_before_deletion.html", groups_losing_their_admin
)
# A never-activated account that administers a group was registered with it: the rule for
# unconfirmed registrations decides when both go.
registry.register_account_in_use(lambda: Exists(GroupAdmin.objects.filter(user=OuterRef("pk"))))

registry.register_retention(
    "join requests",
    f"{HANDLED_DAYS} days after handling; {OPEN_DAYS} days when never handled",
    lambda: JoinRequest.objects.expired(),
)
registry.register_retention(
    "waiting-list entries",
    "a year after signing up; a month when never confirmed",
    lambda: WaitingListEntry.objects.expired(),
)
registry.register_retention(
    "co-admin invitations",
    f"{UNCONFIRMED.days} days",
    lambda: Invitation.objects.filter(created_at__lt=timezone.now() - UNCONFIRMED),
)
registry.register_retention(
    "unconfirmed registrations",
    f"{UNCONFIRMED.days} days",
    lambda: Group.objects.filter(
        status=GroupStatus.PENDING, created_at__lt=timezone.now() - UNCONFIRMED
    ),
)
registry.register_retention(
    "broadcast deliveries",
    "a year after the broadcast was sent",
    lambda: BroadcastDelivery.objects.filter(
        created_at__lt=timezone.now() - BROADCAST_DELIVERY_KEEP
    ),
)
registry.register_retention(
    "declined sign requests",
    "a year after the municipality declined",
    lambda: SignRequest.objects.filter(
        status=SignRequestStatus.DECLINED,
        updated_at__lt=timezone.now() - DECLINED_SIGN_REQUEST_KEEP,
    ),
)
registry.register_retention(
    "audit trail",
    f"{audit.AUDIT_KEEP.days} days",
    audit.expired,
)
registry.register_retention(
    "staff requests",
    "a month after being declined or ended; a month when never verified",
    lambda: StaffRequest.objects.expired(
        unverified_after=STAFF_REQUEST_KEEP, decided_after=STAFF_REQUEST_KEEP
    ),
)
registry.register_retention(
    "police access requests",
    "a month after being declined or ended; a month when never verified",
    lambda: PoliceRequest.objects.expired(
        unverified_after=POLICE_REQUEST_KEEP, decided_after=POLICE_REQUEST_KEEP
    ),
)
registry.register_retention(
    "police access log",
    f"{POLICE_ACCESS_LOG_KEEP.days} days",
    lambda: PoliceAccessLog.objects.filter(at__lt=timezone.now() - POLICE_ACCESS_LOG_KEEP),
)
