"""The access request form of a police officer."""

from itertools import groupby

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from groups.models import is_police_mail_domain
from postcodes.models import Municipality


def allowed_domains() -> str:
    """The police's mail domains as the form names them: "…@politie.nl"."""
    return ", ".join(f"…@{domain.strip().lower()}" for domain in settings.POLICE_MAIL_DOMAINS)


class PoliceRequestForm(forms.Form):
    first_name = forms.CharField(
        label=_("Uw voornaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Uw achternaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres op het werk"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "work email"}),
    )
    team = forms.CharField(
        label=_("Uw basisteam of eenheid"),
        max_length=150,
        help_text=_("Bijvoorbeeld: Basisteam Amsterdam-Centrum."),
    )
    job_title = forms.CharField(
        label=_("Uw functie"),
        max_length=150,
        help_text=_("Bijvoorbeeld: wijkagent."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Uw gebied: de gemeenten van uw basisteam"),
        queryset=Municipality.objects.order_by("province", "name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies een of meer gemeenten; het bestuur kan het gebied nog aanpassen."),
        error_messages={"required": _("Kies ten minste één gemeente.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Het adres van de politie zelf: %(domains)s.") % {
            "domains": allowed_domains()
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if not is_police_mail_domain(email):
            raise forms.ValidationError(
                _("Dit is geen e-mailadres van de politie. Gebruik uw werkadres (%(domains)s).")
                % {"domains": allowed_domains()}
            )
        return email

    def municipalities_by_province(self) -> list[tuple[str, list, bool]]:
        """(province, its checkboxes, whether one is ticked) for the grouped list."""
        grouped = []
        for province, boxes in groupby(
            self["municipalities"], key=lambda box: box.data["value"].instance.province
        ):
            boxes = list(boxes)
            grouped.append((province, boxes, any(box.data["selected"] for box in boxes)))
        return grouped
