"""Municipality staff onboarding: an employee asks for a staff account with their work
address, verifies it by a mailed link, and the board decides in the admin (admin.py)."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from groups.mail import send_staff_request_verification
from groups.models import StaffRequest, StaffRequestStatus
from groups.staffaccess.forms import StaffRequestForm, municipalities_with_mail_domain
from groups.tokens import staff_request_from_token
from wabp.ratelimit import is_limited, rate_limit

# Form POSTs per client IP address per hour.
REQUEST_POSTS_PER_IP = 10
# Verification mails per e-mail address per day, whichever IP addresses ask for them.
VERIFICATIONS_PER_ADDRESS_PER_DAY = 3


@never_cache
@sensitive_post_parameters("email")
@rate_limit("staff-request", limit=REQUEST_POSTS_PER_IP, window=3600)
def staff_request(request):
    """The public form: "I work for the municipality of …", with a work address."""
    initial = {}
    slug = request.GET.get("gemeente", "")
    if slug and municipalities_with_mail_domain().filter(slug=slug).exists():
        initial["municipality"] = slug
    form = StaffRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            new = StaffRequest.objects.add(
                municipality=data["municipality"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                job_title=data["job_title"],
                language=get_language() or "nl",
            )
            if new is not None and not is_limited(
                "staff-request:address",
                new.email,
                limit=VERIFICATIONS_PER_ADDRESS_PER_DAY,
                window=24 * 3600,
            ):
                send_staff_request_verification(new)
        # The same answer whether the request is new, already with the board or over its limit.
        return redirect("groups:staff_request_sent")
    return render(
        request,
        "groups/staffaccess/form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def staff_request_sent(request):
    return render(request, "groups/staffaccess/sent.html")


@never_cache
def staff_request_verify(request, token: str):
    """GET shows a button (mail scanners follow links); POST verifies the address."""
    staff_request = staff_request_from_token(token)
    if staff_request is None:
        raise Http404
    if request.method == "POST" and staff_request.status == StaffRequestStatus.UNVERIFIED:
        staff_request.verify()
        return render(request, "groups/staffaccess/verified.html", {"staff_request": staff_request})
    template = (
        "groups/staffaccess/verify.html"
        if staff_request.status == StaffRequestStatus.UNVERIFIED
        else "groups/staffaccess/verified.html"
    )
    return render(request, template, {"staff_request": staff_request})
