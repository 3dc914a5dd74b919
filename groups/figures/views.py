"""The national figures page, /cijfers/."""

from datetime import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from groups.figures.stats import all_figures
from groups.maps.geojson import data_version
from wabp.pagecache import public_page


def figures_version(request) -> tuple[str, datetime]:
    """The groups' version and today's date: the growth chart counts back from today."""
    tag, changed_at = data_version()
    return f"{tag}:{timezone.localdate().isoformat()}", changed_at


@require_safe
@public_page(version=figures_version)
def figures(request):
    """Public figures: counts, per province and municipality, growth per month."""
    return render(request, "groups/figures/figures.html", all_figures())
