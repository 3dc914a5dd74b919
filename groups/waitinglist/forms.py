"""The waiting-list form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from postcodes.parsing import PostcodeField


class WaitingListForm(forms.Form):
    """A resident asks to hear when a group starts covering their postcode (or PC4 area)."""

    postcode = PostcodeField(
        allow_area=True,
        label=_("Uw postcode"),
        help_text=_("Bijvoorbeeld 1234 AB, of alleen de vier cijfers voor het hele gebied."),
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "We sturen eerst een e-mail om uw adres te bevestigen. "
            "U krijgt één bericht als er een groep start; na een jaar wissen we uw adres."
        ),
    )
