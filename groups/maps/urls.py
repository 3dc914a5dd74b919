"""The overview map, its data and the embeddable map (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.maps import views

urlpatterns = [
    path("kaart/", views.map_page, name="map"),
    path("kaart/groepen.geojson", views.map_geojson, name="map_geojson"),
    path("kaart/gebied.json", views.map_area, name="map_area"),
    path("kaart/dekking.json", views.map_coverage, name="map_coverage"),
    path("kaart/embed/", views.map_embed, name="map_embed"),
]
