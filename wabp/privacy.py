"""The data-subject rights (AVG): download everything about me, and delete my account.

    data = personal_data(user)        # JSON-ready dict of all data about the user
    result = delete_account(user)     # erase the user and what belongs to them

and their views on "my account": /account/mijn-gegevens/ (the JSON download) and
/account/verwijderen/ (confirm with the password, then delete and log out).

The export and the erasure walk every app's models from here, one pair of
functions per app, so the apps themselves never import this module. Each app's
models are only read by the export; the erasure deletes rows by user or by the
user's e-mail address (a resident's join request or waiting-list entry is the
same person's data even though it was made without logging in).

What stays after an account is deleted, and why:
- a group the user ran alone stays, inactive and without admins (group data
  is not personal data; another admin can still take it over through an open
  invitation);
- answers to anonymous panel rounds: they carry no link to anyone, so they
  cannot be found, by design;
- join requests the user handled as an admin: they are the resident's data
  (they keep their own retention period); only the link to the admin goes.
Certificates are deleted, not anonymised: the public verification page shows
the holder's initials, so a certificate without a holder would vouch for
nobody. Its verification link then answers "not found".
"""

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from elearning.models import Attempt, Certificate, Progress
from groups.models import (
    BroadcastDelivery,
    BroadcastOptOut,
    Group,
    GroupAdmin,
    Invitation,
    JoinRequest,
    SignRequest,
    WaitingListEntry,
)
from panels.models import Membership, PanelInvitation, PanelMail, Participation, Response
from wabp.models import Consent, OutboundEmail, User
from wabp.ratelimit import rate_limit

# Password tries on the delete form per client IP address per hour.
DELETE_LIMIT = 10
# A phone number shorter than this is too unspecific to search other people's mail for.
MIN_PHONE_LENGTH = 6


def _site_url(path: str) -> str:
    return settings.SITE_URL + path


# Export -----------------------------------------------------------------------------------


def personal_data(user: User) -> dict[str, Any]:
    """Everything the portal stores about `user`, for the download (fixed number of queries).

    Other people's personal data is left out: no co-admins, no residents of
    join requests the user handled, no addresses the user invited.
    """
    email = user.email
    return {
        "export": {
            "created_at": timezone.now(),
            "portal": settings.SITE_URL,
            "explanation": str(
                _(
                    "Dit zijn alle gegevens die het portaal van Stichting WhatsApp "
                    "BuurtPreventie over u bewaart. Uw wachtwoord bewaren we alleen "
                    "versleuteld; dat staat hier niet in."
                )
            ),
        },
        "account": _account_data(user),
        "consents": [
            {"document": c.document, "version": c.version, "given_at": c.given_at}
            for c in Consent.objects.filter(user=user).order_by("given_at")
        ],
        **_groups_data(user, email),
        "elearning": _elearning_data(user),
        "panels": _panels_data(user, email),
        "emails": [
            {
                "subject": mail.subject,
                "kind": mail.kind,
                "created_at": mail.created_at,
                "sent_at": mail.sent_at,
            }
            for mail in OutboundEmail.objects.filter(to__iexact=email).order_by("created_at")
        ],
        "logins": _login_data(email),
    }


