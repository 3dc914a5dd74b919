"""The prevention tips: a knowledge base the board keeps in the admin (/tips/), each tip with
a message to paste into the group chat, and the monthly tip by mail (opt-in).

The list and the tips are public and page-cached; they carry no form (a CSRF token must not
be cached), only a link to the subscription page, which is personal and never cached.
"""

from datetime import UTC, datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from groups.models import Tip, TipSubscription, TipTheme
from groups.tips.forms import SubscriptionForm
from groups.tokens import user_for_tip_unsubscribe_token
from wabp.models import current_language
from wabp.pagecache import public_page
from wabp.ratelimit import rate_limit
from wabp.text import render_markdown

_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def tips_version(request: HttpRequest, *args, **kwargs) -> tuple[str, datetime]:
    """Tips change when the board edits or loads them; the list also changes with the month
    (this month's tips first). One query."""
    latest = Tip.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    changed_at = latest["changed"] or _EPOCH
    month = timezone.localdate().month
    return f"tips:{month}:{latest['count']}:{changed_at.isoformat()}", changed_at


def _shown(tip: Tip, language: str) -> dict:
    return {"tip": tip, **tip.in_language(language)}


@public_page(version=tips_version)
@require_http_methods(["GET", "HEAD"])
def tip_list(request: HttpRequest) -> HttpResponse:
    language = get_language()
    month = timezone.localdate().month
    tips = list(Tip.objects.published())
    themes = []
    for value, label in TipTheme.choices:
        in_theme = [_shown(tip, language) for tip in tips if tip.theme == value]
        if in_theme:
            themes.append({"value": value, "label": label, "tips": in_theme})
    this_month = [_shown(tip, language) for tip in tips if tip.months and month in tip.months]
    return render(
        request,
        "groups/tips/list.html",
        {"themes": themes, "this_month": this_month, "month": timezone.localdate()},
    )


@public_page(version=tips_version)
@require_http_methods(["GET", "HEAD"])
def tip_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tip = Tip.objects.published().filter(slug=slug).first()
    if tip is None:
        raise Http404
    shown = _shown(tip, get_language())
    return render(
        request,
        "groups/tips/detail.html",
        {**shown, "body_html": render_markdown(shown["body"])},
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscription(request: HttpRequest) -> HttpResponse:
    """Subscribe to the monthly tip, or leave it: one POST. The mail is in user.language."""
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["choice"] == "subscribe":
                TipSubscription.subscribe(request.user)
                # The tips come in the language of the page the user subscribed on.
                if request.user.language != current_language():
                    request.user.language = current_language()
                    request.user.save(update_fields=["language"])
            else:
                TipSubscription.unsubscribe(request.user)
            return redirect("groups:tip_subscription")
        return HttpResponse(status=400)
    subscribed = TipSubscription.objects.filter(user=request.user).exists()
    return render(
        request,
        "groups/tips/subscription.html",
        {"subscribed": subscribed, "mail_language": request.user.get_language_display()},
    )


# Unsubscribe (public, no login: the signed token is the key) ---------------------------------


@require_http_methods(["GET", "POST"])
@rate_limit("tip-unsubscribe", limit=30, window=3600)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation and changes nothing; POST unsubscribes (or back in)."""
    user = user_for_tip_unsubscribe_token(token)
    if user is None:
        return render(request, "groups/broadcasts/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        if request.POST.get("choice") == "resubscribe":
            TipSubscription.subscribe(user)
        else:
            TipSubscription.unsubscribe(user)
        return redirect("groups:tip_unsubscribe", token=token)
    subscribed = TipSubscription.objects.filter(user=user).exists()
    return render(request, "groups/tips/unsubscribe.html", {"subscribed": subscribed})


@csrf_exempt  # RFC 8058 one-click: the mail provider posts without a form; the token is the key
@rate_limit("tip-unsubscribe", limit=30, window=3600)
def unsubscribe_one_click(request: HttpRequest, token: str) -> HttpResponse:
    """The List-Unsubscribe address: a POST unsubscribes at once; a GET shows the normal page."""
    if request.method == "GET":
        return redirect("groups:tip_unsubscribe", token=token)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    user = user_for_tip_unsubscribe_token(token)
    if user is None:
        return HttpResponse(status=404)
    TipSubscription.unsubscribe(user)
    return HttpResponse(
        _("U bent afgemeld voor de maandelijkse preventietip."), content_type="text/plain"
    )
