"""The recruitment kit: an admin prints a door letter, a flyer or a poster for their group,
in Dutch or English, with a QR code to the group's join page.

The QR code carries only the public join address, with the material named in it
(`?via=brief`): a join that came through the kit is counted for the admin
(RecruitmentTally) without cookies or anything about the resident. The materials are
print pages (a print stylesheet with the paper size), which every browser prints or saves
as PDF; see static/css/print-kit.css.
"""

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache

from groups.beheer.access import get_group_for_admin
from groups.coverage import ranges_of
from groups.models import Group, RecruitmentMaterial, RecruitmentTally
from postcodes.parsing import format_postcode
from wabp.links import absolute_url

# Shown on the paper; more ranges than this end in "and more".
MAX_RANGES = 6
LANGUAGES = ("nl", "en")


def join_address(group: Group, material: str, language: str) -> str:
    """The join page's public address for this material, in the material's language."""
    with translation.override(language):
        return absolute_url("groups:join", slug=group.slug, query={"via": material})


def qr_svg(data: str) -> SafeString:
    """The QR code as inline SVG; decorative for screen readers (the address is printed
    beside it). Sized by the stylesheet (viewBox, no width/height)."""
    svg = segno.make(data, error="m").svg_inline(omitsize=True, svgclass="qr", lineclass=None)
    # Safe: segno writes only the modules as path data; no text of `data` is in the SVG.
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308


def area_summary(group: Group) -> dict:
    """What the paper says about where the group is: its postcodes, or its postcode area."""
    ranges = [
        " – ".join(format_postcode(code) for code in part.split("–"))
        for part in ranges_of(group.coverage.values_list("postcode_id", flat=True))
    ]
    return {
        "ranges": ranges[:MAX_RANGES],
        "more_ranges": len(ranges) > MAX_RANGES,
        "area": group.area,
    }


@never_cache
@login_required
def kit(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_group_for_admin(request, slug)
    tallies = {t.material: t for t in RecruitmentTally.objects.filter(group=group)}
    materials = [
        (material, label, tallies.get(material)) for material, label in RecruitmentMaterial.choices
    ]
    return render(
        request,
        "groups/recruitment/kit.html",
        {
            "group": group,
            "section": "recruitment",
            "materials": materials,
            "total_joins": sum(t.joins for t in tallies.values()),
        },
    )


@never_cache
@login_required
def material(request: HttpRequest, slug: str, material: str) -> HttpResponse:
    group = get_group_for_admin(request, slug)
    if material not in RecruitmentMaterial.values:
        raise Http404
    language = request.GET.get("taal", "")
    if language not in LANGUAGES:
        language = translation.get_language() or "nl"
    address = join_address(group, material, language)
    with translation.override(language):
        sheet = render_to_string(
            f"groups/recruitment/_{RecruitmentMaterial(material).name.lower()}.html",
            {
                "group": group,
                "address": address,
                # Printed for typing in: without the scheme and the material.
                "typed_address": address.split("://", 1)[-1].split("?", 1)[0],
                "qr": qr_svg(address),
                **area_summary(group),
            },
        )
    return render(
        request,
        "groups/recruitment/print.html",
        {
            "group": group,
            "material": RecruitmentMaterial(material),
            "sheet": sheet,
            "sheet_language": language,
        },
    )
