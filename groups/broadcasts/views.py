"""The unsubscribe link in the board's broadcasts (public, no login: the signed token is the key)."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from groups.models import BroadcastOptOut
from groups.tokens import user_for_unsubscribe_token
from wabp.ratelimit import rate_limit

# Unsubscribe (public, no login: the signed token is the key) ---------------------------------


@require_http_methods(["GET", "POST"])
@rate_limit("broadcast-unsubscribe", limit=30, window=3600)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation and changes nothing; POST opts out (or back in)."""
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "groups/broadcasts/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        if request.POST.get("choice") == "resubscribe":
            BroadcastOptOut.objects.filter(user=user).delete()
        else:
            BroadcastOptOut.objects.get_or_create(user=user)
        return redirect("groups:broadcast_unsubscribe", token=token)
    opted_out = BroadcastOptOut.objects.filter(user=user).exists()
    return render(request, "groups/broadcasts/unsubscribe.html", {"opted_out": opted_out})


@csrf_exempt  # RFC 8058 one-click: the mail provider posts without a form; the token is the key
@rate_limit("broadcast-unsubscribe", limit=30, window=3600)
def unsubscribe_one_click(request: HttpRequest, token: str) -> HttpResponse:
    """The List-Unsubscribe address: a POST opts out at once; a GET shows the normal page."""
    if request.method == "GET":
        return redirect("groups:broadcast_unsubscribe", token=token)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    user = user_for_unsubscribe_token(token)
    if user is None:
        return HttpResponse(status=404)
    BroadcastOptOut.objects.get_or_create(user=user)
    return HttpResponse(
        _("U bent afgemeld voor berichten van het bestuur."), content_type="text/plain"
    )
