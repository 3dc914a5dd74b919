"""The map, municipality pages, figures, waiting list and sign requests (mounted at the root)."""

from django.urls import path

from groups import views_map, views_municipality

urlpatterns = [
    path("kaart/", views_map.map_page, name="map"),
    path("kaart/groepen.geojson", views_map.map_geojson, name="map_geojson"),
    path("kaart/gebied.json", views_map.map_area, name="map_area"),
    path("kaart/embed/", views_map.map_embed, name="map_embed"),
    path("gemeenten/", views_municipality.municipality_list, name="municipalities"),
    path("gemeenten/<slug:slug>/", views_municipality.municipality_detail, name="municipality"),
    path(
        "gemeenten/<slug:slug>/export.csv",
        views_municipality.municipality_export,
        name="municipality_export",
    ),
    path(
        "gemeenten/<slug:slug>/contact/<slug:group_slug>/",
        views_municipality.municipality_relay,
        name="municipality_relay",
    ),
    path(
        "gemeenten/<slug:slug>/borden/",
        views_municipality.municipality_signs,
        name="municipality_signs",
    ),
    path(
        "gemeenten/<slug:slug>/borden/<int:pk>/",
        views_municipality.municipality_sign_decide,
        name="municipality_sign_decide",
    ),
    path("borden/aanvragen/<slug:slug>/", views_municipality.sign_request, name="sign_request"),
    path("cijfers/", views_municipality.figures, name="figures"),
    path("wachtlijst/", views_map.waitinglist_join, name="waitinglist_join"),
    path("wachtlijst/verstuurd/", views_map.waitinglist_sent, name="waitinglist_sent"),
    path(
        "wachtlijst/bevestigen/<slug:token>/",
        views_map.waitinglist_confirm,
        name="waitinglist_confirm",
    ),
    path(
        "wachtlijst/afmelden/<slug:token>/",
        views_map.waitinglist_delete,
        name="waitinglist_delete",
    ),
]
