"""The map filter form."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from groups.models import Coverage, Platform
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
