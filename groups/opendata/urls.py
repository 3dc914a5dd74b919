"""Open data API v1 and its documentation (mounted at the root, namespace `groups`).

v1 is stable: fields are only ever added. A change that renames or removes one gets /api/v2/,
and v1 keeps answering alongside it.
"""

from django.urls import path

from groups.opendata import views

urlpatterns = [
    path("open-data/", views.opendata_page, name="opendata"),
    path("api/v1/groepen.geojson", views.groups_geojson, name="opendata_groups_geojson"),
    path("api/v1/groepen.csv", views.groups_csv, name="opendata_groups_csv"),
    path("api/v1/gemeenten.json", views.municipalities_json, name="opendata_municipalities_json"),
    path("api/v1/gemeenten.csv", views.municipalities_csv, name="opendata_municipalities_csv"),
]
