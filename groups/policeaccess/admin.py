"""Police access requests and the police's access log in the board's admin.

The board approves or declines a verified request, or ends the access an approved one gave,
with one click: an action in the list, or a button on the request's page. While a request
waits for the board, the board may change its area (the municipalities) first; everything
else is as the officer sent it. Each decision sends the officer a mail.

The access log (PoliceAccessLog, written by the police workspace) is read-only here: nobody
adds, changes or deletes an entry; the retention rule removes them after two years.
"""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups.models import PoliceAccessLog, PoliceRequest, StaffRequestStatus

DECISIONS = {
    # button name -> (model method, log message, message to the board)
    "_approve": ("approve", _("Goedgekeurd."), _("%(n)d aanvraag/aanvragen goedgekeurd.")),
    "_decline": ("decline", _("Afgewezen."), _("%(n)d aanvraag/aanvragen afgewezen.")),
    "_end": ("end", _("Toegang beëindigd."), _("Bij %(n)d aanvraag/aanvragen toegang beëindigd.")),
}


@admin.register(PoliceRequest)
class PoliceRequestAdmin(admin.ModelAdmin):
    change_form_template = "admin/groups/policerequest/change_form.html"
    list_display = [
        "__str__",
        "email",
        "job_title",
        "area",
        "status",
        "created_at",
        "decided_at",
        "last_login",
        "second_factor",
    ]
    list_filter = ["status", ("municipalities", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["first_name", "last_name", "email", "team", "municipalities__name"]
    fields = [
        "first_name",
        "last_name",
        "email",
        "team",
        "job_title",
        "municipalities",
        "status",
        "created_at",
        "verified_at",
        "decided_at",
        "decided_by",
        "user",
        "last_login",
        "second_factor",
    ]
    autocomplete_fields = ["municipalities"]
    actions = ["approve", "decline", "end"]
    show_full_result_count = False

    def get_queryset(self, request):
        has_app = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .annotate(has_app=Exists(has_app))
            .prefetch_related("municipalities")
        )

    def get_readonly_fields(self, request, obj=None):
        # Only the area of a request that waits for the board can change.
        if obj is not None and obj.status == StaffRequestStatus.PENDING:
            return [field for field in self.fields if field != "municipalities"]
        return self.fields

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("gebied"))
    def area(self, obj: PoliceRequest) -> str:
        return ", ".join(municipality.name for municipality in obj.municipalities.all())

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "municipalities":
            # Municipalities come from the CBS import, never from here.
            formfield.widget.can_add_related = False
        return formfield

    @admin.display(description=_("laatst ingelogd"), ordering="user__last_login")
    def last_login(self, obj: PoliceRequest):
        if obj.user is None:
            return self.get_empty_value_display()
        return obj.user.last_login or _("nog nooit")

    @admin.display(description=_("authenticator-app ingesteld"), boolean=True)
    def second_factor(self, obj: PoliceRequest) -> bool | None:
        return obj.has_app if obj.user_id else None

    @admin.action(description=_("Goedkeuren (politietoegang geven)"), permissions=["change"])
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
        done = without_area = 0
        for police_request in queryset.select_related("user"):
            if getattr(police_request, method)(by=request.user):
                done += 1
                self.log_change(request, police_request, str(log_message))
            elif button == "_approve" and not police_request.municipalities.exists():
                without_area += 1
        level = messages.SUCCESS if done else messages.WARNING
        self.message_user(request, summary % {"n": done}, level)
        if without_area:
            self.message_user(
                request,
                _("%(n)d aanvraag/aanvragen zonder gemeente: kies eerst het gebied.")
                % {"n": without_area},
                messages.ERROR,
            )
        return done

    # The buttons on a request's page post its form: only the area of a pending request is
    # saved (save_related), then the decision is taken.
    def save_model(self, request, obj, form, change):
        pass

    def response_change(self, request, obj):
        for button in DECISIONS:
            if button in request.POST:
                self._decide(request, PoliceRequest.objects.filter(pk=obj.pk), button)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


@admin.register(PoliceAccessLog)
class PoliceAccessLogAdmin(admin.ModelAdmin):
    """Every page and action of the police workspace: read-only, and never deleted by hand."""

    list_display = ["at", "user", "action", "group", "path"]
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter), "at"]
    list_select_related = ["user", "group"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "path", "group__name"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
