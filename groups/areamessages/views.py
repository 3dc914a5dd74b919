"""Area messages: the sender's form, preview and send, their sent messages, and the admins'
opt-out (from the mail without logging in, or in their settings).

Who may send is decided in one helper, `get_sender`: verified police officers and
municipality staff; everyone else gets 403.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from groups.areamessages import delivery
from groups.areamessages.forms import AreaMessageForm
from groups.mail import area_message_context
from groups.models import AreaMessage, AreaMessageOptOut, SenderType
from groups.tokens import area_message_opt_out_from_token
from wabp.ratelimit import rate_limit
from wabp.signed import AREA_MESSAGE_PREVIEW

# A preview is sent within this time, or shown again (its "valid until" is worked out anew).
PREVIEW_MAX_AGE = timedelta(minutes=30)
PAGE_SIZE = 25


class SendersOnly(PermissionDenied):
    """The area message pages, opened by someone who may not send them: the 403 page explains."""

    explanation_template = "groups/areamessages/_senders_only.html"


def get_sender(request: HttpRequest) -> delivery.Sender:
    """The logged-in user as a sender of area messages, or 403. Read per request, so access
    the board ended is gone at once."""
    sender = delivery.sender_for(request.user)
    if sender is None:
        raise SendersOnly
    return sender


def _form_data(form: AreaMessageForm) -> dict:
    return {name: form.data.get(name, "") for name in form.fields}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def new_message(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST `preview`: the message as admins will see it, with its reach;
    `edit`: back to the form, nothing lost; `send`: send it (everything checked again)."""
    sender = get_sender(request)
    left = delivery.messages_left(request.user)
    action = request.POST.get("action", "preview") if request.method == "POST" else ""
    if action in ("send", "edit"):
        preview = AREA_MESSAGE_PREVIEW.read(request.POST.get("preview", ""), max_age=None)
        if not isinstance(preview, dict) or preview.get("sender") != request.user.pk:
            messages.error(request, _("Dit voorbeeld kunnen we niet meer lezen. Begin opnieuw."))
            return redirect("groups:area_message_new")
        form = AreaMessageForm(preview["data"], sender=sender)
        if action == "edit" or not form.is_valid():
            return _form_page(request, form, sender, left)
        fresh = AREA_MESSAGE_PREVIEW.read(request.POST["preview"], max_age=PREVIEW_MAX_AGE)
        if fresh is None:
            messages.warning(
                request,
                _(
                    "Dit voorbeeld was te lang open. Controleer de geldigheid hieronder en "
                    "verstuur het opnieuw."
                ),
            )
            return _preview_page(request, form, sender, left)
        return _send(request, form, sender, datetime.fromisoformat(preview["valid_until"]))
    form = AreaMessageForm(request.POST if action else None, sender=sender)
    if action and form.is_valid():
        if left <= 0:
            form.add_error(None, _over_limit_text())
        else:
            return _preview_page(request, form, sender, left)
    return _form_page(request, form, sender, left)


def _over_limit_text() -> str:
    return _(
        "U hebt het maximum aantal gebiedsberichten bereikt: %(day)d per 24 uur en %(week)d per "
        "7 dagen. Er is niets verstuurd. Probeer het later opnieuw of neem contact op met het "
        "bestuur."
    ) % {"day": delivery.MAX_PER_DAY, "week": delivery.MAX_PER_WEEK}


def _form_page(request, form, sender, left: int) -> HttpResponse:
    return render(
        request,
        "groups/areamessages/form.html",
        {
            "form": form,
            "sender": sender,
            "left": left,
            "max_per_day": delivery.MAX_PER_DAY,
            "max_per_week": delivery.MAX_PER_WEEK,
        },
    )


def _preview_page(request, form, sender, left: int) -> HttpResponse:
    data = form.cleaned_data
    # Whole minutes, so the preview's "valid until" is exactly what the admins will read.
    now = timezone.now().replace(second=0, microsecond=0)
    valid_until = now + timedelta(hours=data["validity"])
    message = AreaMessage(
        sender_type=sender.sender_type,
        sender_name=sender.name,
        subject=data["subject"],
        body=data["body"],
        reason=data["reason"],
        reference=data["reference"],
        valid_until=valid_until,
        centre_postcode=data["centre_postcode"],
        radius_km=data["radius_km"],
    )
    # In Dutch, as most admins read it; each admin gets it in their own language.
    with translation.override("nl"):
        context = area_message_context(message, None, group_names=[], area_codes=data["area_codes"])
        subject = render_to_string("groups/mail/area_message_subject.txt", context).strip()
        text = render_to_string("groups/mail/area_message.txt", context)
    token = AREA_MESSAGE_PREVIEW.make(
        {
            "sender": request.user.pk,
            "data": _form_data(form),
            "valid_until": valid_until.isoformat(),
        }
    )
    return render(
        request,
        "groups/areamessages/preview.html",
        {
            "sender": sender,
            "message": message,
            "mail_subject": subject,
            "mail_text": text,
            "reach": delivery.reach(data["area_codes"], sender),
            "area": context["area"],
            "preview_token": token,
            "left": left,
        },
    )


