"""The data-subject rights (AVG): download everything about me, and delete my account.

    data = personal_data(user)        # JSON-ready dict of all data about the user
    result = delete_account(user)     # erase the user and what belongs to them
    purged = purge_expired()          # apply every retention rule (manage.py purge_expired)

and their views on "my account": /account/mijn-gegevens/ (the JSON download) and
/account/verwijderen/ (confirm with the password, then delete and log out).

Each app declares its part -- export, erasure, retention rules, sections on the account
pages -- in its own `personal_data` module (see wabp.registry); this module only walks
the registry, so wabp never imports the apps. Each app's module says what it keeps after
an account is deleted, and why.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from wabp import registry
from wabp.links import site_url
from wabp.models import User
from wabp.ratelimit import rate_limit

# Password tries on the delete form per client IP address per hour.
DELETE_LIMIT = 10


# Export -----------------------------------------------------------------------------------


def personal_data(user: User) -> dict[str, Any]:
    """Everything the portal stores about `user`, for the download (fixed number of queries).

    Other people's personal data is left out: no co-admins, no residents of join
    requests the user handled, no addresses the user invited.
    """
    data: dict[str, Any] = {
        "export": {
            "created_at": timezone.now(),
            "portal": site_url(),
            "explanation": str(
                _(
                    "Dit zijn alle gegevens die het portaal van Stichting WhatsApp "
                    "BuurtPreventie over u bewaart. Uw wachtwoord bewaren we alleen "
                    "versleuteld; dat staat hier niet in."
                )
            ),
        },
    }
    for export in registry.EXPORTS:
        data.update(export.collect(user))
    return data


# Erasure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deletion:
    """What deleting an account did that the user should hear about, per app's erasure
    (e.g. `details["groups_deactivated"]`: the names of groups that became inactive)."""

    details: dict[str, Any]


@transaction.atomic
def delete_account(user: User) -> Deletion:
    """Delete the account and everything that belongs to the person, in one transaction."""
    # Lock the row: a concurrent request must not add data to an account being deleted.
    User.objects.select_for_update().filter(pk=user.pk).first()
    details: dict[str, Any] = {}
    for erasure in registry.ERASURES:
        details.update(erasure.erase(user) or {})
    user.delete()
    return Deletion(details=details)


# Retention --------------------------------------------------------------------------------


@transaction.atomic
def purge_expired(dry_run: bool = False) -> list[tuple[registry.RetentionRule, int]]:
    """Apply every app's retention rules in one transaction: (rule, rows) for each.

    With `dry_run`, count what would go and delete nothing.
    """
    return [(rule, rule.count() if dry_run else rule.apply()) for rule in registry.RETENTION_RULES]


# Views ------------------------------------------------------------------------------------


@never_cache
@login_required
def download_data(request: HttpRequest) -> HttpResponse:
    """All data about me as a JSON file."""
    response = JsonResponse(
        personal_data(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    filename = f"mijn-gegevens-wabp-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Uw wachtwoord"),
        strip=False,
        help_text=_("Ter controle dat u het zelf bent."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."), code="wrong_password")
        return password


@never_cache
@login_required
@sensitive_post_parameters("password")
@rate_limit("account-delete", limit=DELETE_LIMIT)
def delete(request: HttpRequest) -> HttpResponse:
    """Delete my account after confirming with my password; then log out."""
    user = request.user
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_account(user)
        logout(request)
        return redirect("account_deleted")
    return render(
        request,
        "wabp/privacy/delete.html",
        {
            "form": form,
            "sections": registry.sections(registry.DELETION_SECTIONS, request),
            "download_url": reverse("my_data"),
        },
    )


def deleted(request: HttpRequest) -> HttpResponse:
    """The confirmation after deleting an account (anyone may see this plain page)."""
    return render(request, "wabp/privacy/deleted.html")
