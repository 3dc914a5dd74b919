"""Police access: an officer asks for access with a work address on one of the police's mail
domains, for an area, verifies the address by a mailed link, and the board decides in the
admin (admin.py). The workspace itself is groups.police."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from groups.mail import send_police_request_verification
from groups.models import PoliceRequest, StaffRequestStatus
from groups.policeaccess.forms import PoliceRequestForm
from groups.tokens import police_request_from_token
from wabp.ratelimit import is_limited, rate_limit

# Form POSTs per client IP address per hour.
REQUEST_POSTS_PER_IP = 10
# Verification mails per e-mail address per day, whichever IP addresses ask for them.
VERIFICATIONS_PER_ADDRESS_PER_DAY = 3


@never_cache
@sensitive_post_parameters("email")
@rate_limit("police-request", limit=REQUEST_POSTS_PER_IP, window=3600)
def police_request(request):
    """The public form: a police officer asks for access to an area, with a work address."""
    form = PoliceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            new = PoliceRequest.objects.add(
                email=data["email"],
                municipalities=data["municipalities"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                team=data["team"],
                job_title=data["job_title"],
                language=get_language() or "nl",
            )
            if new is not None and not is_limited(
                "police-request:address",
                new.email,
                limit=VERIFICATIONS_PER_ADDRESS_PER_DAY,
                window=24 * 3600,
            ):
                send_police_request_verification(new)
        # The same answer whether the request is new, already with the board or over its limit.
        return redirect("groups:police_request_sent")
    return render(
        request,
        "groups/policeaccess/form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def police_request_sent(request):
    return render(request, "groups/policeaccess/sent.html")


@never_cache
def police_request_verify(request, token: str):
    """GET shows a button (mail scanners follow links); POST verifies the address."""
    police_request = police_request_from_token(token)
    if police_request is None:
        raise Http404
    if request.method == "POST" and police_request.status == StaffRequestStatus.UNVERIFIED:
        police_request.verify()
        return render(
            request, "groups/policeaccess/verified.html", {"police_request": police_request}
        )
    template = (
        "groups/policeaccess/verify.html"
        if police_request.status == StaffRequestStatus.UNVERIFIED
        else "groups/policeaccess/verified.html"
    )
    return render(request, template, {"police_request": police_request})
