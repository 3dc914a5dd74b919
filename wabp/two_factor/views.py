"""The second-factor pages: the code step, the recovery-code step, set-up, and the overview.

The code steps are part of logging in (/account/inloggen/code/); set-up and the overview
belong to "my account" (/account/tweestapsverificatie/).
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from wabp.ratelimit import client_ip, is_limited, too_many_requests
from wabp.two_factor.devices import (
    app_device,
    confirm_app_device,
    has_second_factor,
    new_recovery_codes,
    qr_code,
    recovery_codes_left,
    remove_second_factor,
    secret_text,
    unsaved_app_device,
    verify,
    wait_seconds,
)
from wabp.two_factor.forms import AppCodeForm, RecoveryCodeForm
from wabp.two_factor.middleware import SECOND_FACTOR_DUE, second_factor_url

# Codes tried per hour (code step, recovery-code step and set-up together), per account
# and per client IP address. django-axes' lockout resets when the password is entered
# again; these counts do not.
CODE_TRIES_PER_USER = 10
CODE_TRIES_PER_IP = 100
# Session key: the key of the app being set up, until its first code is in.
PENDING_KEY = "wabp_two_factor_pending_key"
# Recovery codes left at which the user is told to make new ones.
FEW_RECOVERY_CODES = 3


def _next_url(request: HttpRequest) -> str:
    """Where to go once the code is in: `next` if it is on this site, else the dashboard."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _over_limit(request: HttpRequest) -> bool:
    """Count a code attempt; True if this account or address tried too many this hour."""
    return is_limited(
        "two-factor:user", str(request.user.pk), limit=CODE_TRIES_PER_USER, window=3600
    ) or is_limited("two-factor:ip", client_ip(request), limit=CODE_TRIES_PER_IP, window=3600)


def _wait_error(seconds: int) -> str:
    return ngettext(
        "U heeft te vaak een verkeerde code ingevuld. Probeer het over %(seconds)d seconde "
        "opnieuw.",
        "U heeft te vaak een verkeerde code ingevuld. Probeer het over %(seconds)d seconden "
        "opnieuw.",
        seconds,
    ) % {"seconds": seconds}


def _locked_out(request: HttpRequest, credentials: dict) -> HttpResponse:
    """django-axes locked this account out from here: end the half-finished login."""
    logout(request)
    return get_lockout_response(request, None, credentials)


def _code_step(request: HttpRequest, form_class, device_class, template: str, *, done=None):
    """The second step of logging in, with a code from the app or a recovery code.

    `done(request)`, if given, runs once the session is verified.
    """
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not has_second_factor(user):
        return redirect(second_factor_url(user, next_url))
    # django-axes keys failures on the user name and address, as at the password step.
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request, credentials)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _over_limit(request):
            return too_many_requests(request)
        devices = device_class.objects.devices_for_user(user, confirmed=True)
        if seconds := wait_seconds(devices):
            form.add_error("otp_token", _wait_error(seconds))
        elif device := verify(user, form.cleaned_data["otp_token"], device_class):
            otp_login(request, device)
            # A new session key for the verified session, as Django gives one at login.
            request.session.cycle_key()
            if done is not None:
                done(request)
            return redirect(next_url)
        else:
            form.add_error("otp_token", _("Deze code klopt niet. Probeer het opnieuw."))
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return _locked_out(request, credentials)
    return render(request, template, {"form": form, "next": next_url})


@never_cache
@login_required
@sensitive_post_parameters("otp_token")
def verify_code(request: HttpRequest) -> HttpResponse:
    """Log in, step two: the code from the authenticator app."""
    return _code_step(request, AppCodeForm, TOTPDevice, "wabp/two_factor/verify.html")


def _tell_recovery_codes_left(request: HttpRequest) -> None:
    left = recovery_codes_left(request.user)
    message = ngettext(
        "U bent ingelogd met een herstelcode. U heeft nog %(left)d herstelcode over.",
        "U bent ingelogd met een herstelcode. U heeft nog %(left)d herstelcodes over.",
        left,
    ) % {"left": left}
    if left <= FEW_RECOVERY_CODES:
        message += " " + _("Maak nieuwe herstelcodes bij Tweestapsverificatie in Mijn account.")
    messages.warning(request, message)


@never_cache
@login_required
@sensitive_post_parameters("otp_token")
def verify_recovery_code(request: HttpRequest) -> HttpResponse:
    """Log in, step two, without the phone: one of the recovery codes, which is then used up."""
    return _code_step(
        request,
        RecoveryCodeForm,
        StaticDevice,
        "wabp/two_factor/recovery.html",
        done=_tell_recovery_codes_left,
    )


def _show_recovery_codes(request, codes: list[str], next_url: str, *, first: bool):
    """The new codes, in the answer to the POST that made them: they are never shown again."""
    return render(
        request,
        "wabp/two_factor/recovery_codes.html",
        {"codes": codes, "next": next_url, "first": first},
    )


@never_cache
@login_required
@sensitive_post_parameters("otp_token")
def setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan, confirm with a first code, get recovery codes."""
    user = request.user
    next_url = _next_url(request)
    if has_second_factor(user) and not user.is_verified():
        # Replacing an app takes a code from it first: a password alone must not do that.
        return redirect(second_factor_url(user, next_url))
    # The new key waits in the session until the first code, so a reload keeps it.
    device = unsaved_app_device(user, request.session.get(PENDING_KEY))
    request.session[PENDING_KEY] = device.key
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _over_limit(request):
            return too_many_requests(request)
        if confirm_app_device(device, form.cleaned_data["otp_token"]):
            del request.session[PENDING_KEY]
            codes = new_recovery_codes(user)
            otp_login(request, device)
            request.session.cycle_key()
            request.session[SECOND_FACTOR_DUE] = True
            return _show_recovery_codes(request, codes, next_url, first=True)
        form.add_error(
            "otp_token",
            _("Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat."),
        )
    return render(
        request,
        "wabp/two_factor/setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": qr_code(device),
            "secret": secret_text(device),
            "required": user.needs_second_factor,
            "replacing": has_second_factor(user),
        },
    )


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Two-factor login on "my account": on or off, recovery codes left, what you can do."""
    user = request.user
    device = app_device(user)
    return render(
        request,
        "wabp/two_factor/overview.html",
        {
            "device": device,
            "required": user.needs_second_factor,
            "codes_left": recovery_codes_left(user) if device else 0,
        },
    )


@never_cache
@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes in place of the old ones, shown once."""
    user = request.user
    if not has_second_factor(user):
        return redirect("two_factor")
    if not user.is_verified():
        return redirect(second_factor_url(user, reverse("two_factor")))
    return _show_recovery_codes(
        request, new_recovery_codes(user), reverse("two_factor"), first=False
    )


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Switch two-factor login off; not for the board and municipality staff."""
    user = request.user
    if user.needs_second_factor:
        raise PermissionDenied
    if has_second_factor(user) and not user.is_verified():
        return redirect(second_factor_url(user, reverse("two_factor")))
    remove_second_factor(user)
    request.session[SECOND_FACTOR_DUE] = False
    messages.success(request, _("Tweestapsverificatie staat nu uit."))
    return redirect("two_factor")
