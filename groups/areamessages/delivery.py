"""Area messages from the police and municipalities: who may send, which groups an area
reaches, the rate limits, and sending.

A police officer (their area: `police_area`, approved by the board) or a municipality's staff
member (their municipality) writes a message for the admins of every active group in a set of
PC4 areas, or within a radius around a postcode, of the municipalities they cover. The admins
pass it on in their chats if they find it useful; residents never get it from the portal.

Sending (`send_area_message`) creates, in one transaction with the sender's row locked, the
AreaMessage with the groups it reached and one AreaMessageDelivery per admin (each admin once,
however many groups they run there; without those who opted out of this kind of sender), and
enqueues `deliver_area_message`, which writes each admin's mail in their language through the
outbox. The board sees every message in the admin.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.mail import send_area_message_mail
from groups.models import (
    AreaMessage,
    AreaMessageDelivery,
    AreaMessageOptOut,
    Coverage,
    Group,
    GroupAdmin,
    GroupStatus,
    PoliceRequest,
    SenderType,
    StaffRequest,
    StaffRequestStatus,
    police_area,
)
from postcodes.models import Area, Municipality
from wabp.models import User

# Rate limits per sender, counted from the messages in the database (so they hold across
# servers and restarts, and the board can check them): an area message asks the admins of many
# groups for their attention, which they give only if messages stay rare.
MAX_PER_DAY = 3  # in any 24 hours
MAX_PER_WEEK = 10  # in any 7 days

# How long a message may be passed on: hours to days, never longer than a week.
VALIDITY_CHOICES = [
    (6, gettext_lazy("6 uur")),
    (12, gettext_lazy("12 uur")),
    (24, gettext_lazy("24 uur")),
    (48, gettext_lazy("48 uur")),
    (72, gettext_lazy("3 dagen")),
    (168, gettext_lazy("7 dagen")),
]
# A radius around a postcode: a neighbourhood to a small town.
MIN_RADIUS_KM = Decimal("0.5")
MAX_RADIUS_KM = Decimal("5")
# More PC4 areas than a large municipality has is a mistake.
MAX_AREAS = 150


# Who may send --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    """Someone who may send area messages: their kind, the municipalities they cover and their
    name as the message shows it."""

    user: User
    sender_type: str
    municipalities: tuple[Municipality, ...]
    name: str

    @property
    def municipality_ids(self) -> list[int]:
        return [municipality.pk for municipality in self.municipalities]

    @property
    def type_label(self) -> str:
        return SenderType(self.sender_type).label

    @property
    def area_label(self) -> str:
        return ", ".join(municipality.name for municipality in self.municipalities)


def sender_for(user) -> Sender | None:
    """The user as a sender of area messages: a police officer with an approved area, or a
    municipality's staff member; None for everyone else (the board sends broadcasts)."""
    if not user.is_authenticated or not user.is_active:
        return None
    full_name = user.get_full_name() or user.first_name
    if user.is_police_officer:
        municipalities = tuple(police_area(user).order_by("name"))
        if municipalities:
            request = (
                PoliceRequest.objects.approved_for(user).order_by("-decided_at", "-pk").first()
            )
            parts = [full_name, request.job_title, request.team] if request else [full_name]
            return Sender(user, SenderType.POLICE, municipalities, _join(parts))
    if user.is_municipality_staff:
        municipality = user.municipality
        request = (
            StaffRequest.objects.filter(
                user=user, municipality=municipality, status=StaffRequestStatus.APPROVED
            )
            .order_by("-decided_at", "-pk")
            .first()
        )
        parts = [full_name, request.job_title if request else "", f"gemeente {municipality.name}"]
        return Sender(user, SenderType.MUNICIPALITY, (municipality,), _join(parts))
    return None


def _join(parts) -> str:
    return ", ".join(part.strip() for part in parts if part and part.strip())[:300]


# Which groups an area reaches ----------------------------------------------------------------


