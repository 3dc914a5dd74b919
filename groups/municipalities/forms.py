"""Forms of the municipality pages: staff relay messages and street-sign requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import SignRequest, SignRequestStatus


class StaffRelayForm(forms.Form):
    """Municipality staff write to a group's admins; replies go to the staff member."""

    subject = forms.CharField(label=_("Onderwerp"), max_length=150)
    message = forms.CharField(
        label=_("Bericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("De beheerders kunnen u rechtstreeks antwoorden op uw e-mailadres."),
    )


class SignRequestForm(forms.ModelForm):
    """A group admin asks the municipality for a WABP street sign."""

    class Meta:
        model = SignRequest
        fields = ["street", "reason"]
        labels = {
            "street": _("Straat en plek van het bord"),
            "reason": _("Waarom op deze plek?"),
        }
        help_texts = {
            "street": _("Bijvoorbeeld: Dorpsstraat, bij de ingang van de wijk."),
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}


class SignDecisionForm(forms.Form):
    """Municipality staff record what happens with a sign request."""

    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=[
            (SignRequestStatus.APPROVED, SignRequestStatus.APPROVED.label),
            (SignRequestStatus.DECLINED, SignRequestStatus.DECLINED.label),
            (SignRequestStatus.PLACED, SignRequestStatus.PLACED.label),
        ],
    )
    note = forms.CharField(
        label=_("Toelichting voor de beheerder"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
