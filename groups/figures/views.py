"""The national figures page, /cijfers/."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from groups.figures.stats import all_figures


@require_GET
def figures(request):
    """Public figures: counts, per province and municipality, growth per month."""
    return render(request, "groups/figures/figures.html", all_figures())
