"""The admin area (/beheer/): an admin manages their own groups.

Every view that touches a group or a join request gets it through groups.beheer.access,
which answers 404 for anything the user does not administer.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from groups.beheer.access import (
    get_group_for_admin,
    get_invitation_for_admin,
    get_join_request_for_admin,
    get_membership_for_admin,
)
from groups.beheer.forms import (
    CoverageAddForm,
    CoverageRemoveForm,
    GroupDetailsForm,
    InvitationForm,
    NeighbourRelayForm,
)
from groups.coverage import (
    MAX_COVERAGE_KM,
    MAX_COVERAGE_POSTCODES,
    coverage_for_the_board,
    parse_coverage,
    ranges_of,
)
from groups.mail import (
    send_invitation,
    send_join_decision,
    send_relay_message,
    withdraw_join_decision,
)
from groups.models import (
    DECLINE_UNDO_WINDOW,
    DeactivationReason,
    Group,
    GroupAdmin,
    GroupStatus,
    Invitation,
    InvitationProblem,
    JoinRequestStatus,
)
from groups.tokens import reconfirm_link
from wabp.links import signup_link
from wabp.ratelimit import is_limited, too_many_requests

# Neighbouring groups: located within this distance of the group's area centroid.
NEIGHBOUR_KM = 3.0
MAX_NEIGHBOURS = 30
# Per admin per day: relay messages and invitations (stops the portal being used to spam).
RELAYS_PER_DAY = 5
INVITATIONS_PER_DAY = 10
# Handled requests stay visible to the admins until they are deleted.
HANDLED_VISIBLE_DAYS = 30


def _confirmed(request: HttpRequest) -> bool:
    """Whether this POST is the second step of an action that asks first: the confirmation
    page's button sends `confirmed=yes`; the first POST only shows what will happen."""
    return request.POST.get("confirmed") == "yes"


@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """My groups, each with the number of requests waiting for an admin."""
    groups = (
        Group.objects.administered_by(request.user)
        .select_related("area")
        .annotate(
            open_requests=Count(
                "join_requests",
                filter=Q(join_requests__status=JoinRequestStatus.PENDING),
                distinct=True,
            )
        )
        .order_by("name")
    )
    return render(request, "groups/beheer/dashboard.html", {"groups": groups})


@never_cache
@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's overview; for a suspended group, the page that explains the suspension."""
    group = get_group_for_admin(request, slug, suspended=True)
    if group.status == GroupStatus.SUSPENDED:
        return render(request, "groups/beheer/suspended.html", {"group": group})
    open_requests = group.join_requests.awaiting_admin().count()
    return render(
        request,
        "groups/beheer/manage.html",
        {"group": group, "open_requests": open_requests, "section": "manage"},
    )


@never_cache
@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_admin(request, slug)
    form = GroupDetailsForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("De gegevens van de groep zijn opgeslagen."))
        return redirect("groups:manage", slug=group.slug)
    return render(
        request, "groups/beheer/edit.html", {"group": group, "form": form, "section": "edit"}
    )


# Coverage --------------------------------------------------------------------------


def _coverage_page(request, group, *, add_form=None, remove_form=None, report=None):
    ranges = group.coverage_ranges()
    claims = [(claim, ranges_of(claim.postcodes)) for claim in group.coverage_claims.pending()]
    return render(
        request,
        "groups/beheer/coverage.html",
        {
            "group": group,
            "ranges": ranges,
            "covered_count": group.coverage.count(),
            "add_form": add_form or CoverageAddForm(),
            "remove_form": remove_form or CoverageRemoveForm(ranges=ranges),
            "report": report,
            "claims": claims,
            "max_km": MAX_COVERAGE_KM,
            "max_postcodes": MAX_COVERAGE_POSTCODES,
            "section": "coverage",
        },
    )


