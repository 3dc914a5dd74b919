from importlib import import_module

from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import autodiscover_modules, module_has_submodule
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


def note_language(sender, user, **kwargs) -> None:
    """On login (a user_logged_in receiver): remember the language the user chose."""
    from wabp.models import current_language

    user.note_language(current_language())


class WabpConfig(AppConfig):
    # apps.py holds two configs; without `default` Django would use neither for "wabp".
    default = True
    name = "wabp"
    verbose_name = "Portaal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.tasks.signals import task_finished

        from wabp import checks  # noqa: F401  (registers the system checks)
        from wabp.logs import log_task_finished
        from wabp.two_factor.middleware import note_second_factor_due

        # Every app's (wabp's own too) share of personal data: export, erasure,
        # retention, "my account" sections (see wabp.registry).
        autodiscover_modules("personal_data")
        user_logged_in.connect(note_second_factor_due, dispatch_uid="wabp.second_factor_due")
        user_logged_in.connect(note_language, dispatch_uid="wabp.note_language")
        task_finished.connect(log_task_finished, dispatch_uid="wabp.log_task_finished")


class PortalAdminConfig(SimpleAdminConfig):
    """The Django admin, discovering every app's admin module except those in SKIPPED_ADMINS.

    django-leaflet's admin imports GeoDjango widgets, which need the GDAL library;
    the portal uses only its template tags, so it has no reason to require GDAL.
    django-otp's device admins would let a board member read a user's app key (as a QR
    code) or give them a device with a known key; the board only resets a user's second
    factor (an action on users), and the user sets it up again themselves.
    """

    default_site = "wabp.two_factor.site.PortalAdminSite"
    SKIPPED_ADMINS = {"leaflet", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"}

    def ready(self) -> None:
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name not in self.SKIPPED_ADMINS and module_has_submodule(
                app_config.module, "admin"
            ):
                import_module(f"{app_config.name}.admin")


class TasksConfig(TasksAppConfig):
    """django-tasks-db, under a Dutch name in the board's admin (its own is fixed English)."""

    verbose_name = _("Achtergrondtaken")
