"""The public side of groups: search, the group page and free registration."""

from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db.models import IntegerField, Max, Min
from django.db.models.functions import Abs, Cast, Upper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from groups.forms import GroupRegistrationForm, NameSearchForm, SearchForm
from groups.models import Group, MapVersion
from groups.services import confirm_registration, register_group, registration_for_token
from postcodes.models import Area, Postcode
from postcodes.parsing import format_postcode
from wabp.ratelimit import rate_limit

# Search: at most this many results, none further than this from the area's centre.
MAX_RESULTS = 7
MAX_DISTANCE_KM = 10
MAX_PLACES = 5
SEARCH_CACHE_SECONDS = 60 * 60
# Registration POSTs per client IP address per hour.
REGISTER_LIMIT = 10


def join_url(group: Group) -> str:
    return reverse("groups:join", kwargs={"slug": group.slug})


# Search ------------------------------------------------------------------------------------


@dataclass
class Result:
    group: Group
    reason: str  # "postcode", "area" or "distance"
    distance_km: float | None = None

    @property
    def join_url(self) -> str:
        return join_url(self.group)


@dataclass
class PostcodeSearch:
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _area_near(code: str) -> Area | None:
    """The located area whose number is closest to `code`, for a PC4 we do not know."""
    return (
        Area.objects.located()
        .annotate(gap=Abs(Cast("code", IntegerField()) - int(code)))
        .order_by("gap", "code")
        .first()
    )


def search_postcode(code: str) -> PostcodeSearch:
    """Groups covering the PC6, then covering its PC4, then nearest: at most 7, within 10 km.

    A constant number of queries, whatever the number of groups or results.
    """
    outcome = PostcodeSearch()
    pc4 = code[:4]
    pc6 = code if len(code) == 6 else ""
    if pc6 and not Postcode.objects.filter(code=pc6).exists():
        outcome.notes.append(
            _("Postcode %(postcode)s kennen we niet. We zoeken in postcodegebied %(area)s.")
            % {"postcode": format_postcode(pc6), "area": pc4}
        )
        pc6 = ""
    area = Area.objects.located().filter(code=pc4).first()
    if area is None:
        area = _area_near(pc4)
        if area is None:
            return outcome
        outcome.notes.append(
            _("Postcodegebied %(area)s kennen we niet. We zoeken rond %(near)s %(place)s.")
            % {"area": pc4, "near": area.code, "place": area.place}
        )

    groups = Group.objects.active().for_listing()
    seen: list[int] = []
    if pc6:
        for group in groups.covering(pc6)[:MAX_RESULTS]:
            outcome.results.append(Result(group, "postcode"))
            seen.append(group.pk)
    if len(outcome.results) < MAX_RESULTS and area.code == pc4:
        for group in groups.covering_area(pc4).exclude(pk__in=seen)[
            : MAX_RESULTS - len(outcome.results)
        ]:
            outcome.results.append(Result(group, "area"))
            seen.append(group.pk)
    if len(outcome.results) < MAX_RESULTS:
        nearby = groups.nearest(
            area.latitude,
            area.longitude,
            MAX_DISTANCE_KM,
            limit=MAX_RESULTS - len(outcome.results),
            exclude=seen,
        )
        for group in nearby:
            outcome.results.append(Result(group, "distance", group.distance_km))
    return outcome


def search_name(query: str) -> tuple[list[Result], list[dict]]:
    """Active groups and places whose name looks like the query (pg_trgm)."""
    groups = [
        Result(group, "name")
        for group in Group.objects.active().for_listing().matching(query)[:MAX_RESULTS]
    ]
    value = query.upper()
    places = list(
        Area.objects.located()
        .annotate(similarity=TrigramWordSimilarity(value, Upper("place")))
        .filter(similarity__gt=0.5)
        .values("place", "municipality__name")
        .annotate(code=Min("code"), best=Max("similarity"))
        .order_by("-best", "place")[:MAX_PLACES]
    )
    return groups, places


def search(request: HttpRequest) -> HttpResponse:
    """Find a group by postcode (`?postcode=`) or by group or place name (`?q=`)."""
    context: dict = {"searched": False}
    if "q" in request.GET:
        name_form = NameSearchForm(request.GET)
        form = SearchForm()
        if name_form.is_valid():
            query = name_form.cleaned_data["q"]
            results, places = search_name(query)
            context.update(
                searched=True,
                results_cache_key=MapVersion.cache_key("name", get_language(), query),
                query=query,
                results=results,
                places=places,
            )
    else:
        form = SearchForm(request.GET or None)
        name_form = NameSearchForm()
        if form.is_valid():
            postcode = form.cleaned_data["postcode"]
            # Results change only when groups do: cached per data version, in each worker.
            key = MapVersion.cache_key("search", get_language(), postcode)
            outcome = cache.get_or_set(key, lambda: search_postcode(postcode), SEARCH_CACHE_SECONDS)
            context.update(
                searched=True,
                results_cache_key=key,
                postcode=postcode,
                postcode_display=format_postcode(postcode),
                results=outcome.results,
                notes=outcome.notes,
            )
    context.update(form=form, name_form=name_form)
    return render(request, "groups/search.html", context)


# Group page --------------------------------------------------------------------------------


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page of an active group: never an admin's name, e-mail or phone."""
    group = get_object_or_404(Group.objects.active().for_listing(), slug=slug)
    return render(
        request,
        "groups/detail.html",
        {"group": group, "coverage_ranges": group.coverage_ranges(), "join_url": join_url(group)},
    )


# Registration ------------------------------------------------------------------------------


def _warnings(form: GroupRegistrationForm) -> tuple[list, list]:
    overlapping = [(group, join_url(group)) for group in form.overlapping_groups()]
    return overlapping, form.coverage_parse.ignored


@never_cache
@sensitive_post_parameters("password1", "password2", "email", "phone", "first_name", "last_name")
@rate_limit("group-register", limit=REGISTER_LIMIT)
def register(request: HttpRequest) -> HttpResponse:
    """Free registration of a group and its first admin, confirmed by e-mail.

    On the first valid POST, overlapping groups and ignored coverage are shown as a
    warning with a "register anyway" checkbox; nothing typed is lost.
    """
    initial = {}
    if request.method == "GET" and request.GET.get("postcode"):
        initial["postcode"] = request.GET["postcode"][:20]
    form = GroupRegistrationForm(request.POST or None, request=request, initial=initial)
    overlapping, ignored = [], []
    if request.method == "POST" and form.is_valid():
        overlapping, ignored = _warnings(form)
        if form.cleaned_data["confirm_overlap"] or not (overlapping or ignored):
            register_group(
                form.cleaned_data,
                area=form.area,
                coverage=form.coverage_parse.postcodes,
                existing_user=form.existing_user,
            )
            return redirect("groups:register_sent")
        # Keep the passwords in the form for the second submit.
        for name in ("password1", "password2"):
            form.fields[name].widget.render_value = True
    return render(
        request,
        "groups/register.html",
        {
            "form": form,
            "overlapping": overlapping,
            "ignored": ignored,
            "show_confirm": bool(overlapping or ignored),
            "covered_count": len(form.coverage_parse.postcodes),
        },
    )


def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/register_sent.html")


@never_cache
def register_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation mail. GET asks (mail scanners open links); POST confirms."""
    if request.method == "POST":
        group = confirm_registration(token)
    else:
        group = registration_for_token(token)
    if group is None:
        return render(request, "groups/register_confirm_failed.html", status=400)
    if request.method == "POST":
        return render(request, "groups/register_confirmed.html", {"group": group})
    return render(request, "groups/register_confirm.html", {"group": group})
