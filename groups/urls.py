from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("zoeken/", views.search, name="search"),
]
