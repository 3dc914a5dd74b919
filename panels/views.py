"""Panel pages: rounds for members, invitations, volunteering, leaving, results for the board."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from panels.forms import (
    AnswerForm,
    EditKeyForm,
    ExistingMemberForm,
    NewMemberForm,
    initial_from_answers,
)
from panels.models import (
    AlreadyAnswered,
    Membership,
    MembershipStatus,
    PanelInvitation,
    Participation,
    Response,
    Round,
    RoundClosed,
    token_hash,
    volunteer_panels,
)
from panels.results import export_csv, question_results, response_rates
from wabp.models import Consent, User
from wabp.ratelimit import rate_limit

# Access checks: one helper per object type -------------------------------------------


def get_round_for_member(request: HttpRequest, slug: str) -> Round:
    """A round of a panel the user is an active member of; 404 for everyone else."""
    return get_object_or_404(Round.objects.for_member(request.user), slug=slug)


def get_round_for_board(request: HttpRequest, slug: str) -> Round:
    """Any round, for the board only; 404 for everyone else."""
    if not request.user.is_board:
        raise Http404
    return get_object_or_404(Round, slug=slug)


def get_membership_for_member(request: HttpRequest, panel_slug: str) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("panel").exclude(status=MembershipStatus.LEFT),
        panel__slug=panel_slug,
        user=request.user,
    )


# Members -------------------------------------------------------------------------------


@never_cache
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The member's rounds: open ones first (closing soonest first), then past ones."""
    rounds = Round.objects.for_member(request.user).with_answered_by(request.user)
    memberships = (
        Membership.objects.filter(user=request.user)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("panel")
        .order_by("panel__name")
    )
    return render(
        request,
        "panels/index.html",
        {
            "open_rounds": rounds.open().order_by("closes_at"),
            "past_rounds": rounds.closed().order_by("-closes_at"),
            "memberships": memberships,
            "can_volunteer": volunteer_panels(request.user).exists(),
        },
    )


def _round_page(request, round, *, form=None, edit_key=None, key_form=None, status=200):
    user = request.user
    has_answered = Participation.objects.filter(round=round, user=user).exists()
    if form is None and round.is_open:
        initial = {}
        if not round.is_anonymous and has_answered:
            response = round.named_response_of(user)
            initial = initial_from_answers(response.answers) if response else {}
        if round.is_open and (not has_answered or not round.is_anonymous):
            form = AnswerForm(
                round=round, questions=round.questions.prefetch_related("options"), initial=initial
            )
    if key_form is None and round.is_anonymous and has_answered and round.is_open and not edit_key:
        key_form = EditKeyForm()
    context = {
        "round": round,
        "form": form,
        "key_form": key_form,
        "edit_key": edit_key,
        "has_answered": has_answered,
        "results": question_results(round) if round.is_published else None,
        "member_view": True,
    }
    return render(request, "panels/round.html", context, status=status)


def _closed(request, round):
    return render(request, "panels/round_closed.html", {"round": round}, status=403)


