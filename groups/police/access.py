"""Object access for police officers: one helper per object type, used by every /politie/ view.

An officer sees the groups of their area: the municipalities of their approved access
requests (`police_area`), read per request, so access the board ended is gone at once.
Anyone else gets 403 with a page that explains how to ask for access; the board too,
which sees the officers' access log in the admin instead. A group outside the officer's
area answers 404, so an officer cannot learn which groups elsewhere exist beyond what the
public pages show.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from groups.models import Group, PoliceAccessLog, PoliceRequest, police_area
from postcodes.models import Municipality


class PoliceOnly(PermissionDenied):
    """A page of the police workspace, opened by someone who is not an officer (or no longer
    one): the 403 page (wabp.views.permission_denied) explains how to ask for access."""

    explanation_template = "groups/police/_police_only.html"


def officer_area(request: HttpRequest) -> list[Municipality]:
    """The municipalities request.user covers as a police officer, by name; else 403."""
    area = list(police_area(request.user).order_by("name"))
    if not area:
        raise PoliceOnly
    return area


def get_group_for_officer(request: HttpRequest, slug: str) -> Group:
    """An active group in request.user's area; 403 for a non-officer, 404 outside the area."""
    area = officer_area(request)
    group = (
        Group.objects.active()
        .select_related("area", "municipality")
        .filter(slug=slug, municipality__in=area)
        .first()
    )
    if group is None:
        raise Http404
    return group


def officer_request(user, group: Group) -> PoliceRequest | None:
    """The approved request that gives `user` access to `group` (its team and work address)."""
    return (
        PoliceRequest.objects.approved_for(user)
        .filter(municipalities=group.municipality_id)
        .order_by("-decided_at", "-pk")
        .first()
    )


def log_access(request: HttpRequest, action: str, group: Group | None = None) -> None:
    """One row in the board's log of the workspace: who saw or did what, and when."""
    PoliceAccessLog.objects.create(
        user=request.user, action=action, path=request.get_full_path()[:300], group=group
    )
