"""A resident's join request (mounted at the site root, namespace `groups`)."""

from django.urls import path

from groups import views_join

urlpatterns = [
    path("groepen/<slug:slug>/aanmelden/", views_join.join, name="join"),
    path("groepen/<slug:slug>/aanmelden/verzonden/", views_join.join_sent, name="join_sent"),
    path("aanmelding/<slug:token>/", views_join.join_status, name="join_status"),
    path("aanmelding/<slug:token>/bevestigen/", views_join.join_confirm, name="join_confirm"),
]
