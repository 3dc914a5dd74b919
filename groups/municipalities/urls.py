"""Municipality pages, staff tools and street-sign requests (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.municipalities import views
from groups.municipalities.redirects import follows_former_municipalities as former

urlpatterns = [
    path("gemeenten/", views.municipality_list, name="municipalities"),
    path("gemeenten/<slug:slug>/", former(views.municipality_detail), name="municipality"),
    path(
        "gemeenten/<slug:slug>/export.csv",
        former(views.municipality_export),
        name="municipality_export",
    ),
    path(
        "gemeenten/<slug:slug>/contact/<slug:group_slug>/",
        former(views.municipality_relay),
        name="municipality_relay",
    ),
    path(
        "gemeenten/<slug:slug>/borden/", former(views.municipality_signs), name="municipality_signs"
    ),
    path(
        "gemeenten/<slug:slug>/borden/<int:pk>/",
        former(views.municipality_sign_decide),
        name="municipality_sign_decide",
    ),
    path("borden/aanvragen/<slug:slug>/", views.sign_request, name="sign_request"),
]
