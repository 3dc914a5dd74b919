from django.shortcuts import render

from groups.forms import SearchForm
from postcodes.parsing import format_postcode


def search(request):
    """Validate the postcode and echo it; the group results build on this."""
    form = SearchForm(request.GET or None)
    postcode = form.cleaned_data["postcode"] if form.is_valid() else None
    return render(
        request,
        "groups/search.html",
        {
            "form": form,
            "postcode": postcode,
            "postcode_display": postcode and format_postcode(postcode),
        },
    )
