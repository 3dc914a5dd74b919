"""The board's view of the groups taken over from the old register: who claimed, who was mailed.

Imported by groups/admin.py. Rows come from `import_groups` only, so nothing here adds or edits.
"""

from django.contrib import admin

from groups.models import RegisterEntry


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    list_display = ["group", "key", "admin", "imported_at", "claim_mail_sent_at", "claimed_at"]
    list_filter = [
        ("claimed_at", admin.EmptyFieldListFilter),
        ("claim_mail_sent_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["key", "group__name", "admin__email"]
    list_select_related = ["group", "admin"]
    readonly_fields = [
        "group",
        "key",
        "admin",
        "imported_at",
        "updated_at",
        "claim_mail_sent_at",
        "claimed_at",
    ]
    exclude = ["fingerprint"]
    ordering = ["group__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
