"""The unsubscribe link in the board's broadcasts (mounted at the root)."""

from django.urls import path

from groups.broadcasts import views

urlpatterns = [
    path(
        "afmelden/bestuursberichten/<str:token>/",
        views.unsubscribe,
        name="broadcast_unsubscribe",
    ),
    path(
        "afmelden/bestuursberichten/<str:token>/direct/",
        views.unsubscribe_one_click,
        name="broadcast_unsubscribe_one_click",
    ),
]
