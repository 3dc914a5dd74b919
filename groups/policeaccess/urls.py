"""Police access requests (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.policeaccess import views

urlpatterns = [
    path("politie/toegang-aanvragen/", views.police_request, name="police_request"),
    path(
        "politie/toegang-aanvragen/verstuurd/",
        views.police_request_sent,
        name="police_request_sent",
    ),
    path(
        "politie/toegang-bevestigen/<str:token>/",
        views.police_request_verify,
        name="police_request_verify",
    ),
]
