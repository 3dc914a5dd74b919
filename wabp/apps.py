from importlib import import_module

from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule


class WabpConfig(AppConfig):
    # apps.py holds two configs; without `default` Django would use neither for "wabp".
    default = True
    name = "wabp"
    verbose_name = "Portaal"


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
