"""A resident's join request (mounted at the site root, namespace `groups`)."""

from django.urls import path

from groups.join import views

urlpatterns = [
    path("groepen/<slug:slug>/aanmelden/", views.join, name="join"),
    path("groepen/<slug:slug>/aanmelden/verzonden/", views.join_sent, name="join_sent"),
    path("aanmelding/<slug:token>/", views.join_status, name="join_status"),
    path("aanmelding/<slug:token>/bevestigen/", views.join_confirm, name="join_confirm"),
]
