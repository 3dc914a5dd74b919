"""Splitting a group, under /beheer/ (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.split import views

urlpatterns = [
    path("beheer/groep/<slug:slug>/splitsen/", views.split, name="split"),
]
