"""Neighbourhood-watch groups, the postcodes they cover, their admins and join requests."""

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, F, FloatField, OuterRef, Q
from django.db.models.functions import ACos, Coalesce, Cos, Greatest, Least, Radians, Sin, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from groups import audit
from groups.audit import user_ref
from postcodes.models import EARTH_RADIUS_KM, Area, Municipality, Postcode
from postcodes.parsing import format_postcode
from wabp.contact import normalise_email
from wabp.models import language_field
from wabp.signed import token_hash

# How long a group stays active without its admins confirming it is still running.
RECONFIRM_AFTER = timedelta(days=365)
# After the "still active?" mail: a reminder, then inactive.
RECONFIRM_REMINDER_AFTER = timedelta(days=14)
RECONFIRM_GRACE = timedelta(days=30)
# The monthly test (groups.monthlytest): a group whose admins confirmed a test message in
# the chat this recently is alive, so the yearly "still active?" question skips it. Three
# months, not one: an admin who forgets a month or two should not get the yearly question
# for it; a group silent for a quarter is asked as before.
TEST_COUNTS_AS_LIFE = timedelta(days=90)
# The board's figure "tested recently": a test in the last two months (one missed month is
# forgiven, as with a reminder read late).
TESTED_RECENTLY = timedelta(days=61)
# Tries to save a new group under a free slug while others take the same one.
SLUG_ATTEMPTS = 5
# The most members a group may say it has. One cap for every platform: a WhatsApp group holds
# 1,024 members and a Signal group 1,000, but a WhatsApp Community's announcement group holds
# 5,000 and Telegram 200,000; 5,000 allows the largest real neighbourhood community (the
# registration form's limit all along) while keeping the published totals honest. A cap per
# platform would make changing the platform fail on an old estimate, for little gain: the count
# is an estimate the admin types.
MAX_MEMBER_COUNT = 5000
# The most members one chat group holds, per platform (issue 17: an admin whose group nears
# it is offered a split). WhatsApp: 1,024 per group (faq.whatsapp.com, "How to create and
# invite into a group", 2024); Signal: 1,000 (support.signal.org, "Group chats"); Telegram:
# 200,000 (telegram.org/faq, "Groups"). "Other" has no known limit.
PLATFORM_MEMBER_LIMITS = {"whatsapp": 1024, "signal": 1000, "telegram": 200_000}
# From this share of the limit the overview suggests splitting the group.
NEARLY_FULL_SHARE = 0.8


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Platform(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    SIGNAL = "signal", "Signal"
    TELEGRAM = "telegram", "Telegram"
    OTHER = "other", _("Anders")


class GroupStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op bevestiging per e-mail")
    ACTIVE = "active", _("Actief")
    INACTIVE = "inactive", _("Niet actief")
    SUSPENDED = "suspended", _("Geschorst door het bestuur")


class DeactivationReason(models.TextChoices):
    """Why a group is inactive: it decides who may make it active again."""

    ADMIN = "admin", _("Door een beheerder gestopt")
    UNANSWERED = "unanswered", _("Geen antwoord op 'nog actief?'")


class GroupQuerySet(models.QuerySet):
    def active(self):
        """Groups shown in search and on the map."""
        return self.filter(status=GroupStatus.ACTIVE)

    def administered_by(self, user):
        """Groups this user is an admin of."""
        return self.filter(admins=user)

    def administered_alone_by(self, user):
        """Groups this user is the only admin of (they become inactive when the account goes)."""
        others = GroupAdmin.objects.filter(group=OuterRef("pk")).exclude(user=user)
        return self.administered_by(user).exclude(Exists(others))

    def manageable_by(self, user):
        """Groups this user may manage in /beheer/: theirs, unless the board suspended them."""
        return self.administered_by(user).exclude(status=GroupStatus.SUSPENDED)

    def covering(self, postcode: str):
        """Groups whose coverage contains this PC6 postcode (`1234AB`)."""
        return self.filter(Exists(Coverage.objects.filter(group=OuterRef("pk"), postcode=postcode)))

    def in_place(self, name: str):
        """Groups located in a place: any PC4 area it names, or its municipality's."""
        return self.filter(area__in=Area.objects.in_place(name))

    def covering_area(self, area_code: str):
        """Groups covering at least one postcode in this PC4 area."""
        return self.filter(Exists(Coverage.objects.filter(group=OuterRef("pk"), area=area_code)))

    def near(self, latitude: float, longitude: float, km: float):
        """Groups located within `km` of a point, annotated with `distance_km`, nearest first.

        A bounding box on the area centroids narrows the candidates (indexed),
        then the great-circle distance decides.
        """
        dlat = km / 111.0
        dlon = km / (111.320 * max(0.1, _cos_deg(latitude)))
        distance = _great_circle_km(latitude, longitude)
        return (
            self.filter(
                area__latitude__range=(latitude - dlat, latitude + dlat),
                area__longitude__range=(longitude - dlon, longitude + dlon),
            )
            .annotate(distance_km=distance)
            .filter(distance_km__lte=km)
            .order_by("distance_km", "name")
        )

    def nearest(self, latitude: float, longitude: float, km: float, limit: int, exclude=()):
        """The `limit` active groups located nearest a point within `km`, as a list with
        `distance_km` set (two queries, whatever the number of groups).

        Cost grows with the number of PC4 areas within `km`, not with the number of groups:
        for each nearby area at most `limit` groups are read, in name order, straight from
        the (status, area, name) index; only those candidates are sorted.
        """
        dlat = km / 111.0
        dlon = km / (111.320 * max(0.1, _cos_deg(latitude)))
        with connection.cursor() as cursor:
            cursor.execute(
                _NEAREST_SQL,
                {
                    "lat": latitude,
                    "lon": longitude,
                    "cos_lat": _cos_deg(latitude),
                    "radius": EARTH_RADIUS_KM,
                    "lat_min": latitude - dlat,
                    "lat_max": latitude + dlat,
                    "lon_min": longitude - dlon,
                    "lon_max": longitude + dlon,
                    "km": km,
                    "active": GroupStatus.ACTIVE,
                    "exclude": list(exclude),
                    "limit": limit,
                },
            )
            ranked = cursor.fetchall()
        distances = dict(ranked)
        groups = {group.pk: group for group in self.filter(pk__in=distances)}
        nearest = []
        for pk, distance in ranked:
            if pk in groups:
                groups[pk].distance_km = distance
                nearest.append(groups[pk])
        return nearest

    def with_trained_admin(self):
        """Annotate `has_trained_admin`: an admin holds a valid e-learning certificate."""
        return self.annotate(
            has_trained_admin=Exists(
                GroupAdmin.objects.filter(group=OuterRef("pk"), user__trained_at__isnull=False)
            )
        )

    def for_listing(self):
        """What public lists need, in one query."""
        return self.select_related("area", "municipality").with_trained_admin()

    # Search and overlap checks (public side).

    def sharing_coverage(self, postcodes):
        """Groups covering at least one of these PC6 postcodes."""
        return self.filter(
            Exists(Coverage.objects.filter(group=OuterRef("pk"), postcode__in=list(postcodes)))
        )

    def similar_name(self, name: str, threshold: float = 0.4):
        """Groups whose name looks like `name` (pg_trgm), most similar first.

        The `%` filter can use the trigram index on UPPER(name); the threshold then decides.
        """
        from django.contrib.postgres.search import TrigramSimilarity

        value = name.upper()
        return (
            self.alias(upper_name=Upper("name"))
            .filter(upper_name__trigram_similar=value)
            .annotate(similarity=TrigramSimilarity(Upper("name"), value))
            .filter(similarity__gt=threshold)
            .order_by("-similarity", "name")
        )

    def matching(self, query: str, threshold: float = 0.3):
        """Groups whose name contains something like `query` (pg_trgm word similarity)."""
        from django.contrib.postgres.search import TrigramWordSimilarity

        value = query.upper()
        return (
            self.alias(upper_name=Upper("name"))
            .filter(upper_name__trigram_word_similar=value)
            .annotate(similarity=TrigramWordSimilarity(value, Upper("name")))
            .filter(similarity__gt=threshold)
            .order_by("-similarity", "name")
        )

    # The monthly test (groups.monthlytest).

    def testing_monthly(self):
        """Groups with at least one active admin who opted in to the monthly test reminder."""
        return self.filter(
            Exists(
                GroupAdmin.objects.filter(
                    group=OuterRef("pk"), monthly_test=True, user__is_active=True
                )
            )
        )

    def tested_since(self, since):
        """Groups whose admins confirmed a test message at or after `since`."""
        return self.filter(last_tested_at__gte=since)

    # Freshness: the yearly "still active?" round (see groups.tasks).

    def due_for_reconfirmation(self):
        """Active groups last confirmed over RECONFIRM_AFTER ago, not yet asked."""
        last = Coalesce("last_confirmed_at", "confirmed_at", "created_at")
        now = timezone.now()
        return (
            self.active()
            .alias(last=last)
            .filter(last__lt=now - RECONFIRM_AFTER, reconfirm_sent_at__isnull=True)
            # A recent monthly test is a sign of life: no "still active?" for that group.
            .exclude(last_tested_at__gte=now - TEST_COUNTS_AS_LIFE)
        )

    def due_for_reconfirm_reminder(self):
        """Asked RECONFIRM_REMINDER_AFTER ago without an answer, not yet reminded."""
        return self.active().filter(
            reconfirm_sent_at__lt=timezone.now() - RECONFIRM_REMINDER_AFTER,
            reconfirm_reminded_at__isnull=True,
        )

    def past_reconfirm_grace(self):
        """Asked RECONFIRM_GRACE ago without an answer: they become inactive."""
        return self.active().filter(reconfirm_sent_at__lt=timezone.now() - RECONFIRM_GRACE)


_NEAREST_SQL = """
WITH nearby AS (
    SELECT code, distance FROM (
        SELECT code, %(radius)s * acos(least(greatest(
            sin(radians(%(lat)s)) * sin(radians(latitude))
            + %(cos_lat)s * cos(radians(latitude)) * cos(radians(longitude) - radians(%(lon)s)),
            -1.0), 1.0)) AS distance
        FROM postcodes_area
        WHERE latitude BETWEEN %(lat_min)s AND %(lat_max)s
          AND longitude BETWEEN %(lon_min)s AND %(lon_max)s
    ) located
    WHERE distance <= %(km)s
)
SELECT candidate.id, nearby.distance
FROM nearby
CROSS JOIN LATERAL (
    SELECT g.id, g.name FROM groups_group g
    WHERE g.status = %(active)s AND g.area_id = nearby.code AND NOT (g.id = ANY(%(exclude)s))
    ORDER BY g.name, g.id
    LIMIT %(limit)s
) candidate
ORDER BY nearby.distance, candidate.name, candidate.id
LIMIT %(limit)s
"""


def _cos_deg(degrees: float) -> float:
    import math

    return math.cos(math.radians(degrees))


def _great_circle_km(latitude: float, longitude: float):
    """SQL expression: distance in km from the group's area centroid to a point."""
    lat, lon = Radians(F("area__latitude")), Radians(F("area__longitude"))
    cosine = Sin(Radians(latitude)) * Sin(lat) + _cos_deg(latitude) * Cos(lat) * Cos(
        lon - Radians(longitude)
    )
    # Clamp rounding noise so ACOS never sees a value just above 1.
    return ACos(Least(Greatest(cosine, -1.0), 1.0), output_field=FloatField()) * EARTH_RADIUS_KM


class Group(models.Model):
    name = models.CharField(_("naam van de groep"), max_length=120)
    slug = models.SlugField(_("adres"), max_length=140, unique=True)
    platform = models.CharField(
        _("chatplatform"), max_length=20, choices=Platform, default=Platform.WHATSAPP
    )
    description = models.TextField(_("beschrijving"), blank=True, max_length=2000)
    # The location is kept at PC4-area precision only: never an admin's address.
    area = models.ForeignKey(
        Area, verbose_name=_("postcodegebied"), on_delete=models.PROTECT, related_name="groups"
    )
    street = models.CharField(_("straat of buurt"), max_length=120, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=GroupStatus, default=GroupStatus.PENDING
    )
    registered_with_municipality = models.BooleanField(
        _("aangemeld bij de gemeente"), default=False
    )
    registered_with_police = models.BooleanField(_("aangemeld bij de politie"), default=False)
    # Set by a police officer of the group's area (groups.police): the registration with the
    # police is then confirmed by the police, not only declared by the admin.
    police_confirmed_at = models.DateTimeField(
        _("aanmelding bevestigd door de politie"), null=True, blank=True
    )
    police_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd door (politie)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    member_count = models.PositiveIntegerField(
        _("aantal leden (ongeveer)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MEMBER_COUNT)],
    )
    is_verified = models.BooleanField(
        _("geverifieerd door het bestuur"), default=False, help_text=_("Toont een keurmerk.")
    )
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GroupAdmin",
        related_name="administered_groups",
        verbose_name=_("beheerders"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bevestigd"), null=True, blank=True)
    last_confirmed_at = models.DateTimeField(_("laatst bevestigd"), null=True, blank=True)
    reconfirm_sent_at = models.DateTimeField(_("'nog actief?' verstuurd"), null=True, blank=True)
    reconfirm_reminded_at = models.DateTimeField(_("herinnering verstuurd"), null=True, blank=True)
    # Counts the "still active?" mails sent; a mailed link names its round (groups.tasks).
    reconfirm_round = models.PositiveIntegerField(_("ronde 'nog actief?'"), default=0)
    # When an admin last confirmed posting the monthly test message (groups.monthlytest).
    last_tested_at = models.DateTimeField(_("laatst getest"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("niet actief sinds"), null=True, blank=True)
    deactivation_reason = models.CharField(
        _("reden niet actief"), max_length=20, choices=DeactivationReason, blank=True
    )
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    # Issue 17: a group split off from another (groups.split) remembers where it came from.
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("afgesplitst van"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="split_offs",
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["name"]
        indexes = [
            # Also serves the nearest-groups search: per area, groups in name order.
            models.Index(fields=["status", "area", "name"], name="group_status_area_name_idx"),
            models.Index(fields=["status", "municipality"], name="group_status_muni_idx"),
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="group_name_trgm_idx"),
        ]
        constraints = [
            # Also for writes that skip the forms (the Django admin's actions, scripts, SQL).
            models.CheckConstraint(
                condition=Q(member_count__isnull=True)
                | Q(member_count__gte=1, member_count__lte=MAX_MEMBER_COUNT),
                name="group_member_count_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.area_id and (self.municipality_id is None or self._area_changed()):
            self.municipality_id = self.area.municipality_id
        if self.status == GroupStatus.ACTIVE and self.confirmed_at is None:
            # Made active without the e-mail confirmation (by the board, or a script): it has
            # been live, so it may be reactivated later like any confirmed group.
            self.confirmed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "confirmed_at"}
        if not self.registered_with_police and self.police_confirmed_at is not None:
            # The admin (or the board) says the group is no longer registered with the police:
            # a confirmation by the police of that registration no longer stands either.
            self.police_confirmed_at = self.police_confirmed_by = None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "police_confirmed_at",
                    "police_confirmed_by",
                }
        if self.slug:
            super().save(*args, **kwargs)
            return
        # A group of the same name saved at the same moment can take the free slug between
        # _unique_slug() and the insert; then the next free one is taken.
        for attempt in range(SLUG_ATTEMPTS):
            self.slug = self._unique_slug()
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                taken = Group.objects.filter(slug=self.slug).exists()
                self.slug = ""
                if not taken or attempt == SLUG_ATTEMPTS - 1:
                    raise

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"slug": self.slug})

    def get_additional_data(self) -> dict:
        """For the audit trail (django-auditlog calls it): the group an entry is about."""
        return {"group_id": self.pk, "group": self.name}

    def get_join_url(self) -> str:
        return reverse("groups:join", kwargs={"slug": self.slug})

    def _area_changed(self) -> bool:
        if self.pk is None:
            return True
        return not Group.objects.filter(pk=self.pk, area_id=self.area_id).exists()

    def _unique_slug(self) -> str:
        base = slugify(f"{self.name} {self.area_id or ''}")[:120] or "groep"
        slug, n = base, 2
        while Group.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def is_active(self) -> bool:
        return self.status == GroupStatus.ACTIVE

    @property
    def member_limit(self) -> int | None:
        """The most members the group's chat platform allows in one group, if known."""
        return PLATFORM_MEMBER_LIMITS.get(self.platform)

    @property
    def is_nearly_full(self) -> bool:
        """Whether the admin's member count reaches NEARLY_FULL_SHARE of the platform's limit."""
        limit = self.member_limit
        return bool(limit and self.member_count and self.member_count >= NEARLY_FULL_SHARE * limit)

    @property
    def awaits_claim(self) -> bool:
        """Taken over from the old register and not yet confirmed by its admin."""
        try:
            return not self.register_entry.is_claimed
        except RegisterEntry.DoesNotExist:
            return False

    # State changes ---------------------------------------------------------------
    #
    #   pending --confirm--> active <--reconfirm / reactivate-- inactive
    #      \                  |   \--deactivate--------------->/
    #       \--deactivate-----+------------------------------->/
    #   any --suspend--> suspended --lift_suspension--> the state it was in
    #
    # Only the mailed confirmation link makes a pending group active. An inactive group is made
    # active again by a logged-in admin (reactivate), or by the "still active?" link only when
    # it went inactive because nobody answered (reconfirm); a group an admin stopped on
    # purpose stays stopped until an admin logs in.

    @property
    def has_been_confirmed(self) -> bool:
        """Whether the group was ever live (confirmed by e-mail, or made active by the board)."""
        return self.confirmed_at is not None

    def confirm(self) -> bool:
        """The registering admin confirmed by e-mail: the group goes live. Only from pending."""
        if self.status != GroupStatus.PENDING:
            return False
        now = timezone.now()
        self.status = GroupStatus.ACTIVE
        self.confirmed_at = self.last_confirmed_at = now
        self.save(update_fields=["status", "confirmed_at", "last_confirmed_at", "updated_at"])
        self.notify_waiting_list()
        return True

    # Working with the police (groups.police).

    def confirm_police_registration(self, *, by) -> bool:
        """A police officer of the group's area confirms that it is registered with the police."""
        if self.police_confirmed_at is not None:
            return False
        declared = self.registered_with_police
        self.registered_with_police = True
        self.police_confirmed_at = timezone.now()
        self.police_confirmed_by = by
        self.save(
            update_fields=[
                "registered_with_police",
                "police_confirmed_at",
                "police_confirmed_by",
                "updated_at",
            ]
        )
        # What the admin had declared, so withdrawing a mistaken confirmation restores it.
        audit.record(
            self,
            "police_confirmed",
            actor=by,
            changes={"registered_with_police": [declared, True]},
        )
        return True

    def withdraw_police_confirmation(self, *, by) -> bool:
        """The officer takes back a confirmation given by mistake: the registration is again
        what the admin had declared before it."""
        if self.police_confirmed_at is None:
            return False
        self.registered_with_police = self._declared_before_police_confirmation()
        self.police_confirmed_at = self.police_confirmed_by = None
        self.save(
            update_fields=[
                "registered_with_police",
                "police_confirmed_at",
                "police_confirmed_by",
                "updated_at",
            ]
        )
        audit.record(
            self,
            "police_confirmation_withdrawn",
            actor=by,
            changes={"registered_with_police": [True, self.registered_with_police]},
        )
        return True

    def _declared_before_police_confirmation(self) -> bool:
        from auditlog.models import LogEntry

        entry = (
            LogEntry.objects.get_for_object(self)
            .filter(additional_data__event="police_confirmed")
            .order_by("-timestamp", "-pk")
            .first()
        )
        if entry is None:  # purged with age: keep the flag rather than erase a declaration
            return True
        return bool((entry.changes or {}).get("registered_with_police", [True])[0])

    def reconfirm(self) -> bool:
        """An admin says the group is still active: an active group stays active, and one that
        went inactive because nobody answered "still active?" is active again. Never a group an
        admin stopped on purpose, a pending group or a suspended one."""
        lapsed = (
            self.status == GroupStatus.INACTIVE
            and self.deactivation_reason == DeactivationReason.UNANSWERED
            and self.has_been_confirmed
        )
        if self.status != GroupStatus.ACTIVE and not lapsed:
            return False
        self._make_active()
        return True

    def reactivate(self) -> bool:
        """A logged-in admin switches an inactive group back on, whatever made it inactive; not a
        group that was never confirmed (that takes the mailed confirmation link)."""
        if self.status != GroupStatus.INACTIVE or not self.has_been_confirmed:
            return False
        self._make_active()
        return True

    def ask_reconfirmation(self) -> int:
        """Open the next "still active?" round (its mail is sent by groups.tasks); links of
        earlier rounds stop working. Returns the round's number."""
        self.reconfirm_round = models.F("reconfirm_round") + 1
        self.reconfirm_sent_at = timezone.now()
        self.reconfirm_reminded_at = None
        self.save(update_fields=["reconfirm_round", "reconfirm_sent_at", "reconfirm_reminded_at"])
        self.refresh_from_db(fields=["reconfirm_round"])
        return self.reconfirm_round

    def is_current_reconfirm_round(self, round_: int | None) -> bool:
        """Whether a "still active?" link of this round may still be answered: it is the latest
        round and nobody answered it yet (any confirmation closes the round). `None` is a link
        mailed before rounds were numbered: it answers whichever round is open."""
        if self.reconfirm_sent_at is None:
            return False
        return round_ is None or round_ == self.reconfirm_round

    def _make_active(self) -> None:
        self.status = GroupStatus.ACTIVE
        self.last_confirmed_at = timezone.now()
        self.reconfirm_sent_at = self.reconfirm_reminded_at = None
        self.deactivated_at = None
        self.deactivation_reason = ""
        self.save(
            update_fields=[
                "status",
                "last_confirmed_at",
                "reconfirm_sent_at",
                "reconfirm_reminded_at",
                "deactivated_at",
                "deactivation_reason",
                "updated_at",
            ]
        )

    def has_tested_in(self, month: date) -> bool:
        """Whether a test was confirmed in `month` (its first day) or later."""
        if self.last_tested_at is None:
            return False
        return timezone.localdate(self.last_tested_at) >= month

    def record_test(self, *, by=None, month: date | None = None) -> bool:
        """An admin posted the monthly test message in the chat. Once per month: False if a
        test of `month` (default: this month) was already confirmed, or the group is not
        active. A group waiting for its "still active?" answer has now given it: the round
        ends as if confirmed."""
        month = month or first_of_month(timezone.localdate())
        if self.status != GroupStatus.ACTIVE or self.has_tested_in(month):
            return False
        before = self.last_tested_at
        self.last_tested_at = timezone.now()
        self.save(update_fields=["last_tested_at", "updated_at"])
        audit.record(
            self,
            "monthly_test_confirmed",
            actor=by,
            changes={"last_tested_at": [str(before) if before else None, str(self.last_tested_at)]},
        )
        if self.reconfirm_sent_at is not None:
            self._make_active()
        return True

    def deactivate(self, *, reason: str = DeactivationReason.ADMIN) -> bool:
        """Take an active or pending group off the map: its admin stopped it (the default), or
        nobody answered "still active?" in time (`reason=DeactivationReason.UNANSWERED`)."""
        if self.status not in (GroupStatus.ACTIVE, GroupStatus.PENDING):
            return False
        self.status = GroupStatus.INACTIVE
        self.deactivated_at = timezone.now()
        self.deactivation_reason = reason
        self.save(update_fields=["status", "deactivated_at", "deactivation_reason", "updated_at"])
        return True

    def suspend(self) -> None:
        self.status = GroupStatus.SUSPENDED
        self.save(update_fields=["status", "updated_at"])

    def lift_suspension(self) -> bool:
        """Back to the state the group was in: pending if it was never confirmed, inactive if it
        was inactive, else active."""
        if self.status != GroupStatus.SUSPENDED:
            return False
        if not self.has_been_confirmed:
            self.status = GroupStatus.PENDING
        elif self.deactivated_at is not None:
            self.status = GroupStatus.INACTIVE
        else:
            self.status = GroupStatus.ACTIVE
        self.save(update_fields=["status", "updated_at"])
        return True

    # Admins ------------------------------------------------------------------------

    def remove_admin(self, user, *, by) -> bool:
        """`by` (an admin) removes `user` as admin, or steps down when `user` is `by`.

        Never the last admin: False then, and when `user` is no admin. A group that is to
        change hands is handed over by invitation, which must be accepted first. Locks the
        group row, so two admins removing each other at once cannot leave it without one.
        """
        from groups.mail import send_admin_removed

        with transaction.atomic():
            Group.objects.select_for_update().filter(pk=self.pk).first()
            if not GroupAdmin.objects.filter(group=self, user=by).exists():
                return False
            memberships = GroupAdmin.objects.filter(group=self)
            if memberships.count() < 2:
                return False
            removed, _details = memberships.filter(user=user).delete()
            if removed:
                event = "admin_stepped_down" if user.pk == by.pk else "admin_removed"
                audit.record(self, event, actor=by, changes={"admin": [user_ref(user), None]})
            if removed and user.pk != by.pk:
                send_admin_removed(self, user, by=by)
        return bool(removed)

    # Coverage ----------------------------------------------------------------------

    def claim_coverage(self, postcodes, *, by) -> "CoverageOutcome":
        """An admin (`by`) asks to cover these known PC6 codes (groups.coverage.parse_coverage).

        Postcodes near the group are covered at once while the total stays within the limit;
        the rest goes to the board as one CoverageClaim (groups.coverage.plan_coverage has the
        limits). Postcodes already covered, or already waiting for the board, are left alone.
        """
        from django.db import transaction

        from groups.coverage import plan_coverage

        codes = set(postcodes)
        with transaction.atomic():
            # One request at a time per group, so two cannot both slip under the limit.
            Group.objects.select_for_update().filter(pk=self.pk).first()
            covered = set(
                self.coverage.filter(postcode_id__in=codes).values_list("postcode_id", flat=True)
            )
            waiting = codes & self.pending_claim_postcodes()
            plan = plan_coverage(
                self.area, codes - covered - waiting, covered=self.coverage.count()
            )
            self.add_coverage(plan.accepted)
            if plan.accepted:
                audit.record(
                    self,
                    "coverage_added",
                    actor=by,
                    changes=audit.coverage_change(plan.accepted, True),
                )
            claim = None
            if plan.too_far or plan.over_limit:
                claim = CoverageClaim.objects.create(
                    group=self,
                    requested_by=by,
                    too_far=plan.too_far,
                    over_limit=plan.over_limit,
                    farthest_km=plan.farthest_km,
                )
                audit.record(
                    self,
                    "coverage_claimed",
                    actor=by,
                    changes={
                        "claim": [None, claim.pk],
                        **audit.coverage_change(claim.postcodes, True),
                    },
                )
        return CoverageOutcome(
            added=plan.accepted,
            unchanged=sorted(covered),
            waiting=sorted(waiting),
            too_far=plan.too_far,
            over_limit=plan.over_limit,
            farthest_km=plan.farthest_km,
            claim=claim,
        )

    def remove_coverage(self, postcodes, *, by) -> int:
        """An admin (`by`) stops covering these PC6 codes; how many the group covered."""
        with transaction.atomic():
            to_remove = self.coverage.filter(postcode_id__in=set(postcodes))
            codes = sorted(to_remove.values_list("postcode_id", flat=True))
            removed, _details = to_remove.delete()
            if removed:
                audit.record(
                    self, "coverage_removed", actor=by, changes=audit.coverage_change(codes, False)
                )
        return removed

    def pending_claim_postcodes(self) -> set[str]:
        """Postcodes this group asked for that wait for the board."""
        codes = set()
        for too_far, over_limit in self.coverage_claims.pending().values_list(
            "too_far", "over_limit"
        ):
            codes.update(too_far, over_limit)
        return codes

    def add_coverage(self, postcodes) -> int:
        """Cover these known PC6 codes, whatever the limits; returns how many were new. For
        what the board approved (CoverageClaim.approve) and for claim_coverage, which an
        admin's input goes through."""
        codes = set(postcodes)
        existing = self.coverage.filter(postcode_id__in=codes).values_list("postcode_id", flat=True)
        codes -= set(existing)
        Coverage.objects.bulk_create(
            [Coverage(group=self, postcode_id=code, area_id=code[:4]) for code in sorted(codes)],
            ignore_conflicts=True,
        )
        if codes and self.is_active:
            self.notify_waiting_list(codes)
        return len(codes)

    def notify_waiting_list(self, postcodes=None) -> int:
        """Tell residents waiting for these PC6 postcodes (default: all the group covers) that
        a group covers them now. Where the group is located does not count."""
        if postcodes is None:
            postcodes = self.coverage.values_list("postcode_id", flat=True)
        return WaitingListEntry.objects.notify_group_started(postcodes)

    def coverage_ranges(self) -> list[str]:
        """The coverage for display: `["1234AB–1234AZ", "1235"]` (two queries)."""
        from groups.coverage import summarise_ranges

        covered = list(self.coverage.values_list("postcode_id", flat=True))
        if not covered:
            return []
        areas = {code[:4] for code in covered}
        known = Postcode.objects.filter(area_id__in=areas).values_list("code", flat=True)
        return summarise_ranges(covered, list(known))


class GroupAdmin(models.Model):
    """An admin of a group. A group has one or more; a user may run several groups."""

    group = models.ForeignKey(
        Group, verbose_name=_("groep"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    added_at = models.DateTimeField(_("toegevoegd"), default=timezone.now)
    # The monthly test (groups.monthlytest): this admin wants the reminder for this group.
    monthly_test = models.BooleanField(_("maandelijks testbericht"), default=False)
    # The first day of the month the last reminder was for: one reminder a month at most.
    test_reminded_for = models.DateField(_("testherinnering verstuurd voor"), null=True, blank=True)

    class Meta:
        verbose_name = _("beheerder")
        verbose_name_plural = _("beheerders")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="groupadmin_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.group}"


class Coverage(models.Model):
    """One PC6 postcode a group covers. `area` repeats the postcode's PC4 for area lookups."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="coverage")
    postcode = models.ForeignKey(Postcode, on_delete=models.CASCADE, related_name="coverage")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="coverage")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gedekte postcode")
        verbose_name_plural = _("gedekte postcodes")
        constraints = [
            models.UniqueConstraint(fields=["group", "postcode"], name="coverage_unique"),
        ]
        indexes = [
            models.Index(fields=["postcode", "group"], name="coverage_postcode_idx"),
            models.Index(fields=["area", "group"], name="coverage_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.group} – {self.postcode_id}"


class CoverageOutcome(NamedTuple):
    """What Group.claim_coverage did with each postcode (sorted PC6 codes)."""

    added: list[str]
    unchanged: list[str]  # covered already
    waiting: list[str]  # already asked for, waiting for the board
    too_far: list[str]  # to the board: too far from the group
    over_limit: list[str]  # to the board: the group would cover too many
    farthest_km: float | None
    claim: "CoverageClaim | None"


class CoverageClaimStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op het bestuur")
    APPROVED = "approved", _("Goedgekeurd")
    DECLINED = "declined", _("Afgewezen")


class CoverageClaimQuerySet(models.QuerySet):
    def pending(self):
        """Claims the board has not decided on yet."""
        return self.filter(status=CoverageClaimStatus.PENDING)


class CoverageClaim(models.Model):
    """Coverage an admin asked for that lies too far from the group, or would make it cover too
    many postcodes (groups.coverage): not applied until the board approves it."""

    group = models.ForeignKey(
        Group, verbose_name=_("groep"), on_delete=models.CASCADE, related_name="coverage_claims"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    too_far = ArrayField(
        models.CharField(max_length=6),
        verbose_name=_("te ver van de groep"),
        default=list,
        blank=True,
    )
    over_limit = ArrayField(
        models.CharField(max_length=6),
        verbose_name=_("boven het maximum"),
        default=list,
        blank=True,
    )
    farthest_km = models.FloatField(_("verste afstand (km)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CoverageClaimStatus,
        default=CoverageClaimStatus.PENDING,
    )
    created_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CoverageClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag postcodes")
        verbose_name_plural = _("aanvragen postcodes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["group", "status"], name="coverageclaim_group_idx")]

    def __str__(self) -> str:
        return f"{self.group} ({len(self.postcodes)})"

    @property
    def postcodes(self) -> list[str]:
        return sorted({*self.too_far, *self.over_limit})

    def approve(self, *, by) -> bool:
        """The board agrees: the group covers the postcodes and the requesting admin is told.
        False if the claim was decided already."""
        if not self._decide(CoverageClaimStatus.APPROVED, by):
            return False
        self.group.add_coverage(self.postcodes)
        self._tell_admin()
        return True

    def decline(self, *, by) -> bool:
        """The board refuses; the requesting admin is told. False if decided already."""
        if not self._decide(CoverageClaimStatus.DECLINED, by):
            return False
        self._tell_admin()
        return True

    def _decide(self, status: str, by) -> bool:
        now = timezone.now()
        # Once, even when two board members press at the same moment.
        decided = CoverageClaim.objects.filter(
            pk=self.pk, status=CoverageClaimStatus.PENDING
        ).update(status=status, decided_at=now, decided_by=by)
        if decided:
            self.status, self.decided_at, self.decided_by = status, now, by
            audit.record(
                self,
                f"coverage_claim_{status}",
                actor=by,
                changes={
                    "status": [CoverageClaimStatus.PENDING, status],
                    **audit.coverage_change(self.postcodes, status == CoverageClaimStatus.APPROVED),
                },
            )
        return bool(decided)

    def _tell_admin(self) -> None:
        from groups.mail import send_coverage_decision

        send_coverage_decision(self)


class JoinRequestStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Wacht op bevestiging per e-mail")
    PENDING = "pending", _("Wacht op de beheerder")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")


OPEN_JOIN_REQUEST_STATUSES = [JoinRequestStatus.UNCONFIRMED, JoinRequestStatus.PENDING]
# Admins get one reminder when nobody acted on a confirmed request for this many days.
JOIN_REMINDER_AFTER_DAYS = 5
# A decline can be undone by the group's admins for this long; the resident's mail about
# it waits until then (groups.mail.send_join_decision), so they never get two messages.
DECLINE_UNDO_WINDOW = timedelta(hours=24)


class RecruitmentMaterial(models.TextChoices):
    """The printed materials of an admin's recruitment kit; their QR codes name them in the
    join page's address (`?via=brief`), so a join that came through one is counted."""

    LETTER = "brief", _("deurbrief")
    FLYER = "flyer", _("flyer")
    POSTER = "poster", _("poster")


class JoinRequestQuerySet(models.QuerySet):
    def open(self):
        """Requests not yet accepted or declined."""
        return self.filter(status__in=OPEN_JOIN_REQUEST_STATUSES)

    def awaiting_admin(self):
        """Confirmed by the resident, waiting for an admin."""
        return self.filter(status=JoinRequestStatus.PENDING)

    def unanswered(self, days: int = 10):
        """Waiting for an admin for more than `days` days (the board's list)."""
        return self.awaiting_admin().filter(confirmed_at__lt=timezone.now() - timedelta(days=days))

    def for_admin(self, user):
        """Requests for the groups this user may manage (not those of a suspended group)."""
        return self.filter(group__admins=user).of_manageable_groups()

    def of_manageable_groups(self):
        """Requests whose group is not suspended: only those may reach its admins."""
        return self.exclude(group__status=GroupStatus.SUSPENDED)

    def due_for_reminder(self, days: int = JOIN_REMINDER_AFTER_DAYS):
        """Waiting for an admin for more than `days` days and not yet reminded about (a
        suspended group's admins are not reminded)."""
        return (
            self.awaiting_admin()
            .of_manageable_groups()
            .filter(
                reminded_at__isnull=True, confirmed_at__lt=timezone.now() - timedelta(days=days)
            )
        )

    def undoable_declines(self):
        """Declined less than DECLINE_UNDO_WINDOW ago: the admins can still undo it."""
        return self.filter(
            status=JoinRequestStatus.DECLINED,
            handled_at__gte=timezone.now() - DECLINE_UNDO_WINDOW,
        )

    def expired(self):
        """Requests past their retention period (settings.RETENTION_DAYS)."""
        now = timezone.now()
        handled = timedelta(days=settings.RETENTION_DAYS["join_request_handled"])
        open_ = timedelta(days=settings.RETENTION_DAYS["join_request_open"])
        return self.filter(
            Q(handled_at__lt=now - handled) | Q(handled_at__isnull=True, created_at__lt=now - open_)
        )


class JoinRequest(models.Model):
    """A resident's request to join a group. Seen only by that group's admins."""

    group = models.ForeignKey(
        Group, verbose_name=_("groep"), on_delete=models.CASCADE, related_name="join_requests"
    )
    name = models.CharField(_("naam"), max_length=120)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("mobiel nummer"), max_length=20)
    street = models.CharField(_("straat en huisnummer"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=6)
    outside_area = models.BooleanField(_("buiten het gebied van de groep"), default=False)
    # Which printed material of the group's recruitment kit the resident came from, if any.
    source = models.CharField(
        _("via de wervingskit"), max_length=10, choices=RecruitmentMaterial, blank=True
    )
    consent_version = models.CharField(_("versie privacyverklaring en huisregels"), max_length=20)
    language = language_field()
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=JoinRequestStatus,
        default=JoinRequestStatus.UNCONFIRMED,
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("aangevraagd"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("bevestigd"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("herinnering verstuurd"), null=True, blank=True)
    handled_at = models.DateTimeField(_("afgehandeld"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgehandeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-created_at"]
        constraints = [
            # One open request per e-mail address per group; also settles two
            # concurrent identical posts (the second insert fails).
            models.UniqueConstraint(
                models.F("group"),
                models.functions.Lower("email"),
                condition=Q(status__in=OPEN_JOIN_REQUEST_STATUSES),
                name="joinrequest_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} ({self.get_status_display()})"

    def get_additional_data(self) -> dict:
        """For the audit trail: the group, never the resident."""
        return {"group_id": self.group_id, "group": self.group.name}

    def get_status_url(self) -> str:
        return reverse("groups:join_status", kwargs={"token": self.token})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_JOIN_REQUEST_STATUSES

    @staticmethod
    def is_outside(group: "Group", postcode: str) -> bool:
        """Whether a PC6 postcode lies outside the group's coverage (or, without coverage,
        outside its PC4 area)."""
        if group.coverage.exists():
            return not group.coverage.filter(postcode_id=postcode).exists()
        return postcode[:4] != group.area_id

    def confirm(self) -> bool:
        """The resident clicked the link in their e-mail: the request goes to the admins."""
        if self.status != JoinRequestStatus.UNCONFIRMED:
            return False
        self.status = JoinRequestStatus.PENDING
        self.confirmed_at = timezone.now()
        self.save(update_fields=["status", "confirmed_at"])
        if self.source:
            RecruitmentTally.count(self.group, self.source)
        return True

    def accept(self, *, by) -> bool:
        """An admin accepts: they will add the resident to the chat."""
        return self._handle(JoinRequestStatus.ACCEPTED, by)

    def decline(self, *, by) -> bool:
        return self._handle(JoinRequestStatus.DECLINED, by)

    @property
    def decline_undoable_until(self):
        """Until when an admin can undo this decline (None if it is no decline)."""
        if self.status != JoinRequestStatus.DECLINED or self.handled_at is None:
            return None
        return self.handled_at + DECLINE_UNDO_WINDOW

    def undo_decline(self, *, by) -> bool:
        """Put a request declined less than DECLINE_UNDO_WINDOW ago back to pending.

        Not when the resident has meanwhile made a new request to the same group (one open
        request per address)."""
        until = self.decline_undoable_until
        if until is None or until <= timezone.now():
            return False
        newer = JoinRequest.objects.open().filter(group_id=self.group_id, email__iexact=self.email)
        if newer.exclude(pk=self.pk).exists():
            return False
        self.status = JoinRequestStatus.PENDING
        self.handled_at = None
        self.handled_by = None
        self.save(update_fields=["status", "handled_at", "handled_by"])
        return True

    def _handle(self, status: str, by) -> bool:
        if self.status != JoinRequestStatus.PENDING:
            return False
        self.status = status
        self.handled_at = timezone.now()
        self.handled_by = by
        self.save(update_fields=["status", "handled_at", "handled_by"])
        return True


# An invitation to become an admin can be used for this many days.
INVITATION_VALID_DAYS = 14


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations that can still be accepted: not used, revoked or expired, the inviter
        still an admin of the group, and the group not suspended."""
        inviter_is_admin = GroupAdmin.objects.filter(
            group=OuterRef("group"), user=OuterRef("invited_by")
        )
        return self.filter(
            Exists(inviter_is_admin),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            created_at__gte=timezone.now() - timedelta(days=INVITATION_VALID_DAYS),
        ).exclude(group__status=GroupStatus.SUSPENDED)


class InvitationProblem(models.TextChoices):
    """Why an invitation cannot be accepted."""

    USED = "used", _("Deze uitnodiging is al gebruikt.")
    REVOKED = "revoked", _("Deze uitnodiging is ingetrokken.")
    EXPIRED = "expired", _("Deze uitnodiging is ouder dan 14 dagen.")
    INVITER_GONE = "inviter_gone", _("Wie u uitnodigde, is geen beheerder van de groep meer.")
    SUSPENDED = "suspended", _("De groep is geschorst door het bestuur.")
    OTHER_ADDRESS = "other_address", _("Deze uitnodiging is voor een ander e-mailadres.")


class Invitation(models.Model):
    """An admin invites someone by e-mail to co-administer, or to take over, a group.

    Only the invited address can accept, and only while the inviter is still an admin and
    the group is not suspended. The link's token is stored only as a SHA-256 hash: the
    plain token exists in memory (`invitation.token`) just after creation, to be mailed.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    handover = models.BooleanField(
        _("overdracht"),
        default=False,
        help_text=_("De uitnodiger stopt als beheerder na acceptatie."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The inviter's page language: the invitee has not acted yet (see groups.mail).
    language = language_field()
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )

    objects = InvitationQuerySet.as_manager()

    # The plain token, set only on an instance that was just created (never stored).
    token: str | None = None

    class Meta:
        verbose_name = _("uitnodiging voor beheerder")
        verbose_name_plural = _("uitnodigingen voor beheerders")

    def __str__(self) -> str:
        return f"{self.group} → {self.email}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        if not self.token_hash:
            self.token = new_token()
            self.token_hash = token_hash(self.token)
        super().save(*args, **kwargs)

    @classmethod
    def find(cls, token: str) -> "Invitation | None":
        """The invitation this link token belongs to (whatever its state), or None."""
        return cls.objects.select_related("group").filter(token_hash=token_hash(token)).first()

    @property
    def is_open(self) -> bool:
        """Not yet accepted or revoked and not older than INVITATION_VALID_DAYS."""
        return self.problem() is None

    def problem(self, user=None) -> InvitationProblem | None:
        """Why this invitation cannot be accepted (by `user`, if given), or None."""
        if self.accepted_at is not None:
            return InvitationProblem.USED
        if self.revoked_at is not None:
            return InvitationProblem.REVOKED
        if self.created_at < timezone.now() - timedelta(days=INVITATION_VALID_DAYS):
            return InvitationProblem.EXPIRED
        if self.group.status == GroupStatus.SUSPENDED:
            return InvitationProblem.SUSPENDED
        if not GroupAdmin.objects.filter(group=self.group, user_id=self.invited_by_id).exists():
            return InvitationProblem.INVITER_GONE
        if user is not None and normalise_email(user.email) != self.email:
            return InvitationProblem.OTHER_ADDRESS
        return None

    def accept(self, user) -> bool:
        """Make `user` an admin; on a handover the inviter stops. Call inside a transaction,
        on a row locked with select_for_update."""
        if self.problem(user) is not None:
            return False
        _membership, added = GroupAdmin.objects.get_or_create(group=self.group, user=user)
        if added:
            audit.record(
                self.group,
                "admin_added",
                actor=user,
                changes={
                    "admin": [None, user_ref(user)],
                    "invited_by": [None, f"user {self.invited_by_id}"],
                },
            )
        if self.handover and self.invited_by_id != user.pk:
            GroupAdmin.objects.filter(group=self.group, user_id=self.invited_by_id).delete()
            audit.record(
                self.group,
                "handover",
                actor=user,
                changes={"admin": [f"user {self.invited_by_id}", user_ref(user)]},
            )
        self.accepted_at = timezone.now()
        self.save(update_fields=["accepted_at"])
        return True

    def revoke(self, *, by) -> bool:
        """An admin withdraws the invitation: its link stops working. False if already used
        or revoked."""
        revoked = Invitation.objects.filter(
            pk=self.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_by=by)
        if revoked:
            self.refresh_from_db(fields=["revoked_at", "revoked_by"])
            audit.record(
                self.group,
                "invitation_revoked",
                actor=by,
                changes={"invitation": [self.pk, None], "handover": [self.handover, None]},
            )
        return bool(revoked)


# Waiting-list addresses are kept a year; addresses never confirmed, a month.
WAITING_LIST_KEEP = timedelta(days=365)
WAITING_LIST_KEEP_UNCONFIRMED = timedelta(days=30)


class WaitingListEntryQuerySet(models.QuerySet):
    def confirmed(self):
        """Entries whose e-mail address was confirmed (double opt-in)."""
        return self.filter(confirmed_at__isnull=False)

    def waiting(self, area_codes):
        """Confirmed entries in these PC4 areas that were not told about a group yet."""
        return self.confirmed().filter(area_id__in=list(area_codes), notified_at__isnull=True)

    def waiting_for(self, postcodes):
        """Entries waiting for a group that covers one of these codes: a PC6 counts for whoever
        waits for that postcode or for its whole area; a PC4 (a whole area covered) counts for
        everyone waiting in that area."""
        pc6 = {code for code in postcodes if len(code) == 6}
        whole = {code for code in postcodes if len(code) == 4}
        return self.waiting({code[:4] for code in pc6} | whole).filter(
            Q(postcode__isnull=True) | Q(postcode__in=pc6) | Q(area_id__in=whole)
        )

    def expired(self):
        """Entries past their retention: a year after sign-up, a month if never confirmed."""
        now = timezone.now()
        return self.filter(
            Q(created_at__lt=now - WAITING_LIST_KEEP)
            | Q(confirmed_at__isnull=True, created_at__lt=now - WAITING_LIST_KEEP_UNCONFIRMED)
        )

    def notify_group_started(self, postcodes) -> int:
        """Mail every confirmed, not yet notified resident waiting for these postcodes (see
        `waiting_for`: PC6 codes a group now covers) that a group covers them; returns how
        many. A group merely located nearby notifies nobody.

        Each resident gets one e-mail, ever: the entry is marked in the same transaction as
        the outbox row, so a second call (or a concurrent one) sends nothing.
        """
        from groups.mail import send_waitinglist_group_started

        codes = {code for code in postcodes if code}
        if not codes:
            return 0
        sent = 0
        with transaction.atomic():
            entries = (
                self.waiting_for(codes)
                .select_related("area")
                .select_for_update(skip_locked=True, of=("self",))
            )
            for entry in entries:
                send_waitinglist_group_started(entry)
                entry.notified_at = timezone.now()
                entry.save(update_fields=["notified_at"])
                sent += 1
        return sent

    def add(self, *, area, email: str, postcode=None):
        """Put an address on an area's list, waiting for its postcode (a PC6) or, without
        one, for any group covering the area; None when it is already confirmed there."""
        from django.db import IntegrityError, transaction

        existing = self.filter(area=area, email__iexact=email).first()
        if existing is not None:
            if existing.confirmed_at:
                return None
            if existing.postcode_id != getattr(postcode, "pk", None):
                existing.postcode = postcode
                existing.save(update_fields=["postcode"])
            return existing
        try:
            with transaction.atomic():
                return self.create(area=area, postcode=postcode, email=normalise_email(email))
        except IntegrityError:  # the same address, posted twice at once
            return None


class WaitingListEntry(models.Model):
    """A resident who wants to hear when a group starts covering their postcode (PC6) or, if
    they searched an area, their PC4 area (double opt-in)."""

    email = models.EmailField(_("e-mailadres"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="waiting_list")
    # Blank: waiting for the whole area. A postcode that disappears in a refresh widens the
    # entry to its area rather than losing it.
    postcode = models.ForeignKey(
        Postcode,
        verbose_name=_("postcode"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    language = language_field()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = WaitingListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("wachtlijstaanmelding")
        verbose_name_plural = _("wachtlijst")
        constraints = [
            models.UniqueConstraint(
                models.F("area"), models.functions.Lower("email"), name="waitinglist_one_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}"

    @property
    def searched_code(self) -> str:
        """What the resident waits for: their postcode (`1234 AB`) or area (`1234`)."""
        return format_postcode(self.postcode_id) if self.postcode_id else self.area_id

    def confirm(self) -> None:
        """The resident clicked the link in the confirmation e-mail."""
        if self.confirmed_at is None:
            self.confirmed_at = timezone.now()
            self.save(update_fields=["confirmed_at"])


class SignRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Aangevraagd")
    APPROVED = "approved", _("Goedgekeurd")
    DECLINED = "declined", _("Afgewezen")
    PLACED = "placed", _("Geplaatst")


class SignRequest(models.Model):
    """A group admin asks the municipality for a WABP street sign."""

    group = models.ForeignKey(
        Group, verbose_name=_("groep"), on_delete=models.CASCADE, related_name="sign_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="sign_requests",
    )
    street = models.CharField(_("straat en plek"), max_length=150)
    reason = models.TextField(_("waarom hier"), max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SignRequestStatus,
        default=SignRequestStatus.REQUESTED,
    )
    note = models.TextField(_("toelichting van de gemeente"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("aanvraag straatbord")
        verbose_name_plural = _("aanvragen straatborden")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.group} – {self.street}"

    def decide(self, status: str, note: str = "") -> None:
        """Municipality staff record approval, refusal or placement, with a note for the admin."""
        if status not in SignRequestStatus.values or status == SignRequestStatus.REQUESTED:
            raise ValueError(f"not a decision: {status!r}")
        self.status = status
        self.note = note
        self.save(update_fields=["status", "note", "updated_at"])


# Municipality staff onboarding ------------------------------------------------------------

# How long the link that verifies a staff request's address works.
STAFF_REQUEST_VERIFY_MAX_AGE = timedelta(days=7)


def mail_domain_of(email: str) -> str:
    """The part after the @, lower-cased ("" without one)."""
    return email.rpartition("@")[2].strip().lower() if "@" in email else ""


def validate_mail_domain(value: str) -> None:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(f"medewerker@{value}")
    except ValidationError:
        raise ValidationError(
            _("Geef alleen het domein, zoals amsterdam.nl (zonder @)."), code="invalid"
        ) from None


class MunicipalityMailDomainQuerySet(models.QuerySet):
    def municipality_for(self, email: str) -> Municipality | None:
        """The municipality whose own mail domain `email` is on (exact domain), or None."""
        row = self.filter(domain=mail_domain_of(email)).select_related("municipality").first()
        return row.municipality if row else None

    def load(self, domains: dict[str, list[str]], *, dry_run: bool = False) -> list[str]:
        """Add the missing domains of {municipality name: [domain, …]} for municipalities
        that exist; never changes or removes a row (the board's edits stay). Returns the
        domains added."""
        by_name = {m.name: m for m in Municipality.objects.filter(name__in=domains)}
        known = set(self.values_list("domain", flat=True))
        new = [
            self.model(municipality=by_name[name], domain=domain)
            for name, names_domains in domains.items()
            if name in by_name
            for domain in names_domains
            if domain not in known
        ]
        if not dry_run:
            self.bulk_create(new, ignore_conflicts=True)
        return [row.domain for row in new]


class MunicipalityMailDomain(models.Model):
    """A mail domain of a municipality's own employees (e.g. amsterdam.nl): only addresses
    on it may ask for a staff account of that municipality. The board keeps the list."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        related_name="mail_domains",
    )
    domain = models.CharField(
        _("maildomein"),
        max_length=253,
        unique=True,
        validators=[validate_mail_domain],
        help_text=_(
            "Het deel na de @ van de e-mailadressen van medewerkers, zoals amsterdam.nl. "
            "Alleen het domein van de gemeente zelf, geen algemene maildiensten."
        ),
    )

    objects = MunicipalityMailDomainQuerySet.as_manager()

    class Meta:
        verbose_name = _("maildomein van een gemeente")
        verbose_name_plural = _("maildomeinen van gemeenten")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().removeprefix("@")
        super().save(*args, **kwargs)


def account_for_verified_address(existing, request) -> tuple:
    """The account of an approved access request (staff or police): `existing`, the account
    with the request's address if any, or a new one. Its address was verified by the
    request's link, so it is activated; the caller adds the role and saves. Returns
    (account, whether its owner still chooses a password through the approval mail)."""
    from wabp.models import User

    user = existing
    new_account = user is None or user.never_activated
    if user is None:
        # No password yet: the approval mail holds the link to choose one.
        user = User.objects.create_user(
            email=request.email,
            password=None,
            first_name=request.first_name,
            last_name=request.last_name,
        )
    elif user.never_activated:
        # Whoever signed up with this address before never proved the mailbox: their
        # password goes, the requester chooses one through the mailed link.
        user.set_unusable_password()
    user.is_active = True
    return user, new_account


class StaffRequestStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Wacht op bevestiging per e-mail")
    PENDING = "pending", _("Wacht op het bestuur")
    APPROVED = "approved", _("Goedgekeurd")
    DECLINED = "declined", _("Afgewezen")
    ENDED = "ended", _("Beëindigd")


OPEN_STAFF_REQUEST_STATUSES = [StaffRequestStatus.UNVERIFIED, StaffRequestStatus.PENDING]


class StaffRequestQuerySet(models.QuerySet):
    def pending(self):
        """Verified requests the board has not decided on yet."""
        return self.filter(status=StaffRequestStatus.PENDING)

    def expired(self, *, unverified_after: timedelta, decided_after: timedelta):
        """Requests past their retention: never verified, or declined or ended a while ago.
        An approved request whose account is gone, or no longer staff of the municipality
        (the board changed the account itself), counts as ended."""
        now = timezone.now()
        access_gone = (
            Q(user__isnull=True)
            | Q(user__municipality__isnull=True)
            | ~Q(user__municipality=F("municipality"))
        )
        return self.filter(
            Q(status=StaffRequestStatus.UNVERIFIED, created_at__lt=now - unverified_after)
            | Q(
                status__in=[StaffRequestStatus.DECLINED, StaffRequestStatus.ENDED],
                decided_at__lt=now - decided_after,
            )
            | (
                Q(status=StaffRequestStatus.APPROVED, decided_at__lt=now - decided_after)
                & access_gone
            )
        )

    def add(self, *, municipality: Municipality, email: str, **details) -> "StaffRequest | None":
        """A new request, or the open one for this address and municipality (its details
        updated while it is unverified); None when it is already with the board."""
        email = normalise_email(email)
        with transaction.atomic():
            existing = (
                self.select_for_update()
                .filter(
                    municipality=municipality,
                    email__iexact=email,
                    status__in=OPEN_STAFF_REQUEST_STATUSES,
                )
                .first()
            )
            if existing is None:
                return self.create(municipality=municipality, email=email, **details)
            if existing.status == StaffRequestStatus.PENDING:
                return None
            for field, value in details.items():
                setattr(existing, field, value)
            existing.save()
            return existing


class AccessRequest(models.Model):
    """A request for access with a work address: verified by a mailed link, then decided
    by the board, once (StaffRequest for municipality staff, PoliceRequest for the police).

    A subclass names its audit events (`audit_event`) and what an audit entry shows of a
    request instead of the applicant's name (`audit_name`).
    """

    audit_event = ""

    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    email = models.EmailField(_("e-mailadres (werk)"))
    language = models.CharField(_("taal"), max_length=5, default="nl", editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StaffRequestStatus,
        default=StaffRequestStatus.UNVERIFIED,
    )
    created_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    verified_at = models.DateTimeField(_("adres bevestigd"), null=True, blank=True)
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def audit_name(self) -> str:
        raise NotImplementedError

    def verify(self) -> bool:
        """The applicant followed the mailed link: the request goes to the board. False when
        it was verified already (or decided)."""
        now = timezone.now()
        done = (
            type(self)
            .objects.filter(pk=self.pk, status=StaffRequestStatus.UNVERIFIED)
            .update(status=StaffRequestStatus.PENDING, verified_at=now)
        )
        if done:
            self.status, self.verified_at = StaffRequestStatus.PENDING, now
        return bool(done)

    def _decide(self, from_status: str, to_status: str, by) -> bool:
        now = timezone.now()
        # Once, even when two board members press at the same moment.
        done = (
            type(self)
            .objects.filter(pk=self.pk, status=from_status)
            .update(status=to_status, decided_at=now, decided_by=by)
        )
        if done:
            self.status, self.decided_at, self.decided_by = to_status, now, by
            # The applicant's name stays out: the entry names the request and its place.
            audit.record(
                self,
                f"{self.audit_event}_{to_status}",
                actor=by,
                changes={"status": [from_status, to_status]},
                object_repr=f"#{self.pk} ({self.audit_name()})",
            )
        return bool(done)


class StaffRequest(AccessRequest):
    """A municipality employee asks for a staff account: verified by a mailed link, then
    approved or declined by the board. Approval makes (or finds) the account and links it
    to the municipality; ending takes that away again, at once."""

    audit_event = "staff_request"

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        related_name="staff_requests",
    )
    job_title = models.CharField(_("functie of afdeling"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_requests",
    )

    objects = StaffRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag medewerkersaccount")
        verbose_name_plural = _("aanvragen medewerkersaccount")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                models.F("municipality"),
                models.functions.Lower("email"),
                condition=Q(status__in=OPEN_STAFF_REQUEST_STATUSES),
                name="staffrequest_one_open_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.municipality})"

    def audit_name(self) -> str:
        return str(self.municipality)

    def approve(self, *, by) -> bool:
        """The board agrees: the account with this address (made now if there is none)
        becomes staff of the municipality, and the employee is told. False when the request
        is not waiting for the board, or its address belongs to an account the board
        deactivated."""
        from groups.mail import send_staff_request_approved
        from wabp.models import User

        existing = User.objects.filter(email__iexact=self.email).first()
        if existing is not None and not existing.is_active and not existing.never_activated:
            return False
        with transaction.atomic():
            if not self._decide(StaffRequestStatus.PENDING, StaffRequestStatus.APPROVED, by):
                return False
            user, new_account = account_for_verified_address(existing, self)
            user.municipality = self.municipality
            user.save()
            self.user = user
            self.save(update_fields=["user"])
            send_staff_request_approved(self, new_account=new_account)
        return True

    def decline(self, *, by) -> bool:
        """The board refuses; the employee is told. False when not waiting for the board."""
        from groups.mail import send_staff_request_declined

        with transaction.atomic():
            if not self._decide(StaffRequestStatus.PENDING, StaffRequestStatus.DECLINED, by):
                return False
            send_staff_request_declined(self)
        return True

    def end(self, *, by) -> bool:
        """The board ends the staff access this request gave: the account is no longer
        staff of the municipality from its next request on (every check reads the user
        from the database). False when the request was not approved."""
        from groups.mail import send_staff_access_ended
        from wabp.models import User

        with transaction.atomic():
            if not self._decide(StaffRequestStatus.APPROVED, StaffRequestStatus.ENDED, by):
                return False
            if self.user_id is not None:
                User.objects.filter(pk=self.user_id, municipality=self.municipality).update(
                    municipality=None
                )
            send_staff_access_ended(self)
        return True


class Broadcast(models.Model):
    """A message from the board to all admins, or those of a province, municipality or platform."""

    subject = models.CharField(_("onderwerp"), max_length=150)
    body = models.TextField(_("bericht (Markdown)"))
    essential = models.BooleanField(
        _("noodzakelijk bericht"),
        default=False,
        help_text=_(
            "Noodzakelijke berichten hebben geen afmeldlink (bijv. over de dienstverlening)."
        ),
    )
    province = models.CharField(_("provincie"), max_length=50, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)

    class Meta:
        verbose_name = _("rondzendbericht")
        verbose_name_plural = _("rondzendberichten")
        ordering = ["-created_at"]
        # Editing a draft and mailing thousands of admins are different responsibilities.
        permissions = [("send_broadcast", _("Mag rondzendberichten versturen"))]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def claim_for_sending(self) -> bool:
        """Mark the broadcast as sent, once: False when someone already did (a second press)."""
        now = timezone.now()
        claimed = Broadcast.objects.filter(pk=self.pk, sent_at__isnull=True).update(sent_at=now)
        if claimed:
            self.sent_at = now
        return bool(claimed)


class BroadcastDelivery(models.Model):
    """One recipient of a broadcast; unique, so nobody gets it twice."""

    broadcast = models.ForeignKey(
        Broadcast,
        verbose_name=_("rondzendbericht"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    email = models.ForeignKey(
        "wabp.OutboundEmail",
        verbose_name=_("e-mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("ontvanger")
        verbose_name_plural = _("ontvangers rondzendberichten")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "user"], name="broadcast_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.user_id}"


class BroadcastOptOut(models.Model):
    """A user who no longer wants the board's non-essential messages (the unsubscribe link)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="broadcast_opt_out",
    )
    created_at = models.DateTimeField(_("afgemeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("afmelding bestuursberichten")
        verbose_name_plural = _("afmeldingen bestuursberichten")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.user_id)


class RegisterEntryQuerySet(models.QuerySet):
    def unclaimed(self):
        """Imported groups whose admin has not yet claimed them (shown as "nog niet bevestigd")."""
        return self.filter(claimed_at__isnull=True)

    def awaiting_claim_mail(self):
        """Unclaimed entries of live groups whose admin was not yet sent the claim mail."""
        return self.unclaimed().filter(
            claim_mail_sent_at__isnull=True,
            admin__isnull=False,
            group__status=GroupStatus.ACTIVE,
        )


class RegisterEntry(models.Model):
    """A group taken over from the foundation's old register (groups.takeover).

    `key` identifies the register's row across imports, so a re-run updates instead of
    duplicating; `fingerprint` is the row as last imported, so an unchanged row is left alone.
    Until its admin claims it through the mailed link, the group is "nog niet bevestigd".
    """

    group = models.OneToOneField(
        Group, verbose_name=_("groep"), on_delete=models.CASCADE, related_name="register_entry"
    )
    key = models.CharField(_("sleutel in het register"), max_length=200, unique=True)
    # The admin the register names: the account the claim mail goes to.
    admin = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beheerder volgens het register"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_entries",
    )
    fingerprint = models.CharField(_("vingerafdruk"), max_length=64)
    imported_at = models.DateTimeField(_("ingelezen"), default=timezone.now)
    updated_at = models.DateTimeField(_("bijgewerkt uit het register"), default=timezone.now)
    claim_mail_sent_at = models.DateTimeField(
        _("bevestigingsmail verstuurd"), null=True, blank=True
    )
    claimed_at = models.DateTimeField(_("bevestigd door de beheerder"), null=True, blank=True)

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("groep uit het oude register")
        verbose_name_plural = _("groepen uit het oude register")
        indexes = [
            models.Index(
                fields=["admin"],
                name="register_unclaimed_idx",
                condition=Q(claimed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def is_claimed(self) -> bool:
        return self.claimed_at is not None

    def claim(self) -> bool:
        """The register's admin confirmed the group's details: from now on the group counts as
        confirmed (its freshness clock starts now) and the portal, not the register, leads."""
        if self.is_claimed:
            return False
        now = timezone.now()
        self.claimed_at = now
        self.save(update_fields=["claimed_at"])
        group = self.group
        if group.status == GroupStatus.ACTIVE:
            group._make_active()
            group.notify_waiting_list()
        return True


class MapVersion(models.Model):
    """One row whose `version` database triggers bump whenever what the map shows changes.

    Triggers (migration 0005) fire per statement on groups, coverage, group admins and
    users' `trained_at`, whatever wrote them (ORM, bulk, admin, SQL), so the cached
    GeoJSON in every worker is checked with one primary-key lookup per request.
    """

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kaartversie")
        verbose_name_plural = _("kaartversie")

    def __str__(self) -> str:
        return str(self.version)

    @classmethod
    def current(cls) -> tuple[int, datetime]:
        """(version, changed_at) now (one primary-key lookup); (0, epoch) before any change.

        Read on every request to a cached public page, so in plain SQL: compiling the same
        ORM query each time cost more CPU than the query itself.
        """
        with connection.cursor() as cursor:
            cursor.execute("SELECT version, changed_at FROM groups_mapversion WHERE id = 1")
            row = cursor.fetchone()
        return tuple(row) if row else (0, datetime(2020, 1, 1, tzinfo=UTC))

    @classmethod
    def cache_key(cls, *parts) -> str:
        """A cache key for data derived from groups: it changes whenever they do."""
        version, changed_at = cls.current()
        return ":".join(str(part) for part in (version, changed_at.timestamp(), *parts))


# Working with the police ----------------------------------------------------------------------

# How long the link that verifies a police request's address works.
POLICE_REQUEST_VERIFY_MAX_AGE = timedelta(days=7)


def is_police_mail_domain(email: str) -> bool:
    """Whether the address is on one of the police's own mail domains exactly (no
    subdomains, no look-alikes), whatever its case."""
    return mail_domain_of(email) in {d.strip().lower() for d in settings.POLICE_MAIL_DOMAINS}


class PoliceRequestQuerySet(models.QuerySet):
    def pending(self):
        """Verified requests the board has not decided on yet."""
        return self.filter(status=StaffRequestStatus.PENDING)

    def approved_for(self, user):
        """The approved requests of `user` (their police access: one or more areas), for the
        work address each was verified and approved for: an account whose address changed
        since (to a private one, say) has no police access until the board approves a request
        for its new address."""
        return self.filter(
            user=user,
            user__is_active=True,
            status=StaffRequestStatus.APPROVED,
            email__iexact=user.email,
        )

    def expired(self, *, unverified_after: timedelta, decided_after: timedelta):
        """Requests past their retention: never verified, or declined or ended a while ago.
        An approved request whose account is gone, or no longer police (the board changed
        the account itself), counts as ended."""
        now = timezone.now()
        return self.filter(
            Q(status=StaffRequestStatus.UNVERIFIED, created_at__lt=now - unverified_after)
            | Q(
                status__in=[StaffRequestStatus.DECLINED, StaffRequestStatus.ENDED],
                decided_at__lt=now - decided_after,
            )
            | (
                Q(status=StaffRequestStatus.APPROVED, decided_at__lt=now - decided_after)
                & (Q(user__isnull=True) | Q(user__is_police=False))
            )
        )

    def add(self, *, email: str, municipalities, **details) -> "PoliceRequest | None":
        """A new request, or the open one for this address (its details and area updated
        while it is unverified); None when it is already with the board."""
        email = normalise_email(email)
        with transaction.atomic():
            existing = (
                self.select_for_update()
                .filter(email__iexact=email, status__in=OPEN_STAFF_REQUEST_STATUSES)
                .first()
            )
            if existing is None:
                police_request = self.create(email=email, **details)
            elif existing.status == StaffRequestStatus.PENDING:
                return None
            else:
                police_request = existing
                for field, value in details.items():
                    setattr(police_request, field, value)
                police_request.save()
            police_request.municipalities.set(municipalities)
            return police_request


def police_area(user) -> models.QuerySet:
    """The municipalities a police officer covers: those of their approved requests (none
    for anyone else). Read per request, so access the board ended is gone at once."""
    if not (user.is_authenticated and user.is_police_officer):
        return Municipality.objects.none()
    return Municipality.objects.filter(
        police_requests__in=PoliceRequest.objects.approved_for(user)
    ).distinct()


class PoliceRequest(AccessRequest):
    """A police officer asks for access with a work address on one of the police's own mail
    domains (settings.POLICE_MAIL_DOMAINS), for an area: one or more municipalities (a
    basisteam's). Verified by a mailed link, then approved (the board may change the area
    first), declined or ended by the board. Approval makes the account `is_police`."""

    audit_event = "police_request"

    team = models.CharField(
        _("basisteam of eenheid"), max_length=150, help_text=_("Bijvoorbeeld: Basisteam Oost.")
    )
    job_title = models.CharField(_("functie"), max_length=150)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("gebied (gemeenten)"), related_name="police_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="police_requests",
    )

    objects = PoliceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag politietoegang")
        verbose_name_plural = _("aanvragen politietoegang")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=Q(status__in=OPEN_STAFF_REQUEST_STATUSES),
                name="policerequest_one_open_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.team})"

    def audit_name(self) -> str:
        """The request's area (the officer's name stays out of the audit trail)."""
        return ", ".join(self.municipalities.order_by("name").values_list("name", flat=True))

    def approve(self, *, by) -> bool:
        """The board agrees: the account with this address (made now if there is none)
        becomes a police officer for the request's area, and the officer is told. False when
        the request is not waiting for the board, has no area, or its address belongs to an
        account the board deactivated."""
        from groups.mail import send_police_request_approved
        from wabp.models import User

        if not self.municipalities.exists():
            return False
        existing = User.objects.filter(email__iexact=self.email).first()
        if existing is not None and not existing.is_active and not existing.never_activated:
            return False
        with transaction.atomic():
            if not self._decide(StaffRequestStatus.PENDING, StaffRequestStatus.APPROVED, by):
                return False
            user, new_account = account_for_verified_address(existing, self)
            user.is_police = True
            user.save()
            self.user = user
            self.save(update_fields=["user"])
            send_police_request_approved(self, new_account=new_account)
        return True

    def decline(self, *, by) -> bool:
        """The board refuses; the officer is told. False when not waiting for the board."""
        from groups.mail import send_police_request_declined

        with transaction.atomic():
            if not self._decide(StaffRequestStatus.PENDING, StaffRequestStatus.DECLINED, by):
                return False
            send_police_request_declined(self)
        return True

    def end(self, *, by) -> bool:
        """The board ends the access this request gave: its area is gone from the officer's
        next request on (every check reads the user and police_area from the database), and
        the account is no longer police once no other approved request remains. False when
        the request was not approved."""
        from groups.mail import send_police_access_ended
        from wabp.models import User

        with transaction.atomic():
            if not self._decide(StaffRequestStatus.APPROVED, StaffRequestStatus.ENDED, by):
                return False
            if self.user_id is not None:
                others = PoliceRequest.objects.filter(
                    user_id=self.user_id, status=StaffRequestStatus.APPROVED
                )
                if not others.exists():
                    User.objects.filter(pk=self.user_id).update(is_police=False)
            send_police_access_ended(self)
        return True


class PoliceAccessLog(models.Model):
    """Every page and action of the police workspace, for the board: who saw or did what."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    action = models.CharField(_("handeling"), max_length=50)
    path = models.CharField(_("pagina"), max_length=300)
    group = models.ForeignKey(
        "Group",
        verbose_name=_("groep"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("toegang politie")
        verbose_name_plural = _("toegangslog politie")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class SenderType(models.TextChoices):
    """Who may send an area message (and what admins can opt out of)."""

    POLICE = "police", _("politie")
    MUNICIPALITY = "municipality", _("gemeente")


class AreaMessage(models.Model):
    """A message from a police officer or municipality staff member to the admins of every
    active group in an area they cover, for the admins to pass on in their chats.

    Accountable: a reason and a reference are required, it is valid for a limited time
    (shown on the message), the sender's name and organisation are kept as sent, and the
    board sees every message. The area is a set of postcode areas, or a radius around a
    postcode; `groups` records which groups it reached.
    """

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afzender"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sender_type = models.CharField(_("soort afzender"), max_length=20, choices=SenderType)
    # As shown on the message, kept when the account goes: "J. Jansen, wijkagent, Basisteam Oost".
    sender_name = models.CharField(_("afzender zoals getoond"), max_length=300)
    subject = models.CharField(_("onderwerp"), max_length=150)
    body = models.TextField(_("bericht"), max_length=2000)
    reason = models.TextField(_("reden"), max_length=500)
    reference = models.CharField(_("kenmerk"), max_length=100)
    valid_until = models.DateTimeField(_("geldig tot"))
    areas = models.ManyToManyField(
        Area, verbose_name=_("postcodegebieden"), blank=True, related_name="+"
    )
    centre_postcode = models.CharField(_("rond postcode"), max_length=6, blank=True)
    radius_km = models.DecimalField(
        _("straal (km)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    groups = models.ManyToManyField(
        "Group", verbose_name=_("bereikte groepen"), blank=True, related_name="+"
    )
    admin_count = models.PositiveIntegerField(_("bereikte beheerders"), default=0)
    created_at = models.DateTimeField(_("verstuurd"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("gebiedsbericht")
        verbose_name_plural = _("gebiedsberichten")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class AreaMessageDelivery(models.Model):
    """One admin who got an area message; unique, so nobody gets it twice."""

    message = models.ForeignKey(
        AreaMessage,
        verbose_name=_("gebiedsbericht"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beheerder"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    email = models.ForeignKey(
        "wabp.OutboundEmail",
        verbose_name=_("e-mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ontvanger")
        verbose_name_plural = _("ontvangers gebiedsberichten")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="areamessage_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.user_id}"


class AreaMessageOptOut(models.Model):
    """An admin who no longer wants area messages from one kind of sender."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="area_message_opt_outs",
    )
    sender_type = models.CharField(_("soort afzender"), max_length=20, choices=SenderType)
    created_at = models.DateTimeField(_("afgemeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("afmelding gebiedsberichten")
        verbose_name_plural = _("afmeldingen gebiedsberichten")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sender_type"], name="areamessageoptout_once_per_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.sender_type}"


class RecruitmentTally(models.Model):
    """How many confirmed join requests came through each material of a group's recruitment
    kit. A count, not the requests: those are deleted after their retention period, the
    admin's tally stays. No cookie and nothing about the resident: only the material."""

    group = models.ForeignKey(
        Group, verbose_name=_("groep"), on_delete=models.CASCADE, related_name="recruitment"
    )
    material = models.CharField(_("materiaal"), max_length=10, choices=RecruitmentMaterial)
    joins = models.PositiveIntegerField(_("aanmeldingen"), default=0)
    last_join_at = models.DateTimeField(_("laatste aanmelding"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmeldingen via de wervingskit")
        verbose_name_plural = _("aanmeldingen via de wervingskit")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "material"], name="recruitmenttally_once_per_material"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.material}: {self.joins}"

    @classmethod
    def count(cls, group: Group, material: str) -> None:
        """One more confirmed join through `material` (safe when two confirm at once)."""
        now = timezone.now()
        tally, created = cls.objects.get_or_create(
            group=group, material=material, defaults={"joins": 1, "last_join_at": now}
        )
        if not created:
            cls.objects.filter(pk=tally.pk).update(joins=F("joins") + 1, last_join_at=now)


# Prevention tips --------------------------------------------------------------------------


class TipTheme(models.TextChoices):
    DARK_EVENINGS = "donkere-dagen", _("Donkere dagen")
    HOLIDAYS = "vakantie", _("Vakantie")
    DOORSTEP_SCAMS = "babbeltrucs", _("Babbeltrucs aan de deur")
    BIKE_THEFT = "fietsdiefstal", _("Fietsdiefstal")
    BURGLARY = "inbraak", _("Inbraak")
    ONLINE_FRAUD = "online-oplichting", _("Online oplichting")
    THE_GROUP = "de-groep", _("Een goede groep")


MONTHS = range(1, 13)


def validate_months(value: list[int]) -> None:
    from django.core.exceptions import ValidationError

    if any(month not in MONTHS for month in value):
        raise ValidationError(_("Maanden zijn nummers van 1 tot en met 12."))


class TipQuerySet(models.QuerySet):
    def published(self) -> "TipQuerySet":
        """Tips the board has published, in the board's order."""
        return self.filter(is_published=True).order_by("order", "pk")

    def for_month(self, month: int) -> "TipQuerySet":
        """Tips that fit this month (a tip without months fits all year)."""
        return self.filter(Q(months__contains=[month]) | Q(months=[]))

    def load_from_content(self, spec: dict, *, update: bool = False, dry_run: bool = False):
        """Create a tip from its content files (groups/tips/content), or update it with `update`
        when the files' version is higher; as Page.objects.load_from_content."""
        from wabp.content import Action, Loaded, decide

        fields = {field: spec[field] for field in Tip.CONTENT_FIELDS}
        tip = self.filter(slug=spec["slug"]).first()
        database_version = tip.version if tip else None
        action = decide(
            database_version,
            spec["version"],
            tip is not None and all(getattr(tip, k) == v for k, v in fields.items()),
        )
        if action is Action.OUTDATED and update:
            action = Action.UPDATED
        if not dry_run and action is Action.CREATED:
            self.create(slug=spec["slug"], version=spec["version"], **fields)
        elif not dry_run and action is Action.UPDATED:
            for field, value in fields.items():
                setattr(tip, field, value)
            tip.version = spec["version"]
            tip.save()
        return Loaded(spec["slug"], action, database_version, spec["version"])


class Tip(models.Model):
    """A prevention tip of the board's knowledge base (Markdown, sanitised on display), with a
    message to paste into the group chat. Loaded from groups/tips/content by `load_tips`;
    the board edits it in the admin. English is optional: the Dutch text stands in."""

    CONTENT_FIELDS = [
        "theme", "months", "order",
        "title", "summary", "body", "chat_message",
        "title_en", "summary_en", "body_en", "chat_message_en",
    ]  # fmt: skip
    CHAT_MAX_LENGTH = 400

    slug = models.SlugField(_("adres"), unique=True, help_text=_("Vast; bepaalt de URL."))
    theme = models.CharField(_("thema"), max_length=20, choices=TipTheme)
    months = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("maanden"),
        default=list,
        blank=True,
        validators=[validate_months],
        help_text=_("Nummers 1–12, gescheiden door komma's; leeg: het hele jaar."),
    )
    title = models.CharField(_("titel"), max_length=200)
    summary = models.CharField(_("samenvatting"), max_length=300, blank=True)
    body = models.TextField(_("tekst (Markdown)"))
    chat_message = models.TextField(
        _("bericht voor de groepsapp"),
        max_length=CHAT_MAX_LENGTH,
        help_text=_("Platte tekst, kort: over gedrag, nooit over uiterlijk."),
    )
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    summary_en = models.CharField(_("samenvatting (Engels)"), max_length=300, blank=True)
    body_en = models.TextField(_("tekst (Engels, Markdown)"), blank=True)
    chat_message_en = models.TextField(
        _("bericht voor de groepsapp (Engels)"), max_length=CHAT_MAX_LENGTH, blank=True
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    version = models.PositiveSmallIntegerField(
        _("versie"),
        default=1,
        help_text=_("De versie van de tekst in de bestanden die het laatst is ingeladen."),
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    objects = TipQuerySet.as_manager()

    class Meta:
        verbose_name = _("preventietip")
        verbose_name_plural = _("preventietips")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("groups:tip", kwargs={"slug": self.slug})

    def in_language(self, language: str | None) -> dict[str, str]:
        """Title, summary, body and chat message in `language`; Dutch where English is empty."""
        english = (language or "").startswith("en") and bool(self.title_en and self.body_en)
        suffix = "_en" if english else ""
        return {
            "title": getattr(self, f"title{suffix}"),
            "summary": getattr(self, f"summary{suffix}"),
            "body": getattr(self, f"body{suffix}"),
            "chat_message": (self.chat_message_en if english else "") or self.chat_message,
        }

    def fits(self, month: int) -> bool:
        return not self.months or month in self.months


class TipSubscription(models.Model):
    """A user who asked for a prevention tip by mail once a month (opt-in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="tip_subscription",
    )
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("abonnement op preventietips")
        verbose_name_plural = _("abonnementen op preventietips")

    def __str__(self) -> str:
        return str(self.user_id)

    @classmethod
    def subscribe(cls, user) -> None:
        cls.objects.get_or_create(user=user)

    @classmethod
    def unsubscribe(cls, user) -> None:
        """End the subscription; which tips were sent goes with it (the privacy statement)."""
        cls.objects.filter(user=user).delete()
        TipDelivery.objects.filter(user=user).delete()


class TipDelivery(models.Model):
    """Which tip a subscriber received in which month: nobody gets a tip twice, and a month's
    mail goes out once (both unique)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="tip_deliveries",
    )
    tip = models.ForeignKey(
        Tip, verbose_name=_("tip"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # The first day of the month the tip was sent for.
    month = models.DateField(_("maand"))
    created_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    class Meta:
        verbose_name = _("verstuurde preventietip")
        verbose_name_plural = _("verstuurde preventietips")
        constraints = [
            models.UniqueConstraint(fields=["user", "tip"], name="tipdelivery_once_per_tip"),
            models.UniqueConstraint(fields=["user", "month"], name="tipdelivery_once_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.tip_id} ({self.month:%Y-%m})"
