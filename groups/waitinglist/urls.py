"""The waiting list for areas without a group (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.waitinglist import views

urlpatterns = [
    path("wachtlijst/", views.waitinglist_join, name="waitinglist_join"),
    path("wachtlijst/verstuurd/", views.waitinglist_sent, name="waitinglist_sent"),
    path(
        "wachtlijst/bevestigen/<slug:token>/",
        views.waitinglist_confirm,
        name="waitinglist_confirm",
    ),
    path("wachtlijst/afmelden/<slug:token>/", views.waitinglist_delete, name="waitinglist_delete"),
]
