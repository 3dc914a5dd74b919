"""Street-sign requests in the board's admin."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from groups.models import (
    SignRequest,
)


@admin.register(SignRequest)
class SignRequestAdmin(admin.ModelAdmin):
    """Every municipality's street-sign requests; the board can correct status and note."""

    list_display = ["street", "group_link", "municipality", "status", "created_at", "updated_at"]
    list_filter = ["status", ("municipality", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["group", "municipality"]
    search_fields = ["group__name"]
    raw_id_fields = ["group", "requested_by"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "group",
        "municipality",
        "requested_by",
        "street",
        "reason",
        "status",
        "note",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("groep"), ordering="group__name")
    def group_link(self, obj: SignRequest) -> str:
        url = reverse("admin:groups_group_change", args=[obj.group_id])
        return format_html('<a href="{}">{}</a>', url, obj.group.name)
