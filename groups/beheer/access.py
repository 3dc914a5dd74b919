"""Object access for group admins: one helper per object type, used by every /beheer/ view.

Anything a user may not manage answers 404, never 403, so an admin of one group
cannot even learn which other groups or requests exist. A group the board suspended
cannot be managed either: its admins see only the page that explains the suspension.
Someone who follows an old link to a public (active) group they do not administer, e.g. a
former admin, still gets a 404, with a page that says why and where to go instead.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from groups.models import Group, GroupAdmin, GroupStatus, Invitation, JoinRequest


class NotAdminOf(Http404):
    """A logged-in visitor on the admin pages of an active group they do not administer:
    the 404 page (wabp.views.not_found) explains, naming only what the public page shows."""

    explanation_template = "groups/beheer/_not_admin.html"
    title = _("U beheert deze groep niet (meer)")

    def __init__(self, group: Group):
        super().__init__(group.slug)
        self.group = group


def get_group_for_admin(request: HttpRequest, slug: str, *, suspended: bool = False) -> Group:
    """The group with this slug, if request.user is one of its admins and the board has not
    suspended it; else 404. With `suspended=True` a suspended group is returned as well,
    for the one page that tells its admins about the suspension."""
    if not request.user.is_authenticated:
        raise Http404
    groups = (
        Group.objects.administered_by(request.user)
        if suspended
        else Group.objects.manageable_by(request.user)
    )
    group = groups.select_related("area", "municipality").filter(slug=slug).first()
    if group is not None:
        return group
    public = Group.objects.filter(slug=slug, status=GroupStatus.ACTIVE).first()
    if (
        public is not None
        and not GroupAdmin.objects.filter(group=public, user=request.user).exists()
    ):
        raise NotAdminOf(public)
    raise Http404


def get_join_request_for_admin(request: HttpRequest, pk: int) -> JoinRequest:
    """A join request for one of request.user's groups, unless that group is suspended; else 404."""
    if not request.user.is_authenticated:
        raise Http404
    requests = JoinRequest.objects.for_admin(request.user).select_related("group")
    return get_object_or_404(requests, pk=pk)


def get_invitation_for_admin(request: HttpRequest, slug: str, pk: int) -> Invitation:
    """An invitation of a group request.user administers (see get_group_for_admin); else 404."""
    group = get_group_for_admin(request, slug)
    return get_object_or_404(group.invitations.select_related("group"), pk=pk)


def get_membership_for_admin(request: HttpRequest, slug: str, pk: int) -> GroupAdmin:
    """An admin membership of a group request.user administers (see get_group_for_admin);
    else 404."""
    group = get_group_for_admin(request, slug)
    return get_object_or_404(group.memberships.select_related("group", "user"), pk=pk)
