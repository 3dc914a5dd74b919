from django.urls import include, path

from groups import views

app_name = "groups"

urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("beheer/", include("groups.urls_beheer")),
    path("", include("groups.urls_join")),
    path("", include("groups.urls_map")),
]
