"""Login, logout, password reset and account creation (Django's auth views, Dutch templates)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from wabp import views

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("aanmaken/", views.signup, name="signup"),
    path(
        "wachtwoord-vergeten/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verzonden/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "wachtwoord-wijzigen/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "wachtwoord-wijzigen/klaar/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
