from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostcodesConfig(AppConfig):
    name = "postcodes"
    verbose_name = _("Postcodes en gemeenten")
