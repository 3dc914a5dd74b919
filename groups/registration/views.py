"""Free registration of a group and its first admin, confirmed by e-mail."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from groups.coverage import coverage_for_the_board
from groups.registration.forms import GroupRegistrationForm
from groups.registration.services import (
    confirm_registration,
    register_group,
    registration_account,
    registration_for_token,
)
from wabp.forms import ActivationForm
from wabp.ratelimit import client_ip, is_limited, rate_limit, too_many_requests

# Every POST of the form per client IP address per hour: typos and the overlap step included.
REGISTER_POSTS_PER_IP = 100
# Registrations submitted per client IP address per hour: one office or information evening
# behind one address registers 10-20 groups.
REGISTRATIONS_PER_IP = 20
# Registrations submitted per e-mail address per day; each one mails that address.
REGISTRATIONS_PER_ADDRESS = 5


def _over_registration_limits(request: HttpRequest, email: str) -> bool:
    """Count one submitted registration for the client and for the address (whether or not
    it has an account, so the answer tells nothing); True when one is over its limit."""
    return is_limited(
        "group-register:ip", client_ip(request), limit=REGISTRATIONS_PER_IP, window=3600
    ) or is_limited(
        "group-register:address", email, limit=REGISTRATIONS_PER_ADDRESS, window=24 * 3600
    )


def _warnings(form: GroupRegistrationForm) -> tuple[list, list, list, int]:
    """Overlapping groups, ignored input, coverage for the board, and how many postcodes the
    group will cover at once."""
    overlapping = [(group, group.get_join_url()) for group in form.overlapping_groups()]
    plan = form.coverage_plan()
    return (
        overlapping,
        form.coverage_parse.ignored,
        coverage_for_the_board(plan),
        len(plan.accepted),
    )


@never_cache
@sensitive_post_parameters("password1", "password2", "email", "phone", "first_name", "last_name")
@rate_limit("group-register", limit=REGISTER_POSTS_PER_IP)
def register(request: HttpRequest) -> HttpResponse:
    """Free registration of a group and its first admin, confirmed by e-mail.

    On the first valid POST, overlapping groups and ignored coverage are shown as a
    warning with a "register anyway" checkbox; nothing typed is lost. Only the POST that
    registers counts towards the registration limits.
    """
    initial = {}
    if request.method == "GET" and request.GET.get("postcode"):
        initial["postcode"] = request.GET["postcode"][:20]
    form = GroupRegistrationForm(request.POST or None, initial=initial)
    overlapping, ignored, to_board, covered_count = [], [], [], 0
    if request.method == "POST" and form.is_valid():
        overlapping, ignored, to_board, covered_count = _warnings(form)
        if form.cleaned_data["confirm_overlap"] or not (overlapping or ignored or to_board):
            if _over_registration_limits(request, form.cleaned_data["email"]):
                return too_many_requests(request)
            register_group(
                form.cleaned_data,
                area=form.area,
                coverage=form.coverage_parse.postcodes,
            )
            return redirect("groups:register_sent")
        # Keep the passwords in the form for the second submit.
        for name in ("password1", "password2"):
            form.fields[name].widget.render_value = True
    return render(
        request,
        "groups/registration/form.html",
        {
            "form": form,
            "overlapping": overlapping,
            "ignored": ignored,
            "to_board": to_board,
            "show_confirm": bool(overlapping or ignored or to_board),
            "covered_count": covered_count,
        },
    )


def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/registration/sent.html")


@never_cache
@sensitive_post_parameters("password")
def register_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation mail. GET asks (mail scanners open links); POST confirms.

    A new account is activated by this link too, so it asks for the password chosen at
    registration, as the activation link does: someone who registered a group with another
    person's address must not get a working account when that person clicks the link.
    """
    group = registration_for_token(token)
    account = registration_account(token) if group is not None else None
    if group is None or account is None or not (account.is_active or account.never_activated):
        # Forged, expired, or for an account the board deactivated: the link must not undo that.
        return render(request, "groups/registration/confirm_failed.html", status=400)
    form = ActivationForm(account, request.POST or None) if account.never_activated else None
    if request.method == "POST" and (form is None or form.is_valid()):
        group = confirm_registration(token)
        if group is None:
            return render(request, "groups/registration/confirm_failed.html", status=400)
        return render(request, "groups/registration/confirmed.html", {"group": group})
    return render(request, "groups/registration/confirm.html", {"group": group, "form": form})
