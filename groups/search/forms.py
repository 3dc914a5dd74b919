from django import forms
from django.utils.translation import gettext_lazy as _

from postcodes.parsing import PostcodeField


class SearchForm(forms.Form):
    postcode = PostcodeField(
        allow_area=True,
        label=_("Uw postcode"),
        help_text=_("Bijvoorbeeld 1234 AB, of alleen de vier cijfers."),
    )


class NameSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Naam van een groep of plaats"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
