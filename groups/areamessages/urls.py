"""Area messages from the police and municipalities, and the admins' opt-out (mounted at the root)."""

from django.urls import path

from groups.areamessages import views

urlpatterns = [
    path("gebiedsberichten/", views.sent_messages, name="area_messages"),
    path("gebiedsberichten/nieuw/", views.new_message, name="area_message_new"),
    path(
        "gebiedsberichten/instellingen/",
        views.opt_out_settings,
        name="area_message_settings",
    ),
    path("afmelden/gebiedsberichten/<str:token>/", views.opt_out, name="area_message_opt_out"),
    path(
        "afmelden/gebiedsberichten/<str:token>/direct/",
        views.opt_out_one_click,
        name="area_message_opt_out_one_click",
    ),
]
