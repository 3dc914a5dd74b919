"""Staff requests and municipalities' mail domains in the board's admin.

The board approves or declines a verified request, or ends the access an approved one gave,
with one click: an action in the list, or a button on the request's page. Each sends the
employee a mail.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from groups.models import MunicipalityMailDomain, StaffRequest

DECISIONS = {
    # button name -> (model method, log message, message to the board)
    "_approve": ("approve", _("Goedgekeurd."), _("%(n)d aanvraag/aanvragen goedgekeurd.")),
    "_decline": ("decline", _("Afgewezen."), _("%(n)d aanvraag/aanvragen afgewezen.")),
    "_end": ("end", _("Toegang beëindigd."), _("Bij %(n)d aanvraag/aanvragen toegang beëindigd.")),
}


@admin.register(MunicipalityMailDomain)
class MunicipalityMailDomainAdmin(admin.ModelAdmin):
    """Which mail domains count as a municipality's own, for staff requests."""

    list_display = ["domain", "municipality"]
    search_fields = ["domain", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(StaffRequest)
class StaffRequestAdmin(admin.ModelAdmin):
    change_form_template = "admin/groups/staffrequest/change_form.html"
    list_display = [
        "__str__",
        "email",
        "job_title",
        "status",
        "created_at",
        "verified_at",
        "decided_at",
    ]
    list_filter = ["status", ("municipality", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["municipality"]
    search_fields = ["first_name", "last_name", "email", "municipality__name"]
    fields = [
        "municipality",
        "first_name",
        "last_name",
        "email",
        "job_title",
        "status",
        "created_at",
        "verified_at",
        "decided_at",
        "decided_by",
        "user",
    ]
    readonly_fields = fields
    actions = ["approve", "decline", "end"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Goedkeuren (medewerkersaccount geven)"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, "_approve")

    @admin.action(description=_("Afwijzen"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, "_decline")

    @admin.action(description=_("Toegang beëindigen"), permissions=["change"])
    def end(self, request, queryset):
        self._decide(request, queryset, "_end")

    def _decide(self, request, queryset, button: str) -> int:
        method, log_message, summary = DECISIONS[button]
        done = 0
        for staff_request in queryset.select_related("municipality", "user"):
            if getattr(staff_request, method)(by=request.user):
                done += 1
                self.log_change(request, staff_request, str(log_message))
        level = messages.SUCCESS if done else messages.WARNING
        self.message_user(request, summary % {"n": done}, level)
        return done

    # The buttons on a request's page post its (read-only) form; nothing is saved but the decision.
    def save_model(self, request, obj, form, change):
        pass

    def response_change(self, request, obj):
        for button in DECISIONS:
            if button in request.POST:
                self._decide(request, StaffRequest.objects.filter(pk=obj.pk), button)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
