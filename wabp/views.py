"""Site pages, health check, error pages and accounts."""

import sys
from datetime import UTC, datetime, timedelta

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from wabp import registry
from wabp.forms import (
    MAILS_PER_ADDRESS_PER_HOUR,
    AccountForm,
    ActivationForm,
    LoginForm,
    QueuedPasswordResetForm,
    SignupForm,
)
from wabp.mail import (
    send_activation,
    send_email_change_confirmation,
    send_email_changed,
    send_existing_account,
)
from wabp.models import Consent, Page, User
from wabp.pagecache import public_page
from wabp.ratelimit import is_limited, rate_limit
from wabp.signed import (
    EMAIL_CHANGE_MAX_AGE,
    SIGNUP_EMAIL,
    activation_token,
    email_change_token,
    user_from_uidb64,
)

# Seconds a client should wait before trying again while the database is away.
RETRY_AFTER = 30


def page_version(request: HttpRequest, slug: str) -> tuple[str, datetime]:
    """A content page changes only when it is edited or loaded again (one query)."""
    updated_at = Page.objects.published().filter(slug=slug).values_list("updated_at", flat=True)
    changed_at = updated_at.first() or datetime(2020, 1, 1, tzinfo=UTC)
    return f"{slug}:{changed_at.isoformat()}", changed_at


