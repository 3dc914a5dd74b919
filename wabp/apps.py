from importlib import import_module

from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import autodiscover_modules, module_has_submodule


class WabpConfig(AppConfig):
    # The default config of "wabp": this module also holds the admin's config.
    default = True
    name = "wabp"
    verbose_name = "Portaal"

    def ready(self) -> None:
        # Every app's (wabp's own too) share of personal data: export, erasure,
        # retention, "my account" sections (see wabp.registry).
        autodiscover_modules("personal_data")


class PortalAdminConfig(SimpleAdminConfig):
    """The Django admin, discovering every app's admin module except django-leaflet's.

    django-leaflet's admin imports GeoDjango widgets, which need the GDAL library;
    the portal uses only its template tags, so it has no reason to require GDAL.
    """

    def ready(self) -> None:
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name != "leaflet" and module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
