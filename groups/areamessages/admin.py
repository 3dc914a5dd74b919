"""The board's view of every area message: who sent it, where, why, and who got it.

Read-only: a sent message is a record of what the admins received. The list shows each
message with its sender, reference, reason and reach; a message's page shows the area (PC4
areas or radius), the groups reached and, per admin, whether the mail went out.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from groups.areamessages.delivery import describe_message_area
from groups.models import AreaMessage, AreaMessageDelivery, AreaMessageOptOut


class ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(ReadOnly, admin.TabularInline):
    model = AreaMessageDelivery
    fields = ["recipient", "status", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("ontvangers")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "email")

    @admin.display(description=_("beheerder"))
    def recipient(self, obj: AreaMessageDelivery) -> str:
        return obj.user.email

    @admin.display(description=_("status"))
    def status(self, obj: AreaMessageDelivery) -> str:
        if obj.email is None:
            return _("in de wachtrij")
        if obj.email.sent_at:
            return _("verzonden")
        if obj.email.attempts:
            return _("mislukt, wacht op nieuwe poging")
        return _("in de wachtrij")

    @admin.display(description=_("verzonden"))
    def sent_at(self, obj: AreaMessageDelivery) -> str:
        sent = obj.email.sent_at if obj.email else None
        return date_format(timezone.localtime(sent), "DATETIME_FORMAT") if sent else "–"


@admin.register(AreaMessage)
class AreaMessageAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "created_at",
        "sender_name",
        "sender_type",
        "subject",
        "reference",
        "reason",
        "valid_until",
        "group_count",
        "admin_count",
    ]
    list_display_links = ["created_at", "subject"]
    list_filter = ["sender_type", "created_at", "valid_until"]
    search_fields = ["subject", "reference", "reason", "sender_name", "body"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "created_at",
        "sender_type",
        "sender_name",
        "sender",
        "subject",
        "body",
        "reason",
        "reference",
        "valid_until",
        "area",
        "groups_reached",
        "admin_count",
    ]
    readonly_fields = fields
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(group_count=Count("groups", distinct=True))

    @admin.display(description=_("groepen"), ordering="group_count")
    def group_count(self, obj: AreaMessage) -> int:
        return obj.group_count

    @admin.display(description=_("gebied"))
    def area(self, obj: AreaMessage) -> str:
        return describe_message_area(obj)

    @admin.display(description=_("bereikte groepen"))
    def groups_reached(self, obj: AreaMessage) -> str:
        groups = obj.groups.select_related("area").order_by("name")
        return (
            format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    '<li><a href="{}">{}</a> ({} {})</li>',
                    (
                        (
                            reverse("admin:groups_group_change", args=[group.pk]),
                            group.name,
                            group.area_id,
                            group.area.place,
                        )
                        for group in groups
                    ),
                ),
            )
            if groups
            else "–"
        )


@admin.register(AreaMessageOptOut)
class AreaMessageOptOutAdmin(admin.ModelAdmin):
    """Who opted out of area messages from one kind of sender; the board can undo one on request."""

    list_display = ["user_email", "sender_type", "created_at"]
    list_filter = ["sender_type"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "sender_type", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("gebruiker"), ordering="user__email")
    def user_email(self, obj: AreaMessageOptOut) -> str:
        return obj.user.email

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
