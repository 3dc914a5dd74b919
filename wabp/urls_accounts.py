"""Login, logout, password reset, account creation and "my account" (Dutch templates)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.cache import never_cache

from wabp import views

urlpatterns = [
    path("", views.account, name="account"),
    path("", include("wabp.urls_privacy")),
    path("", include("wabp.two_factor.urls")),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("aanmaken/", views.signup, name="signup"),
    path("aanmaken/verzonden/", views.signup_done, name="signup_done"),
    path("activeren/<uidb64>/<token>/", views.activate, name="activate"),
    path("e-mailadres-bevestigen/<uidb64>/<token>/", views.confirm_email, name="confirm_email"),
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
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "wachtwoord-wijzigen/",
        never_cache(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "wachtwoord-wijzigen/klaar/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
