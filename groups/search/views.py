"""The public side of groups: the home page, search and the group page."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db.models import IntegerField, Max, Min
from django.db.models.functions import Abs, Cast, Upper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from groups.figures.stats import headline_figures
from groups.maps.geojson import data_version
from groups.models import Group, MapVersion
from groups.search.forms import NameSearchForm, SearchForm
from postcodes.models import Area, Postcode
from postcodes.parsing import format_postcode
from wabp.pagecache import public_page

# Search: at most this many results, none further than this from the area's centre.
MAX_RESULTS = 7
MAX_DISTANCE_KM = 10
MAX_PLACES = 5
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
    reason: str  # "postcode", "area" or "distance"
    distance_km: float | None = None

    @property
    def join_url(self) -> str:
        return self.group.get_join_url()


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


@public_page(version=groups_version, params=("postcode", "q"))
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
