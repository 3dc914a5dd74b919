"""The police workspace (mounted at /politie/, namespace `groups`)."""

from django.urls import path

from groups.police import views

urlpatterns = [
    path("", views.workspace, name="police_workspace"),
    path("groepen/<slug:slug>/bevestigen/", views.confirm, name="police_group_confirm"),
    path("groepen/<slug:slug>/intrekken/", views.unconfirm, name="police_group_unconfirm"),
    path("groepen/<slug:slug>/contact/", views.contact, name="police_group_contact"),
]
