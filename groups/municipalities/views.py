"""Municipality pages and the staff workspace (export, relay, sign requests).

Staff access goes through one helper, `get_municipality_for_staff`: staff of another
municipality get 403, the board may look at every municipality.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from groups.export import MUNICIPALITY_COLUMNS, write_groups_csv
from groups.mail import send_municipality_relay, send_sign_decision, send_sign_request
from groups.maps.views import SLUG_PLACEHOLDER, group_url_template, map_config, with_links
from groups.models import (
    Coverage,
    Group,
    GroupAdmin,
    GroupStatus,
    MapVersion,
    SignRequest,
)
from groups.municipalities.forms import SignDecisionForm, SignRequestForm, StaffRelayForm
from groups.municipalities.gaps import (
    STATUS_LABELS,
    STATUSES,
    gap_config,
    municipality_area_facts,
    waiting_by_area,
)
from postcodes.models import Municipality, Postcode
from wabp.links import absolute_url
from wabp.ratelimit import rate_limit

STALE_AFTER = timedelta(days=365)
GROUPS_PAGE_SIZE = 25
FIGURES_CACHE_SECONDS = 60 * 60


class StaffOnly(PermissionDenied):
    """A staff page of a municipality, opened by someone who is not its staff: the 403 page
    (wabp.views.permission_denied) explains how to ask for access."""

    explanation_template = "groups/municipalities/_staff_only.html"

    def __init__(self, municipality: Municipality):
        super().__init__(municipality.slug)
        self.municipality = municipality


def get_municipality_for_staff(request, slug: str) -> Municipality:
    """The municipality, if request.user works there or is on the board; else 403 (404 if unknown).

    Reads the user as loaded for this request, so staff access the board ended is gone at once.
    """
    municipality = get_object_or_404(Municipality, slug=slug)
    if is_staff_of(request.user, municipality):
        return municipality
    raise StaffOnly(municipality)


def is_staff_of(user, municipality: Municipality) -> bool:
    return user.is_authenticated and (
        user.is_board or (user.is_municipality_staff and user.municipality_id == municipality.pk)
    )


@require_safe
def municipality_list(request):
    """Every municipality with its number of active groups (one query)."""
    municipalities = Municipality.objects.annotate(
        active_groups=Count("groups", filter=Q(groups__status=GroupStatus.ACTIVE))
    ).order_by("province", "name")
    return render(request, "groups/municipalities/list.html", {"municipalities": municipalities})


def municipality_groups(municipality) -> list[Group]:
    """The municipality's active groups with links and coverage counts (one query)."""
    return with_links(
        list(
            Group.objects.active()
            .for_listing()
            .filter(municipality=municipality)
            .annotate(coverage_count=Count("coverage", distinct=True))
            .order_by("name")
        )
    )


def _active_coverage():
    return Coverage.objects.filter(group__status=GroupStatus.ACTIVE)


@dataclass(frozen=True)
class StaleGroup:
    name: str
    detail_url: str
    last_confirmed_at: datetime | None


