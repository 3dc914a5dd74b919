from django.urls import include, path

from groups import views

app_name = "groups"

urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("groep-registreren/", views.register, name="register"),
    path("groep-registreren/verzonden/", views.register_sent, name="register_sent"),
    path(
        "groep-registreren/bevestigen/<str:token>/",
        views.register_confirm,
        name="register_confirm",
    ),
    path("groepen/<slug:slug>/", views.group_detail, name="detail"),
    path("beheer/", include("groups.urls_beheer")),
    path("", include("groups.urls_join")),
    path("", include("groups.urls_map")),
    path("", include("groups.urls_broadcast")),
]
