"""A resident asks to join a group, confirms by e-mail and follows the request's status.

No personal data in any URL: the resident's pages are reached through the
request's random token only.
"""

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from groups.join.forms import JoinRequestForm
from groups.mail import send_join_confirmation
from groups.models import Group, JoinRequest, JoinRequestStatus
from groups.tasks import notify_admins_of_join_request
from wabp.models import CONSENT_VERSION
from wabp.ratelimit import is_limited, rate_limit, too_many_requests

# Join requests per e-mail address per hour (any group), on top of the per-IP limit.
REQUESTS_PER_ADDRESS_PER_HOUR = 5


@sensitive_post_parameters("name", "email", "phone", "street", "postcode")
@rate_limit("join:ip", limit=20, window=3600)
def join(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group.objects.active().select_related("area"), slug=slug)
    form = JoinRequestForm(request.POST or None, initial={"via": request.GET.get("via", "")[:10]})
    outside_warning = False
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            # Look exactly like success, so a bot learns nothing.
            return redirect("groups:join_sent", slug=group.slug)
        email = form.cleaned_data["email"]
        if is_limited("join:email", email, limit=REQUESTS_PER_ADDRESS_PER_HOUR, window=3600):
            return too_many_requests(request)
        outside = JoinRequest.is_outside(group, form.cleaned_data["postcode"])
        if outside and not form.cleaned_data["outside_ok"]:
            # Warn once; the resident can change the postcode or send it anyway.
            data = request.POST.copy()
            data["outside_ok"] = "1"
            form = JoinRequestForm(data)
            form.is_valid()
            outside_warning = True
        else:
            join_request = form.save(commit=False)
            join_request.group = group
            join_request.outside_area = outside
            join_request.consent_version = CONSENT_VERSION
            try:
                with transaction.atomic():
                    join_request.save()
                    send_join_confirmation(join_request)
            except IntegrityError:
                # An open request for this address already exists: same answer, no second one.
                pass
            return redirect("groups:join_sent", slug=group.slug)
    return render(
        request,
        "groups/join/form.html",
        {"group": group, "form": form, "outside_warning": outside_warning},
    )


def join_sent(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group.objects.active(), slug=slug)
    return render(request, "groups/join/sent.html", {"group": group})


def _join_request_for_token(token: str) -> JoinRequest:
    return get_object_or_404(JoinRequest.objects.select_related("group"), token=token)


@never_cache
def join_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation mail. GET shows a button (mail scanners follow links);
    POST confirms."""
    join_request = _join_request_for_token(token)
    if request.method == "POST":
        with transaction.atomic():
            join_request = get_object_or_404(
                JoinRequest.objects.select_for_update().select_related("group"), token=token
            )
            if join_request.confirm():
                notify_admins_of_join_request.enqueue(join_request.pk)
        return redirect(join_request.get_status_url())
    if join_request.status != JoinRequestStatus.UNCONFIRMED:
        return redirect(join_request.get_status_url())
    return render(request, "groups/join/confirm.html", {"join_request": join_request})


@never_cache
def join_status(request: HttpRequest, token: str) -> HttpResponse:
    join_request = _join_request_for_token(token)
    return render(request, "groups/join/status.html", {"join_request": join_request})