def municipality_figures(municipality: Municipality, stale_before: datetime) -> dict:
    """The municipality page's figures: counts, stale groups, coverage per place and per
    postcode area (5 queries).

    Everything here changes only when groups, coverage or admins do (MapVersion), so the page
    caches it per data version.
    """
    totals = (
        Group.objects.active()
        .filter(municipality=municipality)
        .aggregate(
            active_groups=Count("pk", distinct=True),
            registered_with_municipality=Count(
                "pk", distinct=True, filter=Q(registered_with_municipality=True)
            ),
            registered_with_police=Count(
                "pk", distinct=True, filter=Q(registered_with_police=True)
            ),
            trained_admins=Count(
                "admins", distinct=True, filter=Q(admins__trained_at__isnull=False)
            ),
        )
    )
    detail = group_url_template("groups:detail")
    stale = [
        StaleGroup(row["name"], detail.replace(SLUG_PLACEHOLDER, row["slug"]), row["confirmed"])
        for row in Group.objects.active()
        .filter(municipality=municipality)
        .filter(Q(last_confirmed_at__isnull=True) | Q(last_confirmed_at__lt=stale_before))
        .order_by("name", "pk")
        .values("name", "slug", confirmed=F("last_confirmed_at"))
    ]
    # One hashed set of the covered codes in the municipality's areas, not a lookup per postcode.
    covered_codes = _active_coverage().filter(area__municipality=municipality).values("postcode_id")
    places = list(
        Postcode.objects.filter(municipality=municipality)
        .values("place")
        .annotate(total=Count("code"), covered=Count("code", filter=Q(code__in=covered_codes)))
        .order_by("place")
    )
    for place in places:
        place["share"] = round(100 * place["covered"] / place["total"]) if place["total"] else 0
    total_postcodes = sum(p["total"] for p in places)
    covered_postcodes = sum(p["covered"] for p in places)
    areas = municipality_area_facts(municipality)
    return {
        **totals,
        "stale": stale,
        "places": places,
        "total_postcodes": total_postcodes,
        "covered_postcodes": covered_postcodes,
        "coverage_share": round(100 * covered_postcodes / total_postcodes)
        if total_postcodes
        else 0,
        "areas": areas,
        "area_counts": {
            status: sum(1 for area in areas if area.status == status) for status in STATUSES
        },
        # For gaps.js: public facts only (the waiting list goes to staff in the table).
        "gap_areas": [area.as_json() for area in areas],
    }


