"""The unsubscribe link in the board's broadcasts (mounted at the root)."""

from django.urls import path

from groups import broadcast

urlpatterns = [
    path(
        "afmelden/bestuursberichten/<str:token>/",
        broadcast.unsubscribe,
        name="broadcast_unsubscribe",
    ),
    path(
        "afmelden/bestuursberichten/<str:token>/direct/",
        broadcast.unsubscribe_one_click,
        name="broadcast_unsubscribe_one_click",
    ),
]
