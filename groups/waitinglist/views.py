"""The waiting list: residents of an area without a group leave an address, confirmed by a mailed link."""

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from groups.mail import send_waitinglist_confirmation
from groups.models import WaitingListEntry
from groups.waitinglist.forms import WaitingListForm
from postcodes.models import Area
from wabp.contact import normalise_email
from wabp.ratelimit import is_limited, rate_limit

# Confirmation mails per e-mail address per day, whichever IP addresses ask for them.
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3

# Waiting list ------------------------------------------------------------------------------


@require_POST
@sensitive_post_parameters("email")
@rate_limit("waitinglist", limit=10, window=3600)
def waitinglist_join(request):
    """Leave an e-mail address for an area without a group; confirmed by a mailed link."""
    form = WaitingListForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "groups/waitinglist/form_page.html",
            {"form": form, "area_code": request.POST.get("area", "")},
            status=400,
        )
    area = Area.objects.filter(code=form.cleaned_data["area"]).first()
    if area is None:
        form.add_error(None, _("Dit postcodegebied kennen we niet."))
        return render(
            request,
            "groups/waitinglist/form_page.html",
            {"form": form, "area_code": form.cleaned_data["area"]},
            status=400,
        )
    entry = WaitingListEntry.objects.add(area=area, email=form.cleaned_data["email"])
    if entry is not None and not is_limited(
        "waitinglist:address",
        normalise_email(form.cleaned_data["email"]),
        limit=CONFIRMATIONS_PER_ADDRESS_PER_DAY,
        window=24 * 3600,
    ):
        send_waitinglist_confirmation(entry)
    # The same answer whether or not the address was already on the list or over its limit.
    return redirect("groups:waitinglist_sent")


def waitinglist_sent(request):
    return render(request, "groups/waitinglist/sent.html")


@never_cache
def waitinglist_confirm(request, token: str):
    """GET shows a button (mail scanners follow links); POST confirms."""
    entry = get_object_or_404(WaitingListEntry.objects.select_related("area"), token=token)
    if request.method == "POST":
        entry.confirm()
        return render(request, "groups/waitinglist/done.html", {"entry": entry})
    return render(request, "groups/waitinglist/confirm.html", {"entry": entry})


@never_cache
def waitinglist_delete(request, token: str):
    """The one link in every waiting-list e-mail: removes the address for good."""
    entry = WaitingListEntry.objects.select_related("area").filter(token=token).first()
    if request.method == "POST":
        if entry is not None:
            with transaction.atomic():
                entry.delete()
        return render(request, "groups/waitinglist/deleted.html")
    if entry is None:
        return render(request, "groups/waitinglist/deleted.html")
    return render(request, "groups/waitinglist/delete.html", {"entry": entry})