@require_safe
def municipality_detail(request, slug: str):
    """The municipality's figures (cached per data version) and one page of its groups."""
    municipality = get_object_or_404(Municipality, slug=slug)
    stale_before = timezone.now() - STALE_AFTER
    # The day is in the key too: a group turns stale with time, not only with a change.
    key = MapVersion.cache_key("municipality", municipality.pk, timezone.localdate().isoformat())
    figures = cache.get_or_set(
        key, lambda: municipality_figures(municipality, stale_before), FIGURES_CACHE_SECONDS
    )
    # Counted per row in a subquery: with a join and GROUP BY, PostgreSQL would aggregate every
    # group of the municipality before the LIMIT (the slowest query of the page, measured).
    coverage_count = Coalesce(
        Subquery(
            Coverage.objects.filter(group=OuterRef("pk"))
            .order_by()
            .values("group")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    paginator = Paginator(
        Group.objects.active()
        .for_listing()
        .filter(municipality=municipality)
        .annotate(coverage_count=coverage_count)
        .order_by("name", "pk"),
        GROUPS_PAGE_SIZE,
    )
    # The figures already counted these groups, for the same data version.
    paginator.count = figures["active_groups"]
    page = paginator.get_page(request.GET.get("page"))
    with_links(page.object_list)
    staff = is_staff_of(request.user, municipality)
    # Personal data: everyone sees the total, only staff and the board the count per area.
    waiting = waiting_by_area(municipality)
    open_sign_requests = (
        SignRequest.objects.filter(municipality=municipality, status="requested").count()
        if staff
        else 0
    )
    embed_url = absolute_url("groups:map_embed", query={"gemeente": municipality.slug})
    return render(
        request,
        "groups/municipalities/detail.html",
        {
            **figures,
            "figures_key": key,
            "municipality": municipality,
            "page": page,
            "groups": page.object_list,
            "waiting_total": sum(waiting.values()),
            "area_summary": [
                (status, label, figures["area_counts"][status])
                for status, label in STATUS_LABELS.items()
            ],
            "area_rows": [
                (area, waiting.get(area.code, 0) if staff else None) for area in figures["areas"]
            ],
            "is_staff": staff,
            "open_sign_requests": open_sign_requests,
            "embed_url": embed_url,
            "map_config": map_config(municipality=municipality),
            "gap_config": gap_config(areas=figures["gap_areas"]),
        },
    )


@never_cache
@login_required
@require_safe
def municipality_export(request, slug: str):
    """CSV of the municipality's active groups: public data plus the registration flags."""
    municipality = get_municipality_for_staff(request, slug)
    groups = municipality_groups(municipality)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wabp-groepen-{municipality.slug}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    write_groups_csv(response, groups, MUNICIPALITY_COLUMNS, delimiter=";")
    return response


@never_cache
@login_required
@sensitive_post_parameters("message")
@rate_limit("municipality-relay", limit=30, window=3600)
def municipality_relay(request, slug: str, group_slug: str):
    """Staff write to a group's admins; the admins' addresses stay hidden unless they opted in."""
    municipality = get_municipality_for_staff(request, slug)
    group = get_object_or_404(
        Group.objects.active().select_related("area"), slug=group_slug, municipality=municipality
    )
    admins = [
        membership.user
        for membership in GroupAdmin.objects.filter(group=group, user__is_active=True)
        .select_related("user")
        .order_by("added_at")
    ]
    form = StaffRelayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            send_municipality_relay(
                sender=request.user,
                municipality=municipality,
                group=group,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
            )
        messages.success(request, _("Uw bericht is verstuurd naar de beheerders van de groep."))
        return redirect("groups:municipality", slug=municipality.slug)
    return render(
        request,
        "groups/municipalities/relay.html",
        {"municipality": municipality, "group": group, "admins": admins, "form": form},
    )


@never_cache
@login_required
@require_safe
def municipality_signs(request, slug: str):
    """Sign requests for this municipality, newest first, each with a decision form."""
    municipality = get_municipality_for_staff(request, slug)
    sign_requests = list(
        SignRequest.objects.filter(municipality=municipality)
        .select_related("group", "group__area")
        .order_by("-created_at")
    )
    for sign_request in sign_requests:
        sign_request.form = SignDecisionForm(
            initial={"status": sign_request.status, "note": sign_request.note},
            prefix=f"sign-{sign_request.pk}",
        )
    return render(
        request,
        "groups/municipalities/signs.html",
        {"municipality": municipality, "sign_requests": sign_requests},
    )


@login_required
@require_POST
def municipality_sign_decide(request, slug: str, pk: int):
    municipality = get_municipality_for_staff(request, slug)
    sign_request = get_object_or_404(
        SignRequest.objects.select_related("group", "requested_by"),
        pk=pk,
        municipality=municipality,
    )
    form = SignDecisionForm(request.POST, prefix=f"sign-{sign_request.pk}")
    if not form.is_valid():
        messages.error(request, _("Kies een geldige status."))
        return redirect("groups:municipality_signs", slug=municipality.slug)
    with transaction.atomic():
        sign_request.decide(form.cleaned_data["status"], form.cleaned_data["note"])
        send_sign_decision(sign_request)
    messages.success(request, _("De aanvraag is bijgewerkt en de beheerder krijgt bericht."))
    return redirect("groups:municipality_signs", slug=municipality.slug)


@never_cache
@login_required
@rate_limit("sign-request", limit=20, window=3600)
def sign_request(request, slug: str):
    """A group's admin asks their municipality for a WABP street sign."""
    from groups.beheer.access import get_group_for_admin

    group = get_group_for_admin(request, slug)
    if group.municipality is None:
        raise Http404
    form = SignRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            new = form.save(commit=False)
            new.group, new.requested_by, new.municipality = group, request.user, group.municipality
            new.save()
            send_sign_request(new)
        messages.success(request, _("Uw aanvraag is naar de gemeente gestuurd."))
        return redirect("groups:sign_request", slug=group.slug)
    return render(
        request,
        "groups/municipalities/sign_request.html",
        {
            "group": group,
            "form": form,
            "sign_requests": SignRequest.objects.filter(group=group).order_by("-created_at"),
        },
    )
