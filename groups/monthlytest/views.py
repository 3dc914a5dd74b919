"""The monthly test: the admin's page under /beheer/ (opt in or out, the message to copy,
"I posted it") and the two links in the reminder, which work without logging in.

The mailed links follow the "still active?" link (groups.beheer.views.reconfirm): a GET only
shows a page with one button, because mail scanners open every link in a mail; the POST
does the work. The link that stops the reminder also has an RFC 8058 one-click address.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from groups.beheer.access import get_group_for_admin
from groups.models import GroupAdmin, first_of_month
from groups.monthlytest.message import test_message
from groups.tokens import monthly_test_link, monthly_test_stop_link
from wabp.ratelimit import rate_limit


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    """POST `action=on|off`: this admin's reminder for this group; `action=tested`: the
    admin posted the test message (no mail needed)."""
    group = get_group_for_admin(request, slug)
    membership = GroupAdmin.objects.get(group=group, user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("on", "off"):
            membership.monthly_test = action == "on"
            membership.save(update_fields=["monthly_test"])
            if membership.monthly_test:
                messages.success(
                    request,
                    _("U krijgt elke maand een herinnering om het testbericht te plaatsen."),
                )
            else:
                messages.success(request, _("U krijgt geen herinnering meer voor deze groep."))
        elif action == "tested":
            if group.record_test(by=request.user):
                messages.success(request, _("Bedankt! De test van deze maand is vastgelegd."))
            else:
                messages.info(request, _("De test van deze maand was al bevestigd."))
        return redirect("groups:monthly_test", slug=group.slug)
    month = first_of_month(timezone.localdate())
    return render(
        request,
        "groups/monthlytest/settings.html",
        {
            "group": group,
            "section": "monthly_test",
            "membership": membership,
            "message": test_message(group),
            "tested_this_month": group.has_tested_in(month),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("monthly-test-link", limit=30, window=3600)
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The "I posted the test message" link: no login needed; GET asks, POST confirms."""
    link = monthly_test_link(token)
    if link is None:
        raise Http404
    group = link.membership.group
    already = group.has_tested_in(link.month)
    done = (
        request.method == "POST"
        and not already
        and group.record_test(by=link.membership.user, month=link.month)
    )
    return render(
        request,
        "groups/monthlytest/confirm.html",
        {"group": group, "month": link.month, "done": done, "already": already},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("monthly-test-link", limit=30, window=3600)
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """The link that stops the reminder for this group (no login); POST `action=on` undoes it."""
    membership = monthly_test_stop_link(token)
    if membership is None:
        raise Http404
    if request.method == "POST":
        membership.monthly_test = request.POST.get("action") == "on"
        membership.save(update_fields=["monthly_test"])
        return redirect("groups:monthly_test_stop", token=token)
    return render(
        request,
        "groups/monthlytest/stop.html",
        {"group": membership.group, "membership": membership},
    )


@csrf_exempt  # RFC 8058 one-click: the mail provider posts without a form; the token is the key
@rate_limit("monthly-test-link", limit=30, window=3600)
def stop_one_click(request: HttpRequest, token: str) -> HttpResponse:
    """The List-Unsubscribe address: a POST stops the reminder at once; a GET shows the page."""
    if request.method == "GET":
        return redirect("groups:monthly_test_stop", token=token)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    membership = monthly_test_stop_link(token)
    if membership is None:
        return HttpResponse(status=404)
    membership.monthly_test = False
    membership.save(update_fields=["monthly_test"])
    return HttpResponse(
        _("U krijgt geen herinnering meer voor het testbericht van %(group)s.")
        % {"group": membership.group.name},
        content_type="text/plain",
    )
