"""Site pages, health check, error pages and accounts."""

import sys
from collections.abc import Callable
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from wabp.forms import (
    MAILS_PER_ADDRESS_PER_HOUR,
    PRIVACY_VERSION,
    AccountForm,
    LoginForm,
    QueuedPasswordResetForm,
    SignupForm,
)
from wabp.mail import queue_mail
from wabp.models import Consent, Page, User
from wabp.ratelimit import is_limited, rate_limit

# Seconds a client should wait before trying again while the database is away.
RETRY_AFTER = 30


def page(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(request, "wabp/page.html", {"page": page})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (OperationalError, InterfaceError):
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page, or the 503 page with Retry-After when the database is unreachable.

    Django calls this from inside its exception handler, for an error in any view
    or middleware, so sys.exception() is the error being handled. Neither page
    touches the database.
    """
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)


# Accounts ---------------------------------------------------------------------------------

# POSTs per client IP address per hour on the public account forms.
SIGNUP_LIMIT = 10
PASSWORD_RESET_LIMIT = 10
# Login POSTs per IP per hour, over all user names (django-axes counts per user name and IP).
LOGIN_LIMIT = 100


@method_decorator(rate_limit("login", limit=LOGIN_LIMIT, window=3600), name="dispatch")
class LoginView(auth_views.LoginView):
    """Log in with e-mail and password; django-axes locks a user name per IP after failures."""

    form_class = LoginForm
    redirect_authenticated_user = True


@method_decorator(sensitive_post_parameters(), name="dispatch")
@method_decorator(rate_limit("password-reset", limit=PASSWORD_RESET_LIMIT), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Same answer for known and unknown addresses; the mail is sent by the worker."""

    form_class = QueuedPasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the mailed link; this also lifts a login lockout."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's mail may log in again at once, instead
        # of waiting out django-axes' cool-off.
        axes_reset(username=form.user.email)
        return response


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password reset token, but not interchangeable with it.

    The hash covers last_login, so the link stops working once the account is
    activated and logged in.
    """

    key_salt = "wabp.views.ActivationTokenGenerator"


activation_token = ActivationTokenGenerator()


def _send_activation(user: User) -> None:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.SITE_URL + reverse(
        "activate", kwargs={"uidb64": uidb64, "token": activation_token.make_token(user)}
    )
    queue_mail(
        to=user.email,
        template="wabp/mail/activate",
        context={"first_name": user.first_name, "link": link},
        kind="activate",
        language=get_language() or "nl",
    )


def _send_existing_account(user: User) -> None:
    queue_mail(
        to=user.email,
        template="wabp/mail/existing_account",
        context={
            "first_name": user.first_name,
            "login_link": settings.SITE_URL + reverse("login"),
            "reset_link": settings.SITE_URL + reverse("password_reset"),
        },
        kind="existing_account",
        language=get_language() or "nl",
    )


def _mail_about_existing(user: User) -> None:
    """Someone signed up with an address that already has an account."""
    if is_limited("mail:account", user.email, limit=MAILS_PER_ADDRESS_PER_HOUR, window=3600):
        return
    if user.never_activated:
        # Signed up before but never activated: send the activation link again.
        _send_activation(user)
    else:
        _send_existing_account(user)


@sensitive_post_parameters("password1", "password2", "email", "first_name", "last_name")
@rate_limit("signup", limit=SIGNUP_LIMIT)
def signup(request: HttpRequest) -> HttpResponse:
    """Create an inactive account and mail an activation link.

    An address that already has an account gets a mail saying so instead, and
    the visitor sees the same "check your e-mail" page either way: the form
    never tells anyone which addresses are registered.
    """
    if request.user.is_authenticated:
        return redirect("account")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = User.objects.filter(email__iexact=data["email"]).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        email=data["email"],
                        password=data["password1"],
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        is_active=False,
                    )
                    Consent.objects.create(
                        user=user, document=Consent.Document.PRIVACY, version=PRIVACY_VERSION
                    )
                    _send_activation(user)
            except IntegrityError:
                # The same address signed up at the same moment in another request.
                existing = User.objects.get(email__iexact=data["email"])
        if existing is not None:
            # Hash the password anyway so both paths take about as long.
            make_password(data["password1"])
            _mail_about_existing(existing)
        return redirect("signup_done")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "privacy_url": reverse("page", kwargs={"slug": "privacy"})},
    )


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_done.html")


def _user_from_uidb64(uidb64: str) -> User | None:
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return get_user_model()._default_manager.get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@never_cache
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Confirm the address with one button, then activate and log in.

    Activation happens on POST, not on opening the link, so a mail filter that
    opens links to scan them does not use up the one-time link.
    """
    user = _user_from_uidb64(uidb64)
    # An account activated before and now inactive was deactivated by the board: no link
    # undoes that.
    if user is None or not user.never_activated or not activation_token.check_token(user, token):
        return render(request, "registration/activate.html", {"valid": False})
    if request.method == "POST":
        user.is_active = True
        user.save(update_fields=["is_active"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Uw account is geactiveerd. Welkom!"))
        return redirect("account")
    return render(request, "registration/activate.html", {"valid": True, "account": user})


@dataclass(frozen=True)
class AccountSection:
    """A block on "my account" that another app adds (e.g. my groups, my certificate).

    `context(request)` returns the template's context, or None to leave the
    section out for this user.
    """

    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


ACCOUNT_SECTIONS: list[AccountSection] = []


def register_account_section(
    template: str, context: Callable[[HttpRequest], dict | None], order: int = 100
) -> None:
    """Add a section to "my account"; call from an app's AppConfig.ready()."""
    section = AccountSection(template, context, order)
    if section not in ACCOUNT_SECTIONS:
        ACCOUNT_SECTIONS.append(section)
        ACCOUNT_SECTIONS.sort(key=lambda s: s.order)


def _account_sections(request: HttpRequest) -> list[tuple[str, dict]]:
    sections = []
    for section in ACCOUNT_SECTIONS:
        context = section.context(request)
        if context is not None:
            sections.append((section.template, context))
    return sections


@never_cache
@login_required
@sensitive_post_parameters("current_password", "email", "phone", "first_name", "last_name")
def account(request: HttpRequest) -> HttpResponse:
    """My account: name, e-mail and phone, and what other apps add."""
    user = request.user
    form = AccountForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        old_email, email_changed = form.original_email, form.email_changed
        with transaction.atomic():
            form.save()
            if email_changed:
                # Tell the old address, so a takeover does not go unnoticed.
                queue_mail(
                    to=old_email,
                    template="wabp/mail/email_changed",
                    context={"first_name": user.first_name},
                    kind="email_changed",
                    language=get_language() or "nl",
                )
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
        return redirect("account")
    return render(
        request,
        "wabp/account.html",
        {"form": form, "sections": _account_sections(request)},
    )
