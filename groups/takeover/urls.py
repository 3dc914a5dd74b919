"""Claiming a group taken over from the old register (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.takeover import views

urlpatterns = [
    path("groep-bevestigen/<str:token>/", views.claim, name="claim"),
]
