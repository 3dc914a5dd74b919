"""Forms of the admin area (/beheer/)."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from wabp.contact import normalise_email


class GroupDetailsForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = [
            "name",
            "platform",
            "description",
            "street",
            "member_count",
            "registered_with_municipality",
            "registered_with_police",
        ]
        help_texts = {
            "description": _(
                "Wat doet de groep, en voor welke straten? Dit staat op de openbare pagina."
            ),
            "street": _("Niet uw eigen adres: een straat of buurt die bewoners herkennen."),
            "member_count": _("Een schatting is goed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Issue 16: whether the police confirmed the registration, or only the admin says so.
        group = self.instance
        if group.police_confirmed_at is not None:
            self.fields["registered_with_police"].help_text = _(
                "Bevestigd door de politie op %(date)s. Vinkt u dit uit, dan vervalt die "
                "bevestiging."
            ) % {"date": date_format(timezone.localtime(group.police_confirmed_at))}
        elif group.registered_with_police:
            self.fields["registered_with_police"].help_text = _(
                "Door u opgegeven; de politie heeft het (nog) niet bevestigd."
            )


class CoverageAddForm(forms.Form):
    postcodes = forms.CharField(
        label=_("Postcodes toevoegen"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Een reeks (1234 AB-1234 AZ), een heel postcodegebied (1234) of een lijst postcodes, "
            "gescheiden door komma's of op een nieuwe regel."
        ),
    )


class CoverageRemoveForm(forms.Form):
    ranges = forms.MultipleChoiceField(
        label=_("Kies wat u wilt verwijderen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    postcodes = forms.CharField(
        label=_("Of typ postcodes om te verwijderen"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ook hier kunt u een reeks, een postcodegebied of een lijst gebruiken."),
    )

    def __init__(self, *args, ranges: list[str], **kwargs):
        # Shares a page with CoverageAddForm: its own ids, same field names.
        kwargs.setdefault("auto_id", "id_remove_%s")
        super().__init__(*args, **kwargs)
        self.fields["ranges"].choices = [(r, r) for r in ranges]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("ranges") and not (cleaned.get("postcodes") or "").strip():
            raise forms.ValidationError(
                _("Kies een reeks of typ de postcodes die u wilt verwijderen."), code="empty"
            )
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres van de nieuwe beheerder"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    handover = forms.BooleanField(
        label=_("Ik draag de groep over: na acceptatie ben ik geen beheerder meer."),
        required=False,
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class NeighbourRelayForm(forms.Form):
    """An admin writes to the admins of a neighbouring group; replies go to the sender."""

    message = forms.CharField(
        label=_("Uw bericht"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "We sturen uw bericht naar de beheerders van deze groep. Zij kunnen u antwoorden "
            "per e-mail; dan zien zij uw e-mailadres."
        ),
    )