def areas_within(centre: Area, km: float, municipalities) -> QuerySet[Area]:
    """The PC4 areas of these municipalities whose centroid lies within `km` of the centre's."""
    dlat = km / 111.0
    dlon = km / (111.320 * max(0.1, _cos_deg(centre.latitude)))
    candidates = Area.objects.located().filter(
        municipality__in=municipalities,
        latitude__range=(centre.latitude - dlat, centre.latitude + dlat),
        longitude__range=(centre.longitude - dlon, centre.longitude + dlon),
    )
    codes = [
        area.code
        for area in candidates.only("code", "latitude", "longitude")
        if area.distance_km(centre.latitude, centre.longitude) <= km
    ]
    return Area.objects.filter(code__in=codes)


def _cos_deg(degrees: float) -> float:
    import math

    return math.cos(math.radians(degrees))


def reached_groups(area_codes, municipalities) -> QuerySet[Group]:
    """Active groups that cover a postcode in these PC4 areas, or that cover none and are
    located in one of them; only postcodes, and locations, in these municipalities count.

    A covered postcode counts by its own municipality (a PC4 area can straddle a border), or
    its area's where the postcode data name none.
    """
    area_codes = list(area_codes)
    in_municipalities = Q(postcode__municipality__in=municipalities) | Q(
        postcode__municipality__isnull=True, area__municipality__in=municipalities
    )
    coverage = Coverage.objects.filter(group=OuterRef("pk"))
    return Group.objects.active().filter(
        Exists(coverage.filter(in_municipalities, area__in=area_codes))
        | (~Exists(coverage) & Q(area__in=area_codes, municipality__in=municipalities))
    )


def recipients(groups: QuerySet[Group], sender_type: str, *, include_opted_out=False):
    """Active admins of these groups, each once; without those who opted out of this kind of
    sender. Residents (join requests, waiting lists) are never recipients."""
    links = GroupAdmin.objects.filter(user=OuterRef("pk"), group__in=groups)
    users = User.objects.filter(Exists(links), is_active=True)
    if not include_opted_out:
        users = users.exclude(Exists(_opt_outs(sender_type)))
    return users.order_by("pk")


def _opt_outs(sender_type: str) -> QuerySet[AreaMessageOptOut]:
    return AreaMessageOptOut.objects.filter(user=OuterRef("pk"), sender_type=sender_type)


def opted_out_count(groups: QuerySet[Group], sender_type: str) -> int:
    """How many admins of these groups opted out of this kind of sender (they miss it)."""
    return (
        recipients(groups, sender_type, include_opted_out=True)
        .filter(Exists(_opt_outs(sender_type)))
        .count()
    )


@dataclass(frozen=True)
class Reach:
    """What a message would reach now: for the preview, counts only."""

    groups: int
    admins: int
    opted_out: int


def reach(area_codes, sender: Sender) -> Reach:
    groups = reached_groups(area_codes, sender.municipality_ids)
    return Reach(
        groups=groups.count(),
        admins=recipients(groups, sender.sender_type).count(),
        opted_out=opted_out_count(groups, sender.sender_type),
    )


def describe_area(*, area_codes, centre_postcode: str = "", radius_km=None) -> str:
    """`postcodegebieden 1011, 1012` or `2 km rond 1011 AB`, in the active language."""
    from postcodes.parsing import format_postcode

    if radius_km is not None:
        return _("%(km)s km rond %(postcode)s") % {
            "km": f"{Decimal(radius_km).normalize():f}".replace(".", ","),
            "postcode": format_postcode(centre_postcode),
        }
    codes = sorted(area_codes)
    shown = ", ".join(codes[:12])
    if len(codes) > 12:
        shown = _("%(codes)s en %(n)d andere") % {"codes": shown, "n": len(codes) - 12}
    return _("postcodegebieden %(codes)s") % {"codes": shown}


def describe_message_area(message: AreaMessage) -> str:
    return describe_area(
        area_codes=[area.pk for area in message.areas.all()],
        centre_postcode=message.centre_postcode,
        radius_km=message.radius_km,
    )


