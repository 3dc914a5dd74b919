"""The public side of groups: the home page, search and the group page."""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField
from django.db.models.functions import Abs, Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from groups.figures.stats import headline_figures
from groups.maps.geojson import data_version
from groups.models import Group, MapVersion
from groups.search.forms import NameSearchForm, SearchForm
from postcodes.models import Area, Municipality, Postcode
from postcodes.parsing import format_postcode
from postcodes.places import PlaceMatch, resolve_place, search_places
from wabp.pagecache import public_page

# Search: at most this many results, none further than this from the area's centre.
MAX_RESULTS = 7
MAX_DISTANCE_KM = 10
MAX_PLACES = 8
# Name and place results: this many groups a page.
PAGE_SIZE = 20
SEARCH_CACHE_SECONDS = 60 * 60


def groups_version(request: HttpRequest, *args, **kwargs) -> tuple[str, datetime]:
    """What the home, search and group pages show changes only with groups (one query)."""
    return data_version()


@public_page(version=groups_version)
def home(request: HttpRequest) -> HttpResponse:
    """The front page: the postcode search and the headline figures."""
    # The figures change only when groups do: cached per data version, in each worker.
    headline = cache.get_or_set(MapVersion.cache_key("headline"), headline_figures, 60 * 60)
    return render(request, "wabp/home.html", {"form": SearchForm(), "headline": headline})


# Search ------------------------------------------------------------------------------------


@dataclass
class Result:
    group: Group
    reason: str  # "postcode", "area", "distance", "name" or "place"
    distance_km: float | None = None
    # Located in the searched PC4 area: "in your postcode area", not "0.0 km".
    in_searched_area: bool = False

    @property
    def join_url(self) -> str:
        return self.group.get_join_url()


@dataclass
class PostcodeSearch:
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The searched postcode (PC6) or area (PC4) as we know it, and whether a group covers it:
    # if none does, the page offers the waiting list for it.
    searched_code: str = ""
    covered: bool = False


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
    else:
        outcome.searched_code = pc6 or pc4

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
            outcome.results.append(
                Result(
                    group,
                    "distance",
                    group.distance_km,
                    in_searched_area=group.area_id == outcome.searched_code[:4],
                )
            )
    # Covering results come first, so the seven shown include any that cover.
    outcome.covered = any(
        result.reason == ("postcode" if pc6 else "area") for result in outcome.results
    )
    return outcome


@dataclass
class PlaceResult:
    match: PlaceMatch
    group_count: int

    @property
    def name(self) -> str:
        return self.match.name

    @property
    def other_municipalities(self) -> list[str]:
        """The municipalities the place lies in, when they are not named like it."""
        return [name for name in self.match.municipalities if name != self.match.name]


def with_group_counts(matches: list[PlaceMatch]) -> list[PlaceResult]:
    """The number of active groups in each place (two queries, whatever the number)."""
    if not matches:
        return []
    names = [match.name for match in matches]
    areas = list(
        Area.objects.in_any_place(names).values_list("code", "places", "municipality__name")
    )
    per_area = dict(
        Group.objects.active()
        .filter(area_id__in=[code for code, _, _ in areas])
        .order_by()
        .values_list("area_id")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(names, 0)
    for code, places, municipality in areas:
        for name in set(places) | {municipality}:
            if name in counts:
                counts[name] += per_area.get(code, 0)
    return [PlaceResult(match, counts[match.name]) for match in matches]


def _page(queryset, number) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(number)


def search_name(query: str, page_number=None) -> tuple[Page, list[PlaceResult]]:
    """A page of the active groups whose name looks like the query (pg_trgm), and the
    places (with their aliases) whose name does, each with its number of groups."""
    page = _page(Group.objects.active().for_listing().matching(query), page_number)
    page.object_list = [Result(group, "name") for group in page.object_list]
    places = with_group_counts(search_places(query, limit=MAX_PLACES))
    return page, places


def search_place(name: str, page_number=None) -> tuple[str | None, Page | None]:
    """A place's official name and a page of every active group in it (every PC4 area the
    place names, or its municipality's), by name; (None, None) for a place we do not know."""
    official = resolve_place(name)
    if official is None:
        return None, None
    groups = Group.objects.active().for_listing().in_place(official).order_by("name", "pk")
    page = _page(groups, page_number)
    page.object_list = [Result(group, "place") for group in page.object_list]
    return official, page


@public_page(version=groups_version, params=("postcode", "q", "plaats", "page"))
def search(request: HttpRequest) -> HttpResponse:
    """Find a group by postcode (`?postcode=`), by group or place name (`?q=`), or every
    group in a place (`?plaats=`); name and place results are paged (`&page=`)."""
    context: dict = {"searched": False}
    form, name_form = SearchForm(), NameSearchForm()
    page_number = request.GET.get("page")
    if "plaats" in request.GET:
        name = request.GET["plaats"].strip()[:100]
        official, page = search_place(name, page_number)
        name_form = NameSearchForm(initial={"q": official or name})
        municipality = (
            Municipality.objects.filter(name=official).only("name", "slug").first()
            if official
            else None
        )
        context.update(
            searched=True,
            place=official,
            place_asked=name,
            page=page,
            results=page.object_list if page else [],
            municipality=municipality,
            page_query=urlencode({"plaats": official or name}),
        )
    elif "q" in request.GET:
        name_form = NameSearchForm(request.GET)
        if name_form.is_valid():
            query = name_form.cleaned_data["q"]
            page, places = search_name(query, page_number)
            context.update(
                searched=True,
                query=query,
                page=page,
                results=page.object_list,
                places=places,
                page_query=urlencode({"q": query}),
            )
    else:
        form = SearchForm(request.GET or None)
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
                waitinglist_code="" if outcome.covered else outcome.searched_code,
            )
    context.update(form=form, name_form=name_form)
    return render(request, "groups/search/search.html", context)


# Group page --------------------------------------------------------------------------------


@public_page(version=groups_version)
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page of an active group: never an admin's name, e-mail or phone."""
    group = get_object_or_404(
        Group.objects.active().for_listing().select_related("register_entry"), slug=slug
    )
    return render(
        request,
        "groups/search/detail.html",
        {
            "group": group,
            "coverage_ranges": group.coverage_ranges(),
            "join_url": group.get_join_url(),
        },
    )
