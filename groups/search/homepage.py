"""The site root: the home page, outside the `groups` namespace (its URL name is `home`)."""

from django.urls import path

from groups.search import views

urlpatterns = [
    path("", views.home, name="home"),
]