@public_page(version=page_version)
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
    """404 in the site's layout. An app's Http404 may name a template that explains why
    (`explanation_template`, rendered with the exception as `missing`, and a `title`), as
    for a 403."""
    return render(
        request,
        "404.html",
        {
            "explanation_template": getattr(exception, "explanation_template", ""),
            "missing": exception,
        },
        status=404,
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 in the site's layout. An app's PermissionDenied may name a template that explains
    what to do (`explanation_template`, rendered with the exception as `denied`)."""
    return render(
        request,
        "403.html",
        {
            "explanation_template": getattr(exception, "explanation_template", ""),
            "denied": exception,
        },
        status=403,
    )


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
# Password tries on activation links per client IP address per hour.
ACTIVATE_LIMIT = 10
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
        user = form.user
        if user.never_activated:
            # The link proved the mailbox and its reader chose the password: that is the
            # activation (and ends whatever a sign-up by someone else had set).
            user.is_active = True
            user.save(update_fields=["is_active"])
        # Whoever can read the account's mail may log in again at once, instead
        # of waiting out django-axes' cool-off.
        axes_reset(username=user.email)
        return response


def _mail_about_existing(user: User) -> None:
    """Someone signed up with an address that already has an account."""
    if is_limited("mail:account", user.email, limit=MAILS_PER_ADDRESS_PER_HOUR, window=3600):
        return
    send_existing_account(user)


@sensitive_variables("data")
def _create_account(data: dict) -> None:
    """A new account, or a never-activated one taken over (User.objects.create_account):
    the latest sign-up's password and names count, and only its activation link works."""
    if is_limited("mail:account", data["email"], limit=MAILS_PER_ADDRESS_PER_HOUR, window=3600):
        # No mail, so no change either: a flood of sign-ups must not keep replacing the
        # password behind the link the mailbox owner already has.
        make_password(data["password1"])
        return
    try:
        with transaction.atomic():
            user = User.objects.create_account(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                agreed_to=[Consent.Document.PRIVACY],
            )
            send_activation(user)
    except IntegrityError:
        # The same address signed up at the same moment in another request.
        pass


# Where the activation link leads once used: the page that sent the visitor to sign up.
AFTER_ACTIVATION = "after_activation"
# How long an invitation's signed address fills in the sign-up form.
SIGNUP_EMAIL_MAX_AGE = timedelta(days=30)


def _safe_next(request: HttpRequest, value: str | None) -> str:
    """`value` if it is a path on this site, else ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


@sensitive_post_parameters("password1", "password2", "email", "first_name", "last_name")
@rate_limit("signup", limit=SIGNUP_LIMIT)
def signup(request: HttpRequest) -> HttpResponse:
    """Create an inactive account and mail an activation link.

    An address that already has an account gets a mail saying so instead, and
    the visitor sees the same "check your e-mail" page either way: the form
    never tells anyone which addresses are registered.
    """
    next_path = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_path or "account")
    invited = SIGNUP_EMAIL.read(request.GET.get("adres", ""), max_age=SIGNUP_EMAIL_MAX_AGE)
    form = SignupForm(request.POST or None, initial={"email": invited} if invited else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if next_path:
            # Activation happens in this browser as a rule: it then leads back here.
            request.session[AFTER_ACTIVATION] = next_path
        existing = User.objects.filter(email__iexact=data["email"]).first()
        if existing is None or existing.never_activated:
            _create_account(data)
        else:
            # Hash the password anyway so both paths take about as long.
            make_password(data["password1"])
            _mail_about_existing(existing)
        return redirect("signup_done")
    return render(
        request,
        "registration/signup.html",
        {
            "form": form,
            "privacy_url": reverse("page", kwargs={"slug": "privacy"}),
            "next": next_path,
        },
    )


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_done.html")


@never_cache
@sensitive_post_parameters("password")
@rate_limit("activate", limit=ACTIVATE_LIMIT)
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Confirm the address and the password chosen at sign-up, then activate and log in.

    Activation happens on POST, not on opening the link, so a mail filter that
    opens links to scan them does not use up the one-time link. The password is
    asked so that only someone who both reads the mailbox and chose the password
    activates: the mailbox owner never ends up with a password somebody else set.
    """
    user = user_from_uidb64(uidb64)
    # An account activated before and now inactive was deactivated by the board: no link
    # undoes that.
    if user is None or not user.never_activated or not activation_token.check_token(user, token):
        return render(request, "registration/activate.html", {"valid": False})
    form = ActivationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user.is_active = True
        user.save(update_fields=["is_active"])
        next_path = _safe_next(request, request.session.pop(AFTER_ACTIVATION, ""))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Uw account is geactiveerd. Welkom!"))
        return redirect(next_path or "account")
    return render(
        request, "registration/activate.html", {"valid": True, "account": user, "form": form}
    )


# Address changes a user may ask for per EMAIL_CHANGE_WINDOW (each mails a new address).
EMAIL_CHANGES_PER_USER = 1
EMAIL_CHANGE_WINDOW = 600


def _email_change_limited(user: User, new_email: str) -> bool:
    """Count a change request per user and per new address; True when either is over."""
    return is_limited(
        "email-change:user", str(user.pk), limit=EMAIL_CHANGES_PER_USER, window=EMAIL_CHANGE_WINDOW
    ) or is_limited("mail:account", new_email, limit=MAILS_PER_ADDRESS_PER_HOUR, window=3600)


@never_cache
@login_required
@sensitive_post_parameters("current_password", "email", "phone", "first_name", "last_name")
def account(request: HttpRequest) -> HttpResponse:
    """My account: name, e-mail and phone, and what other apps add.

    A new e-mail address only counts once the link mailed to it is followed
    (confirm_email); the current address hears of the request at once.
    """
    user = request.user
    form = AccountForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        new_email = form.requested_email
        if new_email is not None and _email_change_limited(user, new_email):
            form.add_error(
                "email",
                _(
                    "U heeft zojuist al gevraagd uw e-mailadres te wijzigen. "
                    "Probeer het over tien minuten opnieuw."
                ),
            )
        else:
            with transaction.atomic():
                form.save()
                if new_email is not None:
                    user.request_email_change(new_email)
                    send_email_change_confirmation(user)
                    # Tell the current address, so a takeover does not go unnoticed.
                    send_email_changed(user, form.original_email)
            if new_email is not None:
                messages.success(
                    request,
                    _(
                        "Uw gegevens zijn opgeslagen. We hebben een link naar uw nieuwe "
                        "e-mailadres gestuurd; pas als u die volgt, gaat de wijziging in."
                    ),
                )
            else:
                messages.success(request, _("Uw gegevens zijn opgeslagen."))
            return redirect("account")
    return render(
        request,
        "wabp/account.html",
        {"form": form, "sections": registry.sections(registry.ACCOUNT_SECTIONS, request)},
    )


@never_cache
@login_required
def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link mailed to a new address: GET asks (mail scanners open links), POST confirms.

    Only while logged in as the account the link was made for: whoever reads the new
    mailbox must not confirm someone else's request to take that address (and with it
    the data found by it).
    """
    user = user_from_uidb64(uidb64)
    valid = (
        user is not None
        and user.pk == request.user.pk
        and user.email_change_is_open(EMAIL_CHANGE_MAX_AGE)
        and email_change_token.check_token(user, token)
    )
    if not valid:
        return render(request, "wabp/confirm_email.html", {"valid": False})
    if request.method == "POST":
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            confirmed = user.confirm_email_change()
        if not confirmed:
            return render(request, "wabp/confirm_email.html", {"valid": True, "taken": True})
        messages.success(request, _("Uw nieuwe e-mailadres is bevestigd en nu in gebruik."))
        return redirect("account")
    return render(
        request, "wabp/confirm_email.html", {"valid": True, "pending_email": user.pending_email}
    )
