"""Free registration of a group (mounted at the site root, namespace `groups`)."""

from django.urls import path

from groups.registration import views

urlpatterns = [
    path("groep-registreren/", views.register, name="register"),
    path("groep-registreren/verzonden/", views.register_sent, name="register_sent"),
    path(
        "groep-registreren/bevestigen/<str:token>/",
        views.register_confirm,
        name="register_confirm",
    ),
]
