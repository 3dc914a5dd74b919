from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Groepen")

    def ready(self):
        from groups import audit

        audit.register_models()
        from groups.signals import follow_area_municipalities
        from postcodes.signals import municipalities_assigned

        municipalities_assigned.connect(follow_area_municipalities, dispatch_uid="groups-follow")
