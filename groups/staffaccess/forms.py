"""The request form of a municipality employee."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import MunicipalityMailDomain, mail_domain_of
from postcodes.models import Municipality


def municipalities_with_mail_domain():
    """Only these can take requests: the address must be on one of their domains."""
    return Municipality.objects.filter(mail_domains__isnull=False).distinct().order_by("name")


class StaffRequestForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Ik werk bij de gemeente"),
        queryset=Municipality.objects.none(),
        to_field_name="slug",
        empty_label=_("Kies uw gemeente"),
        help_text=_(
            "Staat uw gemeente er niet bij? Dan kent het portaal haar maildomein nog niet: "
            "mail het bestuur via de contactpagina."
        ),
    )
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
        help_text=_("Het adres van de gemeente zelf, zoals naam@amsterdam.nl."),
    )
    job_title = forms.CharField(
        label=_("Uw functie of afdeling"),
        max_length=150,
        help_text=_("Bijvoorbeeld: wijkcoördinator Centrum, team Veiligheid."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_with_mail_domain()

    def clean(self):
        cleaned = super().clean()
        municipality, email = cleaned.get("municipality"), cleaned.get("email")
        if municipality is None or not email:
            return cleaned
        domains = list(
            MunicipalityMailDomain.objects.filter(municipality=municipality)
            .order_by("domain")
            .values_list("domain", flat=True)
        )
        if mail_domain_of(email) not in domains:
            self.add_error(
                "email",
                _(
                    "Dit is geen e-mailadres van de gemeente %(municipality)s. Gebruik uw "
                    "werkadres (%(domains)s)."
                )
                % {
                    "municipality": municipality.name,
                    "domains": ", ".join(f"…@{domain}" for domain in domains),
                },
            )
        return cleaned
