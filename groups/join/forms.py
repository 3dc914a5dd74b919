"""The resident's join request form."""

from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from groups.models import JoinRequest, RecruitmentMaterial
from postcodes.parsing import PostcodeField
from wabp.contact import PhoneField, normalise_email


def _consent_label() -> str:
    return format_html(
        _(
            'Ik ga akkoord met de <a href="{}">huisregels</a> en de '
            '<a href="{}">privacyverklaring</a>. Mijn gegevens gaan alleen naar de '
            "beheerders van deze groep."
        ),
        reverse_lazy("page", kwargs={"slug": "huisregels"}),
        reverse_lazy("page", kwargs={"slug": "privacy"}),
    )


class JoinRequestForm(forms.ModelForm):
    postcode = PostcodeField(
        label=_("Postcode"), help_text=_("Bijvoorbeeld 1234 AB."), widget=forms.TextInput()
    )
    consent = forms.BooleanField(
        label=lazy(_consent_label, str)(),
        error_messages={
            "required": _("U kunt zich alleen aanmelden als u akkoord gaat met de huisregels.")
        },
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # Set once the resident has seen the "outside the area" warning.
    outside_ok = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # The recruitment-kit material the resident came from (`?via=` in the QR code's address).
    via = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = JoinRequest
        fields = ["name", "email", "phone", "street", "postcode"]
        field_classes = {"phone": PhoneField}
        labels = {"name": _("Uw naam"), "email": _("Uw e-mailadres")}
        help_texts = {
            "phone": _("De beheerder voegt dit nummer toe aan de chatgroep."),
            "email": _("We sturen u een link om uw aanmelding te bevestigen."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
        }

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_via(self) -> str:
        """A known material, else nothing: an odd address never stops a resident joining."""
        via = self.cleaned_data["via"]
        return via if via in RecruitmentMaterial.values else ""

    def save(self, commit=True):
        self.instance.source = self.cleaned_data.get("via", "")
        return super().save(commit=commit)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
