"""The waiting list: residents of an area without a group leave an address, confirmed by a mailed link."""

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from groups.mail import send_waitinglist_confirmation
from groups.models import WaitingListEntry
from groups.waitinglist.forms import WaitingListForm
from postcodes.models import Area, Postcode
from wabp.contact import normalise_email
from wabp.ratelimit import is_limited, rate_limit

# Confirmation mails per e-mail address per day, whichever IP addresses ask for them.
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3

# Waiting list ------------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("email")
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("waitinglist", limit=10, window=3600)
def waitinglist_join(request):
    """GET: the form, prefilled with `?postcode=` (search pages link here, so they stay
    cacheable: only this page has a CSRF token). POST: leave an e-mail address for a
    postcode or area no group covers; confirmed by a mailed link."""
    if request.method != "POST":
        form = WaitingListForm(initial={"postcode": request.GET.get("postcode", "")[:7]})
        return render(request, "groups/waitinglist/form_page.html", {"form": form})
    form = WaitingListForm(request.POST)
    if not form.is_valid():
        return render(request, "groups/waitinglist/form_page.html", {"form": form}, status=400)
    code = form.cleaned_data["postcode"]
    area = Area.objects.filter(code=code[:4]).first()
    if area is None:
        form.add_error("postcode", _("Dit postcodegebied kennen we niet."))
        return render(request, "groups/waitinglist/form_page.html", {"form": form}, status=400)
    # A PC6 we do not know: the resident waits for the whole area.
    postcode = Postcode.objects.filter(code=code).first() if len(code) == 6 else None
    entry = WaitingListEntry.objects.add(
        area=area, postcode=postcode, email=form.cleaned_data["email"]
    )
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
