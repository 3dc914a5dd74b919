"""The "claim your group" link mailed to admins of the old register (groups.takeover.claims)."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from groups.takeover.claims import claim_groups, claimable_entries
from groups.takeover.forms import ClaimWithNewPasswordForm, ClaimWithPasswordForm
from groups.tokens import claim_link
from wabp.ratelimit import rate_limit

# Claim POSTs per client IP address per hour (password tries included).
CLAIM_POSTS_PER_IP = 10


@never_cache
@sensitive_post_parameters("password", "password1", "password2")
@rate_limit("group-claim", limit=CLAIM_POSTS_PER_IP)
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the groups and the form (mail scanners open links); POST claims.

    An account without a password of its own (as every imported admin starts) chooses one
    here, once: choosing it ends the link. An account that has a password (its owner used
    "Wachtwoord vergeten", or already ran a group here) types it instead. A link for an
    account the board deactivated does nothing.
    """
    link = claim_link(token)
    user = link.user if link else None
    if user is None or not (user.is_active or user.never_activated):
        return render(request, "groups/takeover/claim_failed.html", status=404)
    entries = list(claimable_entries(user))
    if not entries:
        return render(request, "groups/takeover/claimed_already.html", {"account": user})
    needs_password = user.never_activated or not user.has_usable_password()
    if needs_password and not link.same_password:
        # The account got another password since the mail (a sign-up with this address):
        # only "Wachtwoord vergeten" decides now who holds the mailbox.
        return render(request, "groups/takeover/claim_failed.html", status=404)
    form_class = ClaimWithNewPasswordForm if needs_password else ClaimWithPasswordForm
    form = form_class(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        groups = claim_groups(user, password=form.new_password)
        user.refresh_from_db()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Bedankt! %(groups)s staat nu als bevestigd op het portaal.")
            % {"groups": ", ".join(group.name for group in groups)},
        )
        return redirect("groups:dashboard")
    return render(
        request,
        "groups/takeover/claim.html",
        {"account": user, "entries": entries, "form": form, "needs_password": needs_password},
    )
