"""The report helper (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.reporting import views

urlpatterns = [
    path("melden/", views.report_helper, name="report_helper"),
]
