from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.auth.models import Permission
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from wabp.models import OutboundEmail, Page, ScheduledRun, User
from wabp.two_factor.devices import remove_second_factor

admin.site.site_header = _("WABP-portaal: bestuur")
admin.site.site_title = _("WABP-bestuur")
admin.site.index_title = _("Beheer van het portaal")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "municipality", "is_active"]
    list_filter = ["is_staff", "is_active", "municipality__province"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["municipality"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoonlijk"), {"fields": ["first_name", "last_name", "phone"]}),
        (
            _("Rollen"),
            {"fields": ["is_active", "is_staff", "is_superuser", "municipality", "groups"]},
        ),
        (
            _("Overig"),
            {
                "fields": [
                    "share_email_with_municipality",
                    "trained_at",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "password1", "password2"]}),
    ]
    readonly_fields = ["trained_at", "last_login", "date_joined"]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Tweestapsverificatie resetten"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """Remove the users' authenticator apps and recovery codes; they set it up again.

        For someone who lost their phone and their recovery codes. Each reset is in the
        admin's log of the user.
        """
        reset = 0
        for user in queryset:
            if remove_second_factor(user):
                self.log_change(request, user, gettext("Tweestapsverificatie gereset."))
                reset += 1
        self.message_user(
            request,
            ngettext(
                "Tweestapsverificatie van %(count)d gebruiker gereset. Bij de volgende keer "
                "inloggen stelt die het opnieuw in.",
                "Tweestapsverificatie van %(count)d gebruikers gereset. Bij de volgende keer "
                "inloggen stellen zij het opnieuw in.",
                reset,
            )
            % {"count": reset},
        )


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "version", "updated_at"]
    readonly_fields = ["version", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "is_published", "title", "intro", "body", "version"]}),
        (_("Engels"), {"classes": ["collapse"], "fields": ["title_en", "intro_en", "body_en"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The slug is the page's address; links elsewhere rely on it.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["kind", "created_at", "sent_at", "attempts"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    # Delivery status only: recipients and texts may be a resident's details meant for one
    # group's admins, or links that act on someone's behalf.
    fields = readonly_fields = [
        "kind", "created_at", "sent_at", "attempts", "next_attempt_at", "last_error",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """The schedule's record (wabp.schedule): each job's runs and what they returned."""

    list_display = ["job", "slot", "enqueued_at", "task_status", "task_finished_at", "result"]
    list_filter = ["job"]
    fields = readonly_fields = ["job", "slot", "enqueued_at", "task_result_id"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_outcome()

    @admin.display(description=_("status"))
    def task_status(self, run):
        return run.task_status or "—"

    @admin.display(description=_("klaar om"))
    def task_finished_at(self, run):
        return run.task_finished_at

    @admin.display(description=_("resultaat"))
    def result(self, run):
        return run.result_summary

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's list of task results, its one untranslatable column named in Dutch."""

    list_display = [
        "id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    ]

    @admin.display(description=_("taak"))
    def task(self, result: DBTaskResult) -> str:
        return result.task_name


# Django names a model's own permissions in English when it makes them ("Can add groep"),
# and stores that name; the board reads them in Dutch. Other permissions have Dutch names.
PERMISSION_ACTIONS = {
    "add": _("mag toevoegen"),
    "change": _("mag wijzigen"),
    "delete": _("mag verwijderen"),
    "view": _("mag bekijken"),
}


def permission_label(permission: Permission) -> str:
    """ "Groepen | groep | mag toevoegen": app, model and what the permission allows."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is None:
        return str(permission)
    what = permission.name
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        what = PERMISSION_ACTIONS[action]
    return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {what}"


admin.site.unregister(PermissionGroup)


@admin.register(PermissionGroup)
class GroupAdmin(DjangoGroupAdmin):
    """Django's permission groups, their permissions listed in Dutch."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field
