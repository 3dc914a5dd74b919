"""Home, search and the public group page (mounted at the site root, namespace `groups`)."""

from django.urls import path

from groups.search import views

urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("groepen/<slug:slug>/", views.group_detail, name="detail"),
]