def _send(request, form, sender, valid_until: datetime) -> HttpResponse:
    data = form.cleaned_data
    try:
        message, created = delivery.send_area_message(
            sender,
            subject=data["subject"],
            body=data["body"],
            reason=data["reason"],
            reference=data["reference"],
            valid_until=valid_until,
            area_codes=data["area_codes"],
            centre_postcode=data["centre_postcode"],
            radius_km=data["radius_km"],
        )
    except delivery.OverLimit:
        form.add_error(None, _over_limit_text())
        return _form_page(request, form, sender, 0)
    if not created:
        messages.warning(request, _("Dit bericht is al verstuurd. Er gaat niets dubbel."))
    else:
        messages.success(
            request,
            _("Uw bericht gaat naar %(admins)d beheerders van %(groups)d groepen.")
            % {"admins": message.admin_count, "groups": message.groups.count()},
        )
    return redirect("groups:area_messages")


@never_cache
@login_required
@require_safe
def sent_messages(request: HttpRequest) -> HttpResponse:
    """The sender's own area messages, newest first, with how many groups and admins each
    reached (one query per page)."""
    sender = get_sender(request)
    paginator = Paginator(
        AreaMessage.objects.filter(sender=request.user)
        .annotate(group_count=Count("groups", distinct=True))
        .prefetch_related("areas")
        .order_by("-created_at", "-pk"),
        PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = [(message, delivery.describe_message_area(message)) for message in page.object_list]
    return render(
        request,
        "groups/areamessages/list.html",
        {
            "sender": sender,
            "page": page,
            "rows": rows,
            "left": delivery.messages_left(request.user),
            "max_per_day": delivery.MAX_PER_DAY,
            "max_per_week": delivery.MAX_PER_WEEK,
            "now": timezone.now(),
        },
    )


# The admins' choice ----------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def opt_out_settings(request: HttpRequest) -> HttpResponse:
    """Which kinds of sender an admin gets area messages from (both, unless they opted out)."""
    if request.method == "POST":
        wanted = set(request.POST.getlist("receive"))
        for sender_type in SenderType.values:
            _set_opt_out(request.user, sender_type, opted_out=sender_type not in wanted)
        messages.success(request, _("Uw keuze is opgeslagen."))
        return redirect("groups:area_message_settings")
    opted_out = set(
        AreaMessageOptOut.objects.filter(user=request.user).values_list("sender_type", flat=True)
    )
    choices = [(value, label, value not in opted_out) for value, label in SenderType.choices]
    return render(request, "groups/areamessages/settings.html", {"choices": choices})


def _set_opt_out(user, sender_type: str, *, opted_out: bool) -> None:
    if opted_out:
        AreaMessageOptOut.objects.get_or_create(user=user, sender_type=sender_type)
    else:
        AreaMessageOptOut.objects.filter(user=user, sender_type=sender_type).delete()


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("area-message-opt-out", limit=30, window=3600)
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an area message (no login: the signed token is the key). GET asks and
    changes nothing; POST opts out of this kind of sender, or back in."""
    found = area_message_opt_out_from_token(token)
    if found is None:
        return render(request, "groups/broadcasts/unsubscribe_invalid.html", status=404)
    user, sender_type = found
    if request.method == "POST":
        _set_opt_out(user, sender_type, opted_out=request.POST.get("choice") != "resubscribe")
        return redirect("groups:area_message_opt_out", token=token)
    opted_out = AreaMessageOptOut.objects.filter(user=user, sender_type=sender_type).exists()
    return render(
        request,
        "groups/areamessages/opt_out.html",
        {"opted_out": opted_out, "sender_type": SenderType(sender_type).label},
    )


@csrf_exempt  # RFC 8058 one-click: the mail provider posts without a form; the token is the key
@rate_limit("area-message-opt-out", limit=30, window=3600)
def opt_out_one_click(request: HttpRequest, token: str) -> HttpResponse:
    """The List-Unsubscribe address: a POST opts out at once; a GET shows the normal page."""
    if request.method == "GET":
        return redirect("groups:area_message_opt_out", token=token)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    found = area_message_opt_out_from_token(token)
    if found is None:
        return HttpResponse(status=404)
    user, sender_type = found
    _set_opt_out(user, sender_type, opted_out=True)
    return HttpResponse(
        _("U bent afgemeld voor gebiedsberichten van de %(type)s.")
        % {"type": SenderType(sender_type).label},
        content_type="text/plain",
    )
