"""Municipality staff onboarding (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.staffaccess import views

urlpatterns = [
    path("gemeente-medewerkers/aanvragen/", views.staff_request, name="staff_request"),
    path(
        "gemeente-medewerkers/aanvragen/verstuurd/",
        views.staff_request_sent,
        name="staff_request_sent",
    ),
    path(
        "gemeente-medewerkers/bevestigen/<str:token>/",
        views.staff_request_verify,
        name="staff_request_verify",
    ),
]
