"""The admin area, mounted at /beheer/ (namespace `groups`)."""

from django.urls import path

from groups.beheer import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nog-actief/<str:token>/", views.reconfirm, name="reconfirm"),
    path("uitnodiging/", views.invitation_accept, name="invitation_accept"),
    path("uitnodiging/<slug:token>/", views.invitation, name="invitation"),
    path("aanmeldingen/<int:pk>/accepteren/", views.request_accept, name="request_accept"),
    path("aanmeldingen/<int:pk>/afwijzen/", views.request_decline, name="request_decline"),
    path(
        "aanmeldingen/<int:pk>/terugzetten/",
        views.request_undo_decline,
        name="request_undo_decline",
    ),
    path("groep/<slug:slug>/", views.manage, name="manage"),
    path("groep/<slug:slug>/gegevens/", views.edit, name="edit"),
    path("groep/<slug:slug>/postcodes/", views.coverage, name="coverage"),
    path("groep/<slug:slug>/postcodes/verwijderen/", views.coverage_remove, name="coverage_remove"),
    path("groep/<slug:slug>/aanmeldingen/", views.requests, name="requests"),
    path("groep/<slug:slug>/beheerders/", views.admins, name="admins"),
    path("groep/<slug:slug>/beheerders/stoppen/", views.step_down, name="step_down"),
    path(
        "groep/<slug:slug>/beheerders/<int:pk>/verwijderen/",
        views.admin_remove,
        name="admin_remove",
    ),
    path(
        "groep/<slug:slug>/uitnodigingen/<int:pk>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("groep/<slug:slug>/status/", views.status, name="status"),
    path("groep/<slug:slug>/buren/", views.neighbours, name="neighbours"),
    path("groep/<slug:slug>/buren/<slug:neighbour_slug>/", views.relay, name="relay"),
]