def _account_data(user: User) -> dict[str, Any]:
    # Named fields only: never the password hash, whatever fields are added later.
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "municipality_staff_of": user.municipality.name if user.municipality_id else None,
        "share_email_with_municipality": user.share_email_with_municipality,
        "trained_at": user.trained_at,
        "is_board": user.is_staff,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _groups_data(user: User, email: str) -> dict[str, Any]:
    memberships = GroupAdmin.objects.filter(user=user).select_related(
        "group__area", "group__municipality"
    )
    groups = []
    for membership in memberships.order_by("group__name"):
        group = membership.group
        groups.append(
            {
                "name": group.name,
                "url": _site_url(group.get_absolute_url()),
                "platform": group.platform,
                "description": group.description,
                "area": group.area_id,
                "place": group.area.place,
                "street": group.street,
                "municipality": group.municipality.name if group.municipality_id else None,
                "status": group.status,
                "registered_with_municipality": group.registered_with_municipality,
                "registered_with_police": group.registered_with_police,
                "member_count": group.member_count,
                "is_verified": group.is_verified,
                "created_at": group.created_at,
                "confirmed_at": group.confirmed_at,
                "last_confirmed_at": group.last_confirmed_at,
                "admin_since": membership.added_at,
            }
        )
    return {
        "groups_administered": groups,
        "admin_invitations_sent": [
            {
                "group": invitation.group.name,
                "handover": invitation.handover,
                "created_at": invitation.created_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in Invitation.objects.filter(invited_by=user)
            .select_related("group")
            .order_by("created_at")
        ],
        "admin_invitations_received": [
            {
                "group": invitation.group.name,
                "email": invitation.email,
                "handover": invitation.handover,
                "created_at": invitation.created_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in Invitation.objects.filter(email__iexact=email)
            .select_related("group")
            .order_by("created_at")
        ],
        # The resident's details are theirs, not the admin's: ids, group and dates only.
        "join_requests_handled": [
            {
                "id": request.pk,
                "group": request.group.name,
                "status": request.status,
                "created_at": request.created_at,
                "handled_at": request.handled_at,
            }
            for request in JoinRequest.objects.filter(handled_by=user)
            .select_related("group")
            .order_by("handled_at")
        ],
        "join_requests_made": [
            {
                "group": request.group.name,
                "name": request.name,
                "email": request.email,
                "phone": request.phone,
                "street": request.street,
                "postcode": request.postcode,
                "status": request.status,
                "consent_version": request.consent_version,
                "created_at": request.created_at,
                "confirmed_at": request.confirmed_at,
                "handled_at": request.handled_at,
            }
            for request in JoinRequest.objects.filter(email__iexact=email)
            .select_related("group")
            .order_by("created_at")
        ],
        "waiting_list": [
            {
                "email": entry.email,
                "area": entry.area_id,
                "created_at": entry.created_at,
                "confirmed_at": entry.confirmed_at,
                "notified_at": entry.notified_at,
            }
            for entry in WaitingListEntry.objects.filter(email__iexact=email).order_by("created_at")
        ],
        "sign_requests": [
            {
                "group": sign.group.name,
                "municipality": sign.municipality.name,
                "street": sign.street,
                "reason": sign.reason,
                "status": sign.status,
                "note": sign.note,
                "created_at": sign.created_at,
                "updated_at": sign.updated_at,
            }
            for sign in SignRequest.objects.filter(requested_by=user)
            .select_related("group", "municipality")
            .order_by("created_at")
        ],
        "broadcast_opt_out": (
            BroadcastOptOut.objects.filter(user=user).values_list("created_at", flat=True).first()
        ),
        "broadcasts_received": [
            {"subject": delivery.broadcast.subject, "created_at": delivery.created_at}
            for delivery in BroadcastDelivery.objects.filter(user=user)
            .select_related("broadcast")
            .order_by("created_at")
        ],
    }


def _elearning_data(user: User) -> dict[str, Any]:
    return {
        "lessons_read": [
            {
                "course": progress.lesson.course.title,
                "lesson": progress.lesson.title,
                "done_at": progress.done_at,
            }
            for progress in Progress.objects.filter(user=user)
            .select_related("lesson__course")
            .order_by("done_at")
        ],
        "quiz_attempts": [
            {
                "course": attempt.course.title,
                "course_version": attempt.course_version,
                "questions": attempt.question_count,
                "correct": attempt.correct_count,
                "score": attempt.score,
                "passed": attempt.passed,
                "started_at": attempt.started_at,
                "submitted_at": attempt.submitted_at,
            }
            for attempt in Attempt.objects.filter(user=user)
            .select_related("course")
            .order_by("started_at")
        ],
        "certificates": [
            {
                "course": certificate.course.title,
                "course_version": certificate.course_version,
                "code": certificate.code,
                "verify_url": _site_url(certificate.get_absolute_url()),
                "issued_at": certificate.issued_at,
                "revoked_at": certificate.revoked_at,
            }
            for certificate in Certificate.objects.filter(user=user)
            .select_related("course")
            .order_by("issued_at")
        ],
    }


def _panels_data(user: User, email: str) -> dict[str, Any]:
    named = (
        Response.objects.filter(user=user)
        .select_related("round")
        .prefetch_related("round__questions__options")
        .order_by("submitted_on")
    )
    return {
        "memberships": [
            {
                "panel": membership.panel.name,
                "status": membership.status,
                "invited_at": membership.invited_at,
                "requested_at": membership.requested_at,
                "joined_at": membership.joined_at,
                "left_at": membership.left_at,
            }
            for membership in Membership.objects.filter(user=user).select_related("panel")
        ],
        "invitations": [
            {
                "panel": invitation.panel.name,
                "created_at": invitation.created_at,
                "sent_at": invitation.sent_at,
                "expires_at": invitation.expires_at,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in PanelInvitation.objects.filter(email__iexact=email)
            .select_related("panel")
            .order_by("created_at")
        ],
        "named_responses": [
            {
                "round": response.round.title,
                "submitted_on": response.submitted_on,
                "answers": _readable_answers(response),
            }
            for response in named
        ],
        "rounds_answered": [
            participation.round.title
            for participation in Participation.objects.filter(user=user)
            .select_related("round")
            .order_by("round__opens_at")
        ],
        "anonymous_answers": str(
            _(
                "Antwoorden op anonieme rondes bewaren we zonder naam en zonder "
                "verband met u. Niemand kan ze aan u koppelen, ook wij niet. Daarom "
                "staan ze hier niet bij; 'rounds_answered' zegt alleen dat u "
                "heeft meegedaan."
            )
        ),
        "mails": [
            {"round": mail.round.title, "kind": mail.kind, "sent_at": mail.sent_at}
            for mail in PanelMail.objects.filter(user=user)
            .select_related("round")
            .order_by("sent_at")
        ],
    }


def _readable_answers(response: Response) -> list[dict[str, Any]]:
    """A named response as question text -> answer text (option ids replaced by their text)."""
    answers = []
    for question in response.round.questions.all():
        options = {option.pk: option.text for option in question.options.all()}
        value = response.answers.get(question.field_name)
        if isinstance(value, list):
            value = [options.get(_int(v), v) for v in value]
        elif options and value is not None:
            value = options.get(_int(value), value)
        answer = {"question": question.text, "answer": value}
        other = response.answers.get(question.other_field_name)
        if other:
            answer["other"] = other
        answers.append(answer)
    return answers


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _login_data(email: str) -> dict[str, Any]:
    return {
        "successful": [
            {
                "at": log.attempt_time,
                "logout_at": log.logout_time,
                "ip_address": log.ip_address,
                "user_agent": log.user_agent,
            }
            for log in AccessLog.objects.filter(username__iexact=email).order_by("attempt_time")
        ],
        "failed": [
            {
                "at": attempt.attempt_time,
                "ip_address": attempt.ip_address,
                "failures": attempt.failures_since_start,
            }
            for attempt in AccessAttempt.objects.filter(username__iexact=email).order_by(
                "attempt_time"
            )
        ],
    }


# Erasure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deletion:
    """What deleting an account did that the user should hear about."""

    groups_deactivated: list[str]


def groups_left_without_admin(user: User):
    """Groups `user` administers alone: they become inactive when the account goes."""
    others = GroupAdmin.objects.filter(group=OuterRef("pk")).exclude(user=user)
    return Group.objects.administered_by(user).exclude(Exists(others))


@transaction.atomic
def delete_account(user: User) -> Deletion:
    """Delete the account and everything that belongs to the person, in one transaction."""
    email, phone = user.email, user.phone.strip()
    # Lock the row: a concurrent request must not add data to an account being deleted.
    User.objects.select_for_update().filter(pk=user.pk).first()
    deactivated = _delete_groups_data(user, email)
    _delete_elearning_data(user)
    _delete_panels_data(user, email)
    _delete_mail(email, phone)
    _delete_login_records(email)
    _delete_admin_log(user, email)
    _end_sessions(user)
    Consent.objects.filter(user=user).delete()
    user.delete()
    return Deletion(groups_deactivated=deactivated)


def _delete_groups_data(user: User, email: str) -> list[str]:
    names = []
    for group in groups_left_without_admin(user).select_for_update(of=("self",)):
        group.deactivate()
        names.append(group.name)
    GroupAdmin.objects.filter(user=user).delete()
    JoinRequest.objects.filter(email__iexact=email).delete()
    WaitingListEntry.objects.filter(email__iexact=email).delete()
    Invitation.objects.filter(email__iexact=email).delete()
    # Invitations they sent, join requests they handled, sign requests and broadcasts
    # they made keep their group data; the link to the user is cleared (SET_NULL).
    return names


def _delete_elearning_data(user: User) -> None:
    Certificate.objects.filter(user=user).delete()
    Attempt.objects.filter(user=user).delete()
    Progress.objects.filter(user=user).delete()


def _delete_panels_data(user: User, email: str) -> None:
    # Named responses would otherwise survive with an empty user (SET_NULL) and,
    # through their date, stay linkable. Anonymous responses have no user: untouched.
    Response.objects.filter(user=user).delete()
    Participation.objects.filter(user=user).delete()
    PanelMail.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    PanelInvitation.objects.filter(email__iexact=email).delete()


def _delete_mail(email: str, phone: str) -> None:
    """Mail to the user, and mail to others that quotes them (e.g. a join request to admins)."""
    about = Q(to__iexact=email)
    for value in [email] + ([phone] if len(phone) >= MIN_PHONE_LENGTH else []):
        about |= Q(subject__icontains=value) | Q(body__icontains=value)
        about |= Q(html_body__icontains=value) | Q(last_error__icontains=value)
    OutboundEmail.objects.filter(about).delete()


def _delete_login_records(email: str) -> None:
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=email).delete()


def _delete_admin_log(user: User, email: str) -> None:
    """The board's admin history that names the user: of the account itself, and of rows
    whose description holds their address or full name (e.g. "Zoë Wisbaar – Buurtwacht")."""
    user_type = ContentType.objects.get_for_model(User)
    naming = Q(content_type=user_type, object_id=str(user.pk))
    naming |= Q(object_repr__icontains=email) | Q(change_message__icontains=email)
    if user.first_name and user.last_name:  # a first name alone would match strangers
        naming |= Q(object_repr__icontains=user.get_full_name())
    LogEntry.objects.filter(naming).delete()


def _end_sessions(user: User) -> None:
    """Log the user out everywhere. Sessions store only the user id, so each is decoded."""
    session_model = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in session_model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == user_id
    ]
    session_model.objects.filter(pk__in=ended).delete()


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
            "orphaned_groups": list(groups_left_without_admin(user).order_by("name")),
            "download_url": reverse("my_data"),
        },
    )


def deleted(request: HttpRequest) -> HttpResponse:
    """The confirmation after deleting an account (anyone may see this plain page)."""
    return render(request, "wabp/privacy/deleted.html")
