"""The police workspace (/politie/): the groups of an officer's area on a map and in a list,
confirming a group's registration with the police, and writing to a group's admins.

Access goes through groups.police.access: 403 for anyone who is not an officer (the board
included), 404 for a group outside the officer's area. Every page and action is logged
for the board (PoliceAccessLog). Nothing here shows an admin's e-mail address or phone
number: the officer reaches admins through the relay, and they answer if they choose.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from groups.mail import send_police_relay
from groups.maps.views import map_config, with_links
from groups.models import Coverage, Group, GroupAdmin
from groups.police.access import get_group_for_officer, log_access, officer_area, officer_request
from groups.police.forms import GroupFilterForm, PoliceRelayForm
from wabp.ratelimit import rate_limit

GROUPS_PAGE_SIZE = 25


def with_coverage_summary(groups: list[Group]) -> list[Group]:
    """Attach `coverage_count` (postcodes) and `coverage_areas` (PC4 codes) (one query)."""
    summary: dict[int, dict[str, int]] = {group.pk: {} for group in groups}
    rows = (
        Coverage.objects.filter(group__in=list(summary))
        .values("group_id", "area_id")
        .annotate(n=Count("pk"))
        .order_by("area_id")
    )
    for row in rows:
        summary[row["group_id"]][row["area_id"]] = row["n"]
    for group in groups:
        group.coverage_count = sum(summary[group.pk].values())
        group.coverage_areas = list(summary[group.pk])
    return groups


@never_cache
@login_required
@require_safe
def workspace(request):
    """The officer's area: a map of its active groups and a filtered, paginated list."""
    area = officer_area(request)
    form = GroupFilterForm(request.GET or None, area=area)
    groups = form.filter(Group.objects.active().for_listing().filter(municipality__in=area))
    page = Paginator(groups, GROUPS_PAGE_SIZE).get_page(request.GET.get("page"))
    with_coverage_summary(with_links(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    log_access(request, "workspace")
    if len(area) == 1:
        config = map_config(municipality=area[0])
    else:
        config = map_config(municipalities=[m.slug for m in area])
    return render(
        request,
        "groups/police/workspace.html",
        {
            "area": area,
            "form": form,
            "page": page,
            "groups": page.object_list,
            "query": query.urlencode(),
            "here": request.get_full_path(),
            "map_config": config,
        },
    )


def _back(request):
    """Back to the list as the officer left it (the page and filters), else its first page."""
    workspace_url = reverse("groups:police_workspace")
    back = request.POST.get("next", "")
    if back.startswith(workspace_url) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(workspace_url)


@login_required
@require_POST
def confirm(request, slug: str):
    """The officer confirms that the group is registered with the police."""
    group = get_group_for_officer(request, slug)
    with transaction.atomic():
        if group.confirm_police_registration(by=request.user):
            log_access(request, "confirm", group)
            messages.success(
                request,
                _("U heeft bevestigd dat %(name)s bij de politie is aangemeld.")
                % {"name": group.name},
            )
    return _back(request)


@login_required
@require_POST
def unconfirm(request, slug: str):
    """The officer takes back a confirmation given by mistake."""
    group = get_group_for_officer(request, slug)
    with transaction.atomic():
        if group.withdraw_police_confirmation(by=request.user):
            log_access(request, "unconfirm", group)
            messages.success(
                request,
                _("De bevestiging voor %(name)s is ingetrokken.") % {"name": group.name},
            )
    return _back(request)


@never_cache
@login_required
@sensitive_post_parameters("message")
@rate_limit("police-relay", limit=30, window=3600)
def contact(request, slug: str):
    """The officer writes to a group's admins, whose addresses the officer never sees;
    the admins' replies go to the officer's work address."""
    group = get_group_for_officer(request, slug)
    admins = [
        membership.user
        for membership in GroupAdmin.objects.filter(group=group, user__is_active=True)
        .select_related("user")
        .order_by("added_at")
    ]
    form = PoliceRelayForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and admins:
        with transaction.atomic():
            send_police_relay(
                sender=request.user,
                police_request=officer_request(request.user, group),
                group=group,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
            )
            log_access(request, "relay", group)
        messages.success(request, _("Uw bericht is verstuurd naar de beheerders van de groep."))
        return redirect("groups:police_workspace")
    log_access(request, "contact", group)
    return render(
        request,
        "groups/police/contact.html",
        {"group": group, "admins": admins, "form": form},
    )