@never_cache
@login_required
def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The round: introduction, the questions (or the member's answers), published results."""
    round = get_round_for_member(request, slug)
    if request.method != "POST":
        return _round_page(request, round)
    if not round.is_open:
        return _closed(request, round)
    form = AnswerForm(
        request.POST, round=round, questions=round.questions.prefetch_related("options")
    )
    edit_key = request.POST.get("edit_key", "").strip() or None
    if not form.is_valid():
        return _round_page(request, round, form=form, edit_key=edit_key)
    try:
        new_key = round.record_answers(request.user, form.answers(), edit_key=edit_key)
    except RoundClosed:
        return _closed(request, round)
    except AlreadyAnswered:
        messages.error(
            request,
            _("Deze wijzigcode klopt niet. Uw antwoorden zijn niet gewijzigd.")
            if edit_key
            else _("U heeft deze vragen al beantwoord. Wijzigen kan alleen met uw wijzigcode."),
        )
        return redirect(round)
    if new_key:
        # Shown once, in this answer only: the key is nowhere else, not in the session either.
        return render(request, "panels/answered_anonymous.html", {"round": round, "key": new_key})
    messages.success(
        request,
        _("Dank u wel! Uw antwoorden zijn opgeslagen. U kunt ze wijzigen tot de ronde sluit."),
    )
    return redirect(round)


@never_cache
@login_required
@require_POST
def round_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Anonymous round: the member's edit key opens their own answers for changing."""
    round = get_round_for_member(request, slug)
    if not round.is_open:
        return _closed(request, round)
    key_form = EditKeyForm(request.POST)
    response = None
    if (
        key_form.is_valid()
        and Participation.objects.filter(round=round, user=request.user).exists()
    ):
        key = key_form.cleaned_data["edit_key"]
        response = Response.objects.filter(round=round, edit_key_hash=token_hash(key)).first()
        if response is None:
            key_form.add_error("edit_key", _("Deze wijzigcode klopt niet."))
    if response is None:
        return _round_page(request, round, key_form=key_form, status=400)
    form = AnswerForm(
        round=round,
        questions=round.questions.prefetch_related("options"),
        initial=initial_from_answers(response.answers),
    )
    return _round_page(request, round, form=form, edit_key=key)


@login_required
def attachment(request: HttpRequest, slug: str) -> FileResponse:
    if request.user.is_board:
        round = get_round_for_board(request, slug)
    else:
        round = get_round_for_member(request, slug)
    if not round.attachment:
        raise Http404
    return FileResponse(
        round.attachment.open("rb"),
        as_attachment=True,
        filename=f"{round.slug}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave a panel at once: no more rounds and no more mail from it."""
    membership = get_membership_for_member(request, slug)
    membership.leave()
    messages.success(
        request,
        _("U bent geen lid meer van het %(panel)s. U krijgt er geen e-mail meer over.")
        % {"panel": membership.panel.display_name},
    )
    return redirect("panels:index")


@login_required
def volunteer(request: HttpRequest) -> HttpResponse:
    """Group admins (and municipality staff) ask to join their panel; the board decides."""
    panels = list(volunteer_panels(request.user))
    if request.method == "POST":
        panel = next((p for p in panels if p.slug == request.POST.get("panel")), None)
        if panel is None:
            raise Http404
        membership = Membership.volunteer(panel, request.user)
        if membership.is_active:
            messages.info(
                request, _("U bent al lid van het %(panel)s.") % {"panel": panel.display_name}
            )
        else:
            messages.success(
                request,
                _(
                    "Dank u wel! Het bestuur bekijkt uw aanmelding voor het %(panel)s. "
                    "U krijgt een e-mail zodra u bent toegelaten."
                )
                % {"panel": panel.display_name},
            )
        return redirect("panels:volunteer")
    statuses = dict(
        Membership.objects.filter(user=request.user, panel__in=panels).values_list(
            "panel_id", "status"
        )
    )
    choices = [{"panel": panel, "status": statuses.get(panel.pk)} for panel in panels]
    return render(request, "panels/volunteer.html", {"choices": choices})


# Invitations -------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password", "password1", "password2")
@rate_limit("panels-invitation", limit=20, window=3600)
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation: new people set a name and password, others log in."""
    invitation = PanelInvitation.find(token)
    if invitation is None:
        return render(request, "panels/invitation_invalid.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    context = {"invitation": invitation, "panel": invitation.panel}

    if request.user.is_authenticated:
        if request.user.email != invitation.email:
            return render(request, "panels/invitation_other_account.html", context, status=403)
        if request.method == "POST":
            return _accepted(request, invitation, request.user)
        return render(request, "panels/invitation.html", {**context, "mode": "confirm"})

    if existing is not None:
        form = ExistingMemberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = authenticate(
                request, username=existing.email, password=form.cleaned_data["password"]
            )
            if user is not None:
                login(request, user)
                return _accepted(request, invitation, user)
            form.add_error("password", _("Dit wachtwoord klopt niet."))
        return render(request, "panels/invitation.html", {**context, "mode": "login", "form": form})

    form = NewMemberForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Active at once: the invitation link already proved the address.
            user = User.objects.create_account(
                email=invitation.email,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                is_active=True,
                agreed_to=[Consent.Document.PRIVACY],
            )
            membership = invitation.accept(user)
            if membership is None:
                transaction.set_rollback(True)
        if membership is None:
            return render(request, "panels/invitation_invalid.html", status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _welcome(request, membership)
    return render(request, "panels/invitation.html", {**context, "mode": "new", "form": form})


def _accepted(request, invitation, user) -> HttpResponse:
    membership = invitation.accept(user)
    if membership is None:
        return render(request, "panels/invitation_invalid.html", status=410)
    return _welcome(request, membership)


def _welcome(request, membership) -> HttpResponse:
    messages.success(
        request,
        _("Welkom in het %(panel)s! Hieronder ziet u de rondes waaraan u kunt meedoen.")
        % {"panel": membership.panel.display_name},
    )
    return redirect("panels:index")


# The board ------------------------------------------------------------------------------


@never_cache
@login_required
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Per question counts, percentages, means and charts; response rate per panel."""
    round = get_round_for_board(request, slug)
    return render(
        request,
        "panels/results.html",
        {
            "round": round,
            "results": question_results(round),
            "rates": response_rates(round),
            "response_count": round.responses.count(),
        },
    )


@never_cache
@login_required
def results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One row per response; anonymous rounds without any identity column."""
    round = get_round_for_board(request, slug)
    response = HttpResponse(export_csv(round), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-antwoorden.csv"'
    return response
