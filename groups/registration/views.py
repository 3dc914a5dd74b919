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
    registration_for_token,
)
from wabp.ratelimit import rate_limit

# Registration POSTs per client IP address per hour.
REGISTER_LIMIT = 10


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
@rate_limit("group-register", limit=REGISTER_LIMIT)
def register(request: HttpRequest) -> HttpResponse:
    """Free registration of a group and its first admin, confirmed by e-mail.

    On the first valid POST, overlapping groups and ignored coverage are shown as a
    warning with a "register anyway" checkbox; nothing typed is lost.
    """
    initial = {}
    if request.method == "GET" and request.GET.get("postcode"):
        initial["postcode"] = request.GET["postcode"][:20]
    form = GroupRegistrationForm(request.POST or None, request=request, initial=initial)
    overlapping, ignored, to_board, covered_count = [], [], [], 0
    if request.method == "POST" and form.is_valid():
        overlapping, ignored, to_board, covered_count = _warnings(form)
        if form.cleaned_data["confirm_overlap"] or not (overlapping or ignored or to_board):
            register_group(
                form.cleaned_data,
                area=form.area,
                coverage=form.coverage_parse.postcodes,
                existing_user=form.existing_user,
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
def register_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation mail. GET asks (mail scanners open links); POST confirms."""
    if request.method == "POST":
        group = confirm_registration(token)
    else:
        group = registration_for_token(token)
    if group is None:
        return render(request, "groups/registration/confirm_failed.html", status=400)
    if request.method == "POST":
        return render(request, "groups/registration/confirmed.html", {"group": group})
    return render(request, "groups/registration/confirm.html", {"group": group})