@never_cache
@login_required
def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the coverage; POST adds postcodes and reports what was added, what went to the
    board (too far or too many) and what was ignored."""
    group = get_group_for_admin(request, slug)
    if request.method != "POST":
        return _coverage_page(request, group)
    form = CoverageAddForm(request.POST)
    if not form.is_valid():
        return _coverage_page(request, group, add_form=form)
    parsed = parse_coverage(form.cleaned_data["postcodes"])
    outcome = group.claim_coverage(parsed.postcodes, by=request.user)
    report = {
        "action": "add",
        "added": len(outcome.added),
        "added_ranges": ranges_of(outcome.added),
        "unchanged": len(outcome.unchanged),
        "ignored": parsed.ignored,
        "to_board": coverage_for_the_board(outcome),
    }
    return _coverage_page(request, group, report=report)


@never_cache
@login_required
@require_POST
def coverage_remove(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_admin(request, slug)
    form = CoverageRemoveForm(request.POST, ranges=group.coverage_ranges())
    if not form.is_valid():
        return _coverage_page(request, group, remove_form=form)
    text = "\n".join([*form.cleaned_data["ranges"], form.cleaned_data["postcodes"]])
    parsed = parse_coverage(text)
    to_remove = group.coverage.filter(postcode_id__in=parsed.postcodes)
    if not _confirmed(request):
        postcodes = sorted(to_remove.values_list("postcode_id", flat=True))
        return render(
            request,
            "groups/beheer/coverage_remove_confirm.html",
            {
                "group": group,
                "form": form,
                "postcodes": postcodes,
                "remove_ranges": ranges_of(postcodes),
                "remaining": group.coverage.count() - len(postcodes),
                "ignored": parsed.ignored,
                "section": "coverage",
            },
        )
    removed = group.remove_coverage(parsed.postcodes, by=request.user)
    report = {
        "action": "remove",
        "removed": removed,
        "unchanged": len(parsed.postcodes) - removed,
        "ignored": parsed.ignored,
    }
    return _coverage_page(request, group, report=report)


# Join requests ---------------------------------------------------------------------


@never_cache
@login_required
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    """Requests waiting for an admin, and those handled recently."""
    group = get_group_for_admin(request, slug)
    waiting = group.join_requests.awaiting_admin().order_by("confirmed_at")
    handled = (
        group.join_requests.filter(
            handled_at__gte=timezone.now() - timedelta(days=HANDLED_VISIBLE_DAYS)
        )
        .select_related("handled_by")
        .order_by("-handled_at")
    )
    return render(
        request,
        "groups/beheer/requests.html",
        {
            "group": group,
            "waiting": waiting,
            "handled": handled,
            "undoable": set(group.join_requests.undoable_declines().values_list("pk", flat=True)),
            "section": "requests",
        },
    )


def _decide(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    with transaction.atomic():
        join_request = get_join_request_for_admin(request, pk)
        join_request = type(join_request).objects.select_for_update().get(pk=join_request.pk)
        done = (
            join_request.accept(by=request.user)
            if accept
            else join_request.decline(by=request.user)
        )
        if done:
            send_join_decision(join_request)
    if not done:
        messages.info(request, _("Deze aanmelding was al afgehandeld."))
    elif accept:
        messages.success(
            request,
            _("Aanmelding van %(name)s geaccepteerd. Voeg %(name)s nu toe aan de chat.")
            % {"name": join_request.name},
        )
    else:
        messages.success(
            request,
            _(
                "Aanmelding van %(name)s afgewezen. Vergist? Tot %(until)s kunt u dit hieronder "
                "bij 'Afgehandeld' ongedaan maken; pas daarna krijgt de bewoner een e-mail."
            )
            % {
                "name": join_request.name,
                "until": date_format(
                    timezone.localtime(join_request.decline_undoable_until), "j F H:i"
                ),
            },
        )
    return redirect("groups:requests", slug=join_request.group.slug)


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=True)


@never_cache
@login_required
@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline: the first POST shows what will happen, the confirmation page's POST declines."""
    if _confirmed(request):
        return _decide(request, pk, accept=False)
    join_request = get_join_request_for_admin(request, pk)
    if join_request.status != JoinRequestStatus.PENDING:
        messages.info(request, _("Deze aanmelding was al afgehandeld."))
        return redirect("groups:requests", slug=join_request.group.slug)
    return render(
        request,
        "groups/beheer/request_decline_confirm.html",
        {
            "group": join_request.group,
            "join_request": join_request,
            "undo_hours": int(DECLINE_UNDO_WINDOW.total_seconds() // 3600),
            "section": "requests",
        },
    )


@login_required
@require_POST
def request_undo_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a request declined less than a day ago back in the waiting list; its decline
    mail, not sent yet, is withdrawn."""
    with transaction.atomic():
        join_request = get_join_request_for_admin(request, pk)
        join_request = type(join_request).objects.select_for_update().get(pk=join_request.pk)
        done = join_request.undo_decline(by=request.user)
        if done:
            withdraw_join_decision(join_request)
    if done:
        messages.success(
            request,
            _(
                "De aanmelding van %(name)s wacht weer op een besluit. De bewoner merkt er niets van."
            )
            % {"name": join_request.name},
        )
    else:
        messages.info(request, _("Deze afwijzing kan niet meer ongedaan worden gemaakt."))
    return redirect("groups:requests", slug=join_request.group.slug)


# Admins, invitations and handover ---------------------------------------------------


@never_cache
@login_required
@sensitive_post_parameters("email")
def admins(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_admin(request, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_limited("invite:user", str(request.user.pk), limit=INVITATIONS_PER_DAY, window=86400):
            return too_many_requests(request)
        with transaction.atomic():
            invitation = Invitation.objects.create(
                group=group,
                email=form.cleaned_data["email"],
                handover=form.cleaned_data["handover"],
                invited_by=request.user,
            )
            send_invitation(invitation)
        messages.success(
            request,
            _("We hebben een uitnodiging gestuurd naar %(email)s.") % {"email": invitation.email},
        )
        return redirect("groups:admins", slug=group.slug)
    memberships = group.memberships.select_related("user").order_by("added_at")
    invitations = group.invitations.open().order_by("created_at")
    return render(
        request,
        "groups/beheer/admins.html",
        {
            "group": group,
            "memberships": memberships,
            "invitations": invitations,
            "form": form,
            "section": "admins",
        },
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invitation = get_invitation_for_admin(request, slug, pk)
    if invitation.revoke(by=request.user):
        messages.success(
            request,
            _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email},
        )
    else:
        messages.info(request, _("Deze uitnodiging was al gebruikt of ingetrokken."))
    return redirect("groups:admins", slug=invitation.group.slug)


@never_cache
@login_required
def admin_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a co-admin: GET asks for confirmation (no JavaScript needed), POST removes."""
    membership = get_membership_for_admin(request, slug, pk)
    group, admin = membership.group, membership.user
    if admin == request.user:
        return redirect("groups:step_down", slug=group.slug)
    if request.method == "POST":
        if group.remove_admin(admin, by=request.user):
            messages.success(
                request,
                _("%(name)s is geen beheerder meer van deze groep.") % {"name": admin.first_name},
            )
        else:
            messages.error(request, _("Een groep heeft altijd minstens één beheerder."))
        return redirect("groups:admins", slug=group.slug)
    return render(
        request,
        "groups/beheer/admin_remove.html",
        {"group": group, "admin": admin, "section": "admins"},
    )


@never_cache
@login_required
def step_down(request: HttpRequest, slug: str) -> HttpResponse:
    """Stop as admin yourself: GET asks for confirmation, POST stops. Never the last admin."""
    group = get_group_for_admin(request, slug)
    others = group.memberships.exclude(user=request.user).exists()
    if request.method == "POST" and others:
        if group.remove_admin(request.user, by=request.user):
            messages.success(
                request, _("U bent geen beheerder meer van %(group)s.") % {"group": group.name}
            )
            return redirect("groups:dashboard")
        others = False  # the others stepped down meanwhile
    return render(
        request,
        "groups/beheer/step_down.html",
        {"group": group, "others": others, "section": "admins"},
    )


def _invitation_refused(request: HttpRequest, invitation, problem) -> HttpResponse:
    if problem == InvitationProblem.OTHER_ADDRESS:
        return render(
            request,
            "groups/beheer/invitation_other_address.html",
            {"invitation": invitation},
            status=403,
        )
    return render(
        request,
        "groups/beheer/invitation_invalid.html",
        {"reason": problem.label if problem else ""},
        status=404,
    )


@never_cache
@require_safe
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation mail: log in (or sign up) with the invited address, then
    accept with a button.

    The button posts the token in the request body to `invitation_accept`, whose path holds
    no token; this page answers GET only. (Its own path does hold the token and appears in
    gunicorn's access log; the token alone is of no use to anyone but the invited address's
    account holder, and it stops working once used, revoked or expired.)
    """
    invitation = Invitation.find(token)
    if invitation is None:
        return _invitation_refused(request, None, None)
    user = request.user if request.user.is_authenticated else None
    problem = invitation.problem(user)
    if (
        problem is not None
        and user is not None
        and invitation.group.admins.filter(pk=user.pk).exists()
    ):
        # Following the link again after accepting it: the group is theirs already.
        messages.info(request, _("U bent al beheerder van deze groep."))
        return redirect("groups:manage", slug=invitation.group.slug)
    if problem is not None:
        return _invitation_refused(request, invitation, problem)
    return render(
        request,
        "groups/beheer/invitation.html",
        {
            "invitation": invitation,
            "token": token,
            "signup_url": signup_link(request.path, invitation.email),
        },
    )


@never_cache
@login_required
@require_POST
@sensitive_post_parameters("token")
def invitation_accept(request: HttpRequest) -> HttpResponse:
    """Accept an invitation: the token comes in the POST body, never in the path."""
    found = Invitation.find(request.POST.get("token", ""))
    if found is None:
        return _invitation_refused(request, None, None)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("group").get(pk=found.pk)
        problem = invitation.problem(request.user)
        if problem is None:
            invitation.accept(request.user)
    if problem is not None:
        return _invitation_refused(request, invitation, problem)
    messages.success(
        request,
        _("U bent nu beheerder van %(group)s.") % {"group": invitation.group.name},
    )
    return redirect("groups:manage", slug=invitation.group.slug)


# Status and freshness -------------------------------------------------------------


@never_cache
@login_required
@require_POST
def status(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark the group inactive, or active again."""
    group = get_group_for_admin(request, slug)
    action = request.POST.get("action")
    confirm_first = group.status in (GroupStatus.ACTIVE, GroupStatus.PENDING)
    if action == "deactivate" and confirm_first and not _confirmed(request):
        return render(
            request,
            "groups/beheer/deactivate_confirm.html",
            {
                "group": group,
                "open_requests": group.join_requests.awaiting_admin().count(),
                "section": "manage",
            },
        )
    if action == "deactivate" and group.deactivate():
        messages.success(request, _("De groep staat nu op niet actief en is niet meer te vinden."))
    elif action == "reconfirm" and group.status == GroupStatus.ACTIVE and group.reconfirm():
        messages.success(request, _("Bedankt! De groep blijft actief."))
    elif action == "reactivate" and group.reactivate():
        messages.success(request, _("De groep is weer actief en staat weer op de kaart."))
    return redirect("groups:manage", slug=group.slug)


@never_cache
def reconfirm(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click "still active?" link: no login needed; GET asks, POST confirms."""
    link = reconfirm_link(token)
    if link is None:
        raise Http404
    group = link.group
    done = request.method == "POST" and link.current and group.reconfirm()
    return render(
        request,
        "groups/beheer/reconfirm.html",
        {
            "group": group,
            "done": done,
            "current": link.current,
            "stopped": group.status == GroupStatus.INACTIVE
            and group.deactivation_reason != DeactivationReason.UNANSWERED,
        },
    )


# Neighbouring groups ---------------------------------------------------------------


def _neighbours(group: Group):
    area = group.area
    if area.latitude is None or area.longitude is None:
        candidates = Group.objects.active().filter(area=area).order_by("name")
    else:
        candidates = Group.objects.active().near(area.latitude, area.longitude, NEIGHBOUR_KM)
    first_names = Prefetch(
        "memberships",
        queryset=GroupAdmin.objects.select_related("user")
        .only("group_id", "user__first_name")
        .order_by("added_at"),
        to_attr="admin_list",
    )
    return (
        candidates.exclude(pk=group.pk)
        .select_related("area")
        .prefetch_related(first_names)[:MAX_NEIGHBOURS]
    )


@never_cache
@login_required
def neighbours(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_admin(request, slug)
    return render(
        request,
        "groups/beheer/neighbours.html",
        {"group": group, "neighbours": _neighbours(group), "section": "neighbours"},
    )


@never_cache
@login_required
@sensitive_post_parameters("message")
def relay(request: HttpRequest, slug: str, neighbour_slug: str) -> HttpResponse:
    """Send a message to a neighbouring group's admins; the page never shows an address."""
    group = get_group_for_admin(request, slug)
    neighbour = next((n for n in _neighbours(group) if n.slug == neighbour_slug), None)
    if neighbour is None:
        raise Http404
    form = NeighbourRelayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_limited("relay:user", str(request.user.pk), limit=RELAYS_PER_DAY, window=86400):
            return too_many_requests(request)
        send_relay_message(
            sender=request.user,
            from_group=group,
            to_group=neighbour,
            message=form.cleaned_data["message"],
        )
        messages.success(
            request,
            _("Uw bericht is verstuurd naar de beheerders van %(group)s.")
            % {"group": neighbour.name},
        )
        return redirect("groups:neighbours", slug=group.slug)
    return render(
        request,
        "groups/beheer/relay.html",
        {"group": group, "neighbour": neighbour, "form": form, "section": "neighbours"},
    )
