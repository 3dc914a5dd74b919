"""Splitting a group that nears its chat platform's member limit (issue 17), under /beheer/.

GET shows the form; its POST shows what will happen; the confirmation page's POST
(`confirmed=yes`) splits (groups.split.services.split_group) and goes to the new group.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from groups.beheer.access import get_group_for_admin
from groups.coverage import ranges_of
from groups.models import GroupStatus, Platform
from groups.split.forms import SplitForm, admin_label
from groups.split.services import SplitRefused, split_group


@never_cache
@login_required
@sensitive_post_parameters("invite_email")
def split(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_admin(request, slug)
    covered = sorted(group.coverage.values_list("postcode_id", flat=True))
    context = {"group": group, "section": "split"}
    if not covered or group.status != GroupStatus.ACTIVE:
        return render(request, "groups/split/unavailable.html", {**context, "covered": covered})
    admins = list(group.admins.order_by("first_name", "pk"))
    if request.method != "POST":
        initial = {"admins": [str(request.user.pk)]}
        form = SplitForm(group=group, covered=covered, admins=admins, initial=initial)
        return render(request, "groups/split/split.html", {**context, "form": form})
    form = SplitForm(request.POST, group=group, covered=covered, admins=admins)
    if not form.is_valid():
        return render(request, "groups/split/split.html", {**context, "form": form})
    data = form.cleaned_data
    if "back" in request.POST:  # from the confirmation page: the form again, as filled in
        return render(request, "groups/split/split.html", {**context, "form": form})
    if request.POST.get("confirmed") != "yes":
        moving = data["moving"]
        return render(
            request,
            "groups/split/confirm.html",
            {
                **context,
                "form": form,
                "moving": moving,
                "moving_ranges": ranges_of(moving),
                "staying_count": len(covered) - len(moving),
                "request_count": group.join_requests.open().filter(postcode__in=moving).count(),
                "platform": Platform(data["platform"]).label,
                "new_admins": [admin_label(u) for u in data["admin_users"]],
                "staying_admins": [
                    admin_label(u) for u in admins if u not in data["leaving_users"]
                ],
            },
        )
    try:
        new_group = split_group(
            group,
            name=data["name"],
            platform=data["platform"],
            postcodes=data["moving"],
            admins=data["admin_users"],
            leaving=data["leaving_users"],
            invite_email=data["invite_email"],
            by=request.user,
        )
    except SplitRefused:
        messages.error(
            request,
            _("De postcodes of beheerders zijn intussen gewijzigd. Kijk de keuze opnieuw na."),
        )
        return redirect("groups:split", slug=group.slug)
    messages.success(
        request,
        _("%(new)s is afgesplitst van %(old)s. Vul het aantal leden van beide groepen in.")
        % {"new": new_group.name, "old": group.name},
    )
    if new_group.admins.filter(pk=request.user.pk).exists():
        return redirect("groups:manage", slug=new_group.slug)
    return redirect("groups:manage", slug=group.slug)
