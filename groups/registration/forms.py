"""The group registration form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groups.coverage import CoverageParse, CoveragePlan, parse_coverage, plan_coverage
from groups.models import MAX_MEMBER_COUNT, Group, Platform
from postcodes.models import Area
from postcodes.parsing import PostcodeField
from wabp.contact import PhoneField, normalise_email
from wabp.forms import NewPasswordForm, check_new_password
from wabp.models import User


class GroupRegistrationForm(forms.Form):
    """Register a group and its first admin. The view runs groups.registration.services.register_group."""

    # The admin ---------------------------------------------------------------------------
    first_name = forms.CharField(
        label=_("Uw voornaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Uw achternaam"),
        max_length=150,
        help_text=_("Alleen het bestuur ziet uw achternaam."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        help_text=_(
            "Hier sturen we de bevestiging naartoe. Heeft u al een account? "
            "Vul dan ook uw bestaande wachtwoord in; de groep komt bij uw account."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(
        dutch_mobile=True,
        label=_("Uw mobiele nummer"),
        help_text=_("Bijvoorbeeld 06 12345678. We tonen uw nummer nooit op de website."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    password1 = NewPasswordForm.base_fields["password1"]
    password2 = NewPasswordForm.base_fields["password2"]

    # The group ---------------------------------------------------------------------------
    name = forms.CharField(
        label=_("Naam van de groep"),
        max_length=120,
        help_text=_("Bijvoorbeeld: Buurtpreventie Vogelwijk."),
    )
    platform = forms.ChoiceField(
        label=_("Chatplatform"), choices=Platform.choices, initial=Platform.WHATSAPP
    )
    postcode = PostcodeField(
        label=_("Postcode van de buurt"),
        help_text=_(
            "Een postcode in het midden van uw buurt, bijvoorbeeld 1234 AB. "
            "Op de website tonen we alleen het postcodegebied (de vier cijfers)."
        ),
    )
    street = forms.CharField(
        label=_("Straat of buurt (niet verplicht)"),
        max_length=120,
        required=False,
        help_text=_("Geen huisnummer: dit is openbaar."),
    )
    coverage = forms.CharField(
        label=_("Postcodes die de groep dekt (niet verplicht)"),
        required=False,
        max_length=20000,
        help_text=_(
            "Zo vinden buurtbewoners uw groep op hun eigen postcode. U kunt een reeks invullen "
            "(1234 AB-1234 AZ), een heel postcodegebied (1234) of een lijst plakken. "
            "U kunt dit later ook aanvullen."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    registered_with_municipality = forms.BooleanField(
        label=_("De groep is aangemeld bij de gemeente"), required=False
    )
    registered_with_police = forms.BooleanField(
        label=_("De groep is aangemeld bij de politie (wijkagent)"), required=False
    )
    member_count = forms.IntegerField(
        label=_("Aantal leden, ongeveer (niet verplicht)"),
        required=False,
        min_value=1,
        max_value=MAX_MEMBER_COUNT,
    )

    # Consent, overlap, anti-spam ---------------------------------------------------------
    consent_privacy = forms.BooleanField(
        label=_("Ik ga akkoord met de privacyverklaring"),
        error_messages={"required": _("Zonder uw akkoord kunnen we de groep niet registreren.")},
    )
    consent_house_rules = forms.BooleanField(
        label=_("Ik ga akkoord met de huisregels"),
        error_messages={"required": _("Zonder uw akkoord kunnen we de groep niet registreren.")},
    )
    confirm_overlap = forms.BooleanField(
        label=_("Ik heb dit gezien, toch registreren"), required=False
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area: Area | None = None
        self.coverage_parse = CoverageParse(postcodes=[], ignored=[])

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_postcode(self) -> str:
        code = self.cleaned_data["postcode"]
        self.area = Area.objects.filter(code=code[:4]).select_related("municipality").first()
        if self.area is None:
            raise ValidationError(
                _("Dit postcodegebied kennen we niet. Controleer de postcode."), code="unknown"
            )
        return code

    def clean_coverage(self) -> str:
        text = self.cleaned_data["coverage"]
        if text.strip():
            self.coverage_parse = parse_coverage(text)
        return text

    def coverage_plan(self) -> CoveragePlan:
        """What the group will cover at once and what goes to the board (a preview: the
        model decides again when the group is made). Call after is_valid()."""
        return plan_coverage(self.area, self.coverage_parse.postcodes)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("Dit formulier kon niet worden verstuurd."), code="honeypot")
        # The same checks whether or not the address has an account: the form's answer must not
        # tell (register_group decides, after the form, and mails the address's owner).
        candidate = User(
            email=data.get("email") or "",
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        check_new_password(self, data, candidate)
        return data

    def overlapping_groups(self) -> list[Group]:
        """Active groups the new one may duplicate: shared postcodes, or a similar name in
        the same PC4 area. Call after is_valid()."""
        codes = [*self.coverage_parse.postcodes, self.cleaned_data["postcode"]]
        sharing = list(Group.objects.active().sharing_coverage(codes).select_related("area")[:10])
        similar = (
            Group.objects.active().filter(area=self.area).similar_name(self.cleaned_data["name"])
        )
        seen = {group.pk for group in sharing}
        return sharing + [g for g in similar.select_related("area")[:10] if g.pk not in seen]
