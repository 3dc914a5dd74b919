"""The monthly test (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.monthlytest import views

urlpatterns = [
    path("beheer/groep/<slug:slug>/testbericht/", views.settings, name="monthly_test"),
    path("beheer/testbericht/<str:token>/", views.confirm, name="monthly_test_confirm"),
    path("beheer/testbericht-stoppen/<str:token>/", views.stop, name="monthly_test_stop"),
    path(
        "beheer/testbericht-stoppen/<str:token>/direct/",
        views.stop_one_click,
        name="monthly_test_stop_one_click",
    ),
]
