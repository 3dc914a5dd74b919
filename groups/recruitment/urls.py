"""The recruitment kit, under /beheer/ (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.recruitment import views

urlpatterns = [
    path("beheer/groep/<slug:slug>/werven/", views.kit, name="recruitment_kit"),
    path(
        "beheer/groep/<slug:slug>/werven/<slug:material>/",
        views.material,
        name="recruitment_material",
    ),
]
