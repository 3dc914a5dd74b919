"""The national figures page (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.figures import views

urlpatterns = [
    path("cijfers/", views.figures, name="figures"),
]
