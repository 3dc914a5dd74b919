"""Forms for the map, the municipality workspace, the waiting list and sign requests."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from groups.models import Coverage, Platform, SignRequest, SignRequestStatus
from postcodes.models import Municipality
from postcodes.parsing import PostcodeField


class MapFilterForm(forms.Form):
    """The map's filters; the same GET form drives the markers (JS) and the plain list."""

    postcode = PostcodeField(
        allow_area=True,
        required=False,
        label=_("Postcode"),
        help_text=_("Bijvoorbeeld 1234 AB of 1234. De kaart zoomt in op dat gebied."),
    )
    province = forms.ChoiceField(label=_("Provincie"), required=False)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    platform = forms.ChoiceField(
        label=_("Chatplatform"),
        required=False,
        choices=[("", _("Alle platforms")), *Platform.choices],
    )
    registered_with_municipality = forms.BooleanField(
        label=_("Aangemeld bij de gemeente"), required=False
    )
    registered_with_police = forms.BooleanField(label=_("Aangemeld bij de politie"), required=False)
    trained = forms.BooleanField(label=_("Beheerder heeft de training gevolgd"), required=False)

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = list(
            municipalities
            if municipalities is not None
            else Municipality.objects.order_by("name").values_list("slug", "name", "province")
        )
        provinces = sorted({province for _slug, _name, province in municipalities if province})
        self.fields["province"].choices = [
            ("", _("Alle provincies")),
            *[(p, p) for p in provinces],
        ]
        self.fields["municipality"].choices = [
            ("", _("Alle gemeenten")),
            *[(slug, name) for slug, name, _province in municipalities],
        ]

    def filter(self, groups):
        """Apply the valid filters to a Group queryset annotated by for_listing()."""
        data = self.cleaned_data
        if data.get("province"):
            groups = groups.filter(
                Q(municipality__province=data["province"])
                | Q(municipality__isnull=True, area__province=data["province"])
            )
        if data.get("municipality"):
            groups = groups.filter(municipality__slug=data["municipality"])
        if data.get("platform"):
            groups = groups.filter(platform=data["platform"])
        if data.get("registered_with_municipality"):
            groups = groups.filter(registered_with_municipality=True)
        if data.get("registered_with_police"):
            groups = groups.filter(registered_with_police=True)
        if data.get("trained"):
            groups = groups.filter(has_trained_admin=True)
        if data.get("postcode"):
            area = data["postcode"][:4]
            groups = groups.filter(
                Q(area_id=area)
                | Q(Exists(Coverage.objects.filter(group=OuterRef("pk"), area_id=area)))
            )
        return groups


class WaitingListForm(forms.Form):
    """A resident asks to hear when a group starts in their PC4 area."""

    area = PostcodeField(allow_area=True, widget=forms.HiddenInput)
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "We sturen eerst een e-mail om uw adres te bevestigen. "
            "U krijgt één bericht als er een groep start; na een jaar wissen we uw adres."
        ),
    )

    def clean_area(self) -> str:
        return self.cleaned_data["area"][:4]


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


class RelayForm(forms.Form):
    """Municipality staff write to a group's admins; replies go to the staff member."""

    subject = forms.CharField(label=_("Onderwerp"), max_length=150)
    message = forms.CharField(
        label=_("Bericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("De beheerders kunnen u rechtstreeks antwoorden op uw e-mailadres."),
    )
