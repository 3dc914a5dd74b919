"""The board's admin for groups and unanswered join requests.

Other groups models (Invitation, WaitingListEntry, SignRequest, Broadcast) are registered
next to the features that use them.
"""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups import audit
from groups.audit import actor_name, describe_entry
from groups.coverage import MAX_COVERAGE_KM, MAX_COVERAGE_POSTCODES, ranges_of
from groups.export import board_columns, write_groups_csv
from groups.models import (
    TESTED_RECENTLY,
    Coverage,
    CoverageClaim,
    CoverageClaimStatus,
    Group,
    GroupAdmin,
    GroupStatus,
    JoinRequest,
)
from wabp.models import User


class CoverageKindFilter(admin.SimpleListFilter):
    title = _("dekking")
    parameter_name = "dekking"

    def lookups(self, request, model_admin):
        return [("postcodes", _("met postcodes")), ("locatie", _("alleen locatie"))]

    def queryset(self, request, queryset):
        has_coverage = Exists(Coverage.objects.filter(group=OuterRef("pk")))
        if self.value() == "postcodes":
            return queryset.filter(has_coverage)
        if self.value() == "locatie":
            return queryset.filter(~has_coverage)
        return queryset


class MonthlyTestFilter(admin.SimpleListFilter):
    """Issue #17 part 4: which groups take part in the monthly test."""

    title = _("test maandelijks")
    parameter_name = "test"

    def lookups(self, request, model_admin):
        return [
            ("aan", _("een beheerder test maandelijks")),
            ("getest", _("getest in de afgelopen 2 maanden")),
            ("nee", _("geen beheerder test maandelijks")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "aan":
            return queryset.testing_monthly()
        if self.value() == "getest":
            return queryset.tested_since(timezone.now() - TESTED_RECENTLY)
        if self.value() == "nee":
            return queryset.exclude(pk__in=Group.objects.testing_monthly().values("pk"))
        return queryset


class GroupAdminInline(admin.TabularInline):
    model = GroupAdmin
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "added_at", "monthly_test"]
    readonly_fields = ["added_at", "monthly_test"]
    verbose_name = _("beheerder")
    verbose_name_plural = _("beheerders")


# The group's change page shows this many of its latest audit entries.
AUDIT_ON_GROUP_PAGE = 10


@admin.register(Group)
class GroupModelAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "status",
        "platform",
        "area",
        "municipality",
        "is_verified",
        "last_confirmed_at",
    ]
    list_filter = [
        "status",
        ("municipality__province", admin.AllValuesFieldListFilter),
        ("municipality", admin.RelatedOnlyFieldListFilter),
        "platform",
        "registered_with_municipality",
        "registered_with_police",
        CoverageKindFilter,
        "is_verified",
        MonthlyTestFilter,
    ]
    search_fields = ["name", "slug", "area__code", "area__place", "municipality__name"]
    list_select_related = ["area", "municipality"]
    show_full_result_count = False
    raw_id_fields = ["area", "municipality", "split_from"]
    readonly_fields = [
        "coverage_summary",
        "created_at",
        "confirmed_at",
        "last_confirmed_at",
        "reconfirm_sent_at",
        "reconfirm_reminded_at",
        "last_tested_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "platform", "description", "status", "is_verified"]}),
        (
            _("Locatie en dekking"),
            {"fields": ["area", "street", "municipality", "coverage_summary"]},
        ),
        (
            _("Over de groep"),
            {
                "fields": [
                    "registered_with_municipality",
                    "registered_with_police",
                    "member_count",
                    # Issue 17: where a group split off from.
                    "split_from",
                ]
            },
        ),
        (
            _("Data"),
            {
                "fields": [
                    "created_at",
                    "confirmed_at",
                    "last_confirmed_at",
                    "reconfirm_sent_at",
                    "reconfirm_reminded_at",
                    "last_tested_at",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [GroupAdminInline]
    actions = ["suspend", "lift_suspension", "mark_verified", "export_csv"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "audit_trail"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.has_perm("auditlog.view_logentry"):
            return fieldsets
        return [*fieldsets, (_("Audit trail"), {"fields": ["audit_trail"]})]

    @admin.display(description=_("wat beheerders en bestuur deden"))
    def audit_trail(self, group: Group) -> str:
        if group.pk is None:
            return "–"
        entries = list(audit.for_group(group.pk).select_related("actor")[:AUDIT_ON_GROUP_PAGE])
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(timezone.localtime(entry.timestamp), "j M Y H:i"),
                    describe_entry(entry),
                    actor_name(entry),
                )
                for entry in entries
            ),
        )
        url = reverse("admin:auditlog_logentry_changelist") + f"?group={group.pk}"
        return format_html(
            '<table><caption>{}</caption><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody>'
            '</table><p><a href="{}">{}</a></p>',
            _("De laatste %(n)d handelingen") % {"n": len(entries)},
            _("Wanneer"),
            _("Wat"),
            _("Door"),
            rows,
            url,
            _("Alle handelingen voor deze groep, te filteren per beheerder"),
        )

    def save_formset(self, request, form, formset, change):
        # Admins added or removed by the board in the inline: one entry each.
        super().save_formset(request, form, formset, change)
        if formset.model is not GroupAdmin:
            return
        for membership in formset.new_objects:
            audit.record(
                membership.group,
                "admin_added",
                actor=request.user,
                changes={"admin": [None, audit.user_ref(membership.user)]},
            )
        for membership in formset.deleted_objects:
            audit.record(
                form.instance,
                "admin_removed",
                actor=request.user,
                changes={"admin": [f"user {membership.user_id}", None]},
            )

    @admin.display(description=_("gedekte postcodes"))
    def coverage_summary(self, group: Group) -> str:
        # Ranges instead of an inline of hundreds of rows; admins edit coverage in /beheer/.
        if group.pk is None:
            return "–"
        ranges = group.coverage_ranges()
        if not ranges:
            return _("Geen postcodes: de groep staat alleen op haar locatie.")
        count = group.coverage.count()
        return format_html(
            "{}<br>{}",
            ", ".join(ranges),
            ngettext("%(n)d postcode", "%(n)d postcodes", count) % {"n": count},
        )

    @admin.action(description=_("Schorsen (uit zoeken en kaart)"), permissions=["change"])
    def suspend(self, request, queryset):
        groups = list(queryset.exclude(status=GroupStatus.SUSPENDED))
        for group in groups:
            group.suspend()
            self.log_change(request, group, _("Geschorst door het bestuur."))
        self.message_user(request, _("%(n)d groep(en) geschorst.") % {"n": len(groups)})

    @admin.action(description=_("Schorsing opheffen"), permissions=["change"])
    def lift_suspension(self, request, queryset):
        groups = list(queryset.filter(status=GroupStatus.SUSPENDED))
        for group in groups:
            group.lift_suspension()
            self.log_change(request, group, _("Schorsing opgeheven."))
        self.message_user(
            request, _("Schorsing van %(n)d groep(en) opgeheven.") % {"n": len(groups)}
        )

    @admin.action(description=_("Keurmerk 'geverifieerd' geven"), permissions=["change"])
    def mark_verified(self, request, queryset):
        groups = list(queryset.filter(is_verified=False))
        for group in groups:
            group.is_verified = True
            group.save(update_fields=["is_verified", "updated_at"])
            self.log_change(request, group, _("Keurmerk 'geverifieerd' gegeven."))
        self.message_user(
            request, _("%(n)d groep(en) geverifieerd.") % {"n": len(groups)}, messages.SUCCESS
        )

    @admin.action(description=_("Exporteren als CSV (openbare gegevens)"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="groepen-{stamp}.csv"'
        site = request.build_absolute_uri("/").rstrip("/")
        groups = queryset.select_related("area", "municipality").order_by("name")
        write_groups_csv(response, groups, board_columns(site))
        return response


class UnansweredFilter(admin.SimpleListFilter):
    title = _("beantwoord")
    parameter_name = "onbeantwoord"

    def lookups(self, request, model_admin):
        return [("10", _("onbeantwoord > 10 dagen"))]

    def queryset(self, request, queryset):
        if self.value() == "10":
            return queryset.filter(pk__in=JoinRequest.objects.unanswered(days=10).values("pk"))
        return queryset


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    """Read-only: the board follows up groups that leave residents waiting.

    The resident's contact details stay with the group's admins and are not shown here.
    """

    list_display = ["group", "status", "created_at", "confirmed_at", "reminded_at", "handled_at"]
    list_filter = [UnansweredFilter, "status"]
    list_select_related = ["group"]
    search_fields = ["group__name"]
    fields = [
        "group",
        "status",
        "outside_area",
        "created_at",
        "confirmed_at",
        "reminded_at",
        "handled_at",
    ]
    readonly_fields = fields
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CoverageClaim)
class CoverageClaimAdmin(admin.ModelAdmin):
    """Coverage an admin asked for beyond the limits: the board approves or declines it with
    the actions; approving applies it. Either way the admin gets an e-mail."""

    list_display = [
        "group",
        "status",
        "postcode_count",
        "farthest",
        "covered_now",
        "created_at",
        "decided_at",
    ]
    list_filter = ["status"]
    list_select_related = ["group"]
    search_fields = ["group__name", "group__slug"]
    fields = [
        "group",
        "status",
        "requested_by",
        "too_far_summary",
        "farthest",
        "over_limit_summary",
        "covered_now",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    readonly_fields = fields
    actions = ["approve", "decline"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(covered=Count("group__coverage"))

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("postcodes"))
    def postcode_count(self, claim: CoverageClaim) -> int:
        return len(claim.postcodes)

    @admin.display(description=_("verste afstand"))
    def farthest(self, claim: CoverageClaim) -> str:
        if not claim.too_far:
            return "–"
        if claim.farthest_km is None:
            return _("onbekend")
        return _("%(km).1f km (grens %(max)g km)") % {
            "km": claim.farthest_km,
            "max": MAX_COVERAGE_KM,
        }

    @admin.display(description=_("de groep dekt nu"))
    def covered_now(self, claim: CoverageClaim) -> str:
        return _("%(n)d postcodes (grens %(max)d)") % {
            "n": claim.covered,
            "max": MAX_COVERAGE_POSTCODES,
        }

    @admin.display(description=_("te ver van de groep"))
    def too_far_summary(self, claim: CoverageClaim) -> str:
        return ", ".join(ranges_of(claim.too_far)) or "–"

    @admin.display(description=_("boven het maximum"))
    def over_limit_summary(self, claim: CoverageClaim) -> str:
        return ", ".join(ranges_of(claim.over_limit)) or "–"

    @admin.action(description=_("Goedkeuren (postcodes toevoegen)"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Afwijzen"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve: bool) -> None:
        done = 0
        for claim in queryset.filter(status=CoverageClaimStatus.PENDING).select_related("group"):
            with transaction.atomic():
                decided = (
                    claim.approve(by=request.user) if approve else claim.decline(by=request.user)
                )
            if decided:
                done += 1
                message = _("Postcodes goedgekeurd.") if approve else _("Postcodes afgewezen.")
                self.log_change(request, claim, message)
        text = (
            _("%(n)d aanvraag/aanvragen goedgekeurd.")
            if approve
            else _("%(n)d aanvraag/aanvragen afgewezen.")
        )
        self.message_user(request, text % {"n": done}, messages.SUCCESS)


class AuditGroupFilter(admin.SimpleListFilter):
    """One group's trail (?group=<id>), linked from the group's change page."""

    title = _("groep")
    parameter_name = "group"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value or not value.isdigit():
            return []
        group = Group.objects.filter(pk=value).first()
        return [(value, group.name if group else f"#{value}")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(additional_data__group_id=int(self.value()))
        return queryset


class AuditActorFilter(admin.SimpleListFilter):
    """Per admin, staff member or board member: who did it."""

    title = _("door")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        actors = (
            User.objects.filter(pk__in=LogEntry.objects.values("actor"))
            .order_by("first_name", "last_name", "email")
            .only("pk", "first_name", "last_name", "email")
        )
        return [(str(user.pk), str(user)) for user in actors]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(actor_id=int(self.value()))
        return queryset


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditEntryAdmin(LogEntryAdmin):
    """The audit trail, read-only: filter per group and per actor."""

    date_hierarchy = None
    list_display = ["when", "group_name", "what", "who"]
    list_filter = [AuditGroupFilter, AuditActorFilter]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "additional_data__group"]
    show_full_result_count = False
    readonly_fields = ["when", "group_name", "what", "who"]
    fieldsets = [(None, {"fields": ["when", "group_name", "what", "who"]})]

    @admin.display(description=_("wanneer"), ordering="timestamp")
    def when(self, entry: LogEntry) -> str:
        return date_format(timezone.localtime(entry.timestamp), "j F Y H:i")

    @admin.display(description=_("groep"))
    def group_name(self, entry: LogEntry) -> str:
        data = entry.additional_data or {}
        if "group_id" not in data:
            return "–"
        url = reverse("admin:auditlog_logentry_changelist") + f"?group={data['group_id']}"
        return format_html('<a href="{}">{}</a>', url, data.get("group") or f"#{data['group_id']}")

    @admin.display(description=_("wat"))
    def what(self, entry: LogEntry) -> str:
        return describe_entry(entry)

    @admin.display(description=_("door"))
    def who(self, entry: LogEntry) -> str:
        return actor_name(entry)


from groups.areamessages import admin as _areamessages_admin  # noqa: E402,F401
from groups.broadcasts import admin as _broadcasts_admin  # noqa: E402,F401
from groups.municipalities import admin as _municipalities_admin  # noqa: E402,F401
from groups.policeaccess import admin as _policeaccess_admin  # noqa: E402,F401
from groups.staffaccess import admin as _staffaccess_admin  # noqa: E402,F401
from groups.takeover import admin as _takeover_admin  # noqa: E402,F401
from groups.tips import admin as _tips_admin  # noqa: E402,F401
