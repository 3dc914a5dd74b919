"""Two-factor login (mounted under /account/ by wabp.urls_accounts)."""

from django.urls import path

from wabp.two_factor import views

urlpatterns = [
    path("inloggen/code/", views.verify_code, name="two_factor_verify"),
    path("inloggen/herstelcode/", views.verify_recovery_code, name="two_factor_recovery"),
    path("tweestapsverificatie/", views.overview, name="two_factor"),
    path("tweestapsverificatie/instellen/", views.setup, name="two_factor_setup"),
    path(
        "tweestapsverificatie/nieuwe-herstelcodes/",
        views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("tweestapsverificatie/uitzetten/", views.disable, name="two_factor_disable"),
]
