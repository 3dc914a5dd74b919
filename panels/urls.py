from django.urls import path

from panels import views

app_name = "panels"

urlpatterns = [
    path("", views.index, name="index"),
    path("aanmelden/", views.volunteer, name="volunteer"),
    path("uitnodiging/<str:token>/", views.accept_invitation, name="invitation"),
    path("ronde/<slug:slug>/", views.round_detail, name="round"),
    path("ronde/<slug:slug>/wijzigen/", views.round_edit, name="round_edit"),
    path("ronde/<slug:slug>/bijlage/", views.attachment, name="attachment"),
    path("resultaten/<slug:slug>/", views.results, name="results"),
    path("resultaten/<slug:slug>/antwoorden.csv", views.results_csv, name="results_csv"),
    path("<slug:slug>/verlaten/", views.leave, name="leave"),
]