# Rate limits ---------------------------------------------------------------------------------


def messages_left(user, *, now: datetime | None = None) -> int:
    """How many area messages the sender may still send now (0: wait)."""
    now = now or timezone.now()
    sent = AreaMessage.objects.filter(sender=user)
    day = sent.filter(created_at__gt=now - timedelta(hours=24)).count()
    week = sent.filter(created_at__gt=now - timedelta(days=7)).count()
    return max(0, min(MAX_PER_DAY - day, MAX_PER_WEEK - week))


# Sending -------------------------------------------------------------------------------------


class OverLimit(Exception):
    """The sender reached a rate limit: nothing was sent."""


def send_area_message(
    sender: Sender,
    *,
    subject: str,
    body: str,
    reason: str,
    reference: str,
    valid_until: datetime,
    area_codes,
    centre_postcode: str = "",
    radius_km=None,
) -> tuple[AreaMessage, bool]:
    """Record the message, its groups and its recipients, and enqueue the mails; returns
    (message, created). The same message sent again (a double press on Send) is not sent twice:
    the first one comes back with created=False. Raises OverLimit if the sender may not send.
    """
    with transaction.atomic():
        # One sender's sends one after another: the limit and the double press hold under load.
        User.objects.select_for_update().filter(pk=sender.user.pk).first()
        earlier = AreaMessage.objects.filter(
            sender=sender.user,
            subject=subject,
            body=body,
            reason=reason,
            reference=reference,
            valid_until=valid_until,
        ).first()
        if earlier is not None:
            return earlier, False
        if messages_left(sender.user) <= 0:
            raise OverLimit
        area_codes = sorted(set(area_codes))
        groups = reached_groups(area_codes, sender.municipality_ids)
        group_ids = list(groups.values_list("pk", flat=True))
        user_ids = list(recipients(groups, sender.sender_type).values_list("pk", flat=True))
        message = AreaMessage.objects.create(
            sender=sender.user,
            sender_type=sender.sender_type,
            sender_name=sender.name,
            subject=subject,
            body=body,
            reason=reason,
            reference=reference,
            valid_until=valid_until,
            centre_postcode=centre_postcode,
            radius_km=radius_km,
            admin_count=len(user_ids),
        )
        message.areas.set(area_codes)
        message.groups.set(group_ids)
        AreaMessageDelivery.objects.bulk_create(
            [AreaMessageDelivery(message=message, user_id=pk) for pk in user_ids],
            batch_size=1000,
        )
        deliver_mails.enqueue(message.pk)
    return message, True


def deliver_area_message(message_id: int) -> int:
    """Write the outbox mail of every delivery of the message that has none yet; how many.

    The message row is locked, so a second run (a retry) waits for the first and then finds
    every delivery has its mail: nobody is mailed twice.
    """
    with transaction.atomic():
        message = AreaMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return 0
        deliveries = list(
            message.deliveries.filter(email__isnull=True, user__is_active=True).select_related(
                "user"
            )
        )
        if not deliveries:
            return 0
        names: dict[int, list[str]] = {}
        for user_id, name in (
            GroupAdmin.objects.filter(
                group__in=message.groups.filter(status=GroupStatus.ACTIVE),
                user_id__in=[delivery.user_id for delivery in deliveries],
            )
            .order_by("group__name")
            .values_list("user_id", "group__name")
        ):
            names.setdefault(user_id, []).append(name)
        area_codes = list(message.areas.values_list("pk", flat=True))
        for delivery in deliveries:
            delivery.email = send_area_message_mail(
                message,
                delivery.user,
                group_names=names.get(delivery.user_id, []),
                area_codes=area_codes,
            )
        AreaMessageDelivery.objects.bulk_update(deliveries, ["email"], batch_size=1000)
        return len(deliveries)


@task
def deliver_mails(message_id: int) -> str:
    """The mails of one area message, off the web request."""
    return f"{deliver_area_message(message_id)} mails queued"
