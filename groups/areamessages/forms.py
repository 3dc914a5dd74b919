"""The area message form: the message, why it is needed, how long it is valid, and the area."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groups.areamessages.delivery import (
    MAX_AREAS,
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    VALIDITY_CHOICES,
    Sender,
    areas_within,
)
from postcodes.models import Area, Postcode
from postcodes.parsing import PostcodeField, parse_postcode

AREAS = "areas"
RADIUS = "radius"
RADIUS_CHOICES = [
    (Decimal(km), f"{km.replace('.', ',')} km") for km in ("0.5", "1", "1.5", "2", "3", "4", "5")
]
assert RADIUS_CHOICES[0][0] == MIN_RADIUS_KM and RADIUS_CHOICES[-1][0] == MAX_RADIUS_KM

_SEPARATORS = re.compile(r"[\s,;]+")


class AreaMessageForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=150)
    body = forms.CharField(
        label=_("Bericht"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Gewone tekst, hoogstens 2000 tekens. Schrijf het zo dat een beheerder het zo in de "
            "chat kan zetten. Geen namen of andere gegevens van verdachten of slachtoffers."
        ),
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Waarom is dit bericht nodig? De beheerders en het bestuur lezen het; het bestuur "
            "ziet elk bericht."
        ),
    )
    reference = forms.CharField(
        label=_("Kenmerk"),
        max_length=100,
        help_text=_("Bijvoorbeeld een registratienummer: BVH/2026/123456."),
    )
    validity = forms.TypedChoiceField(
        label=_("Geldig"),
        choices=VALIDITY_CHOICES,
        coerce=int,
        initial=24,
        help_text=_("Daarna geven de beheerders het bericht niet meer door."),
    )
    area_mode = forms.ChoiceField(
        label=_("Gebied"),
        choices=[
            (AREAS, _("Postcodegebieden")),
            (RADIUS, _("Een straal rond een postcode")),
        ],
        initial=AREAS,
        widget=forms.RadioSelect,
    )
    areas = forms.CharField(
        label=_("Postcodegebieden"),
        required=False,
        max_length=1000,
        help_text=_("De vier cijfers, gescheiden door komma's: bijvoorbeeld 1011, 1012."),
    )
    centre_postcode = PostcodeField(
        label=_("Rond postcode"),
        allow_area=True,
        required=False,
        help_text=_("Een postcode (1011 AB) of postcodegebied (1011)."),
    )
    radius_km = forms.TypedChoiceField(
        label=_("Straal"),
        choices=[("", _("Kies een straal")), *RADIUS_CHOICES],
        coerce=Decimal,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, sender: Sender, **kwargs):
        super().__init__(*args, **kwargs)
        self.sender = sender
        self.fields["areas"].help_text = _(
            "De vier cijfers, gescheiden door komma's: bijvoorbeeld 1011, 1012. Alleen "
            "gebieden in %(area)s."
        ) % {"area": sender.area_label}

    def clean_areas(self) -> list[str]:
        text = self.cleaned_data["areas"].strip()
        if not text:
            return []
        codes, wrong = [], []
        for token in filter(None, _SEPARATORS.split(text)):
            try:
                parsed = parse_postcode(token, allow_area=True)
            except ValidationError:
                wrong.append(token)
                continue
            if not parsed.is_area:
                wrong.append(token)
            elif parsed.area not in codes:
                codes.append(parsed.area)
        if wrong:
            raise ValidationError(
                _("Vul postcodegebieden in als vier cijfers; dit klopt niet: %(wrong)s.")
                % {"wrong": ", ".join(wrong[:10])}
            )
        if len(codes) > MAX_AREAS:
            raise ValidationError(
                _("Kies hoogstens %(max)d postcodegebieden.") % {"max": MAX_AREAS}
            )
        known = dict(Area.objects.filter(code__in=codes).values_list("code", "municipality_id"))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(
                _("Deze postcodegebieden kennen we niet: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            )
        outside = [code for code in codes if known[code] not in self.sender.municipality_ids]
        if outside:
            raise ValidationError(
                _(
                    "Deze postcodegebieden liggen buiten uw gebied (%(area)s): %(codes)s. "
                    "U kunt alleen berichten sturen in uw eigen gebied."
                )
                % {"area": self.sender.area_label, "codes": ", ".join(outside)}
            )
        return sorted(codes)

    def clean(self):
        data = super().clean()
        mode = data.get("area_mode")
        if mode == AREAS:
            if "areas" in data and not data["areas"]:
                self.add_error("areas", _("Vul minstens één postcodegebied in."))
            data["area_codes"] = data.get("areas") or []
            data["centre_postcode"], data["radius_km"] = "", None
        elif mode == RADIUS:
            if "centre_postcode" in data and not data["centre_postcode"]:
                self.add_error(
                    "centre_postcode", _("Vul de postcode in waar de straal omheen ligt.")
                )
            if data.get("radius_km") is None and "radius_km" not in self.errors:
                self.add_error("radius_km", _("Kies een straal."))
            centre = self._centre(data.get("centre_postcode"))
            if centre is not None and data.get("radius_km") is not None:
                data["area_codes"] = sorted(
                    areas_within(
                        centre, float(data["radius_km"]), self.sender.municipality_ids
                    ).values_list("code", flat=True)
                )
        return data

    def _centre(self, code: str | None) -> Area | None:
        """The PC4 area around whose centre the radius lies, if the postcode is the sender's."""
        if not code:
            return None
        if len(code) == 6:
            postcode = Postcode.objects.select_related("area").filter(code=code).first()
            area = postcode.area if postcode else None
            municipality_id = (postcode.municipality_id or area.municipality_id) if area else None
        else:
            area = Area.objects.filter(code=code).first()
            municipality_id = area.municipality_id if area else None
        if area is None:
            self.add_error("centre_postcode", _("Deze postcode kennen we niet."))
            return None
        if municipality_id not in self.sender.municipality_ids:
            self.add_error(
                "centre_postcode",
                _("Deze postcode ligt buiten uw gebied (%(area)s).")
                % {"area": self.sender.area_label},
            )
            return None
        if area.latitude is None or area.longitude is None:
            self.add_error(
                "centre_postcode",
                _("Van deze postcode weten we niet precies waar hij ligt. Kies postcodegebieden."),
            )
            return None
        return area
