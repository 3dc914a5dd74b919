"""The split form: a name and platform for the new group, the postcodes that move to it and
who runs it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Platform
from postcodes.parsing import format_postcode
from wabp.contact import normalise_email


def admin_label(user) -> str:
    """An admin as the admins page names them: first name and initial, never an address."""
    initial = f" {user.last_name[:1]}." if user.last_name else ""
    return f"{user.first_name}{initial}".strip() or _("beheerder")


class SplitForm(forms.Form):
    """The postcodes move by whole PC4 area (`areas`) or one by one (`postcodes`); both
    plain checkboxes, so the form works without JavaScript."""

    name = forms.CharField(label=_("Naam van de nieuwe groep"), max_length=120)
    platform = forms.ChoiceField(label=_("Chatplatform van de nieuwe groep"), choices=Platform)
    areas = forms.MultipleChoiceField(
        label=_("Hele postcodegebieden"), required=False, widget=forms.CheckboxSelectMultiple
    )
    postcodes = forms.MultipleChoiceField(
        label=_("Postcodes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    admins = forms.MultipleChoiceField(
        label=_("Wie beheert de nieuwe groep?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één beheerder voor de nieuwe groep.")},
    )
    leaving = forms.MultipleChoiceField(
        label=_("Wie stopt als beheerder van de huidige groep?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen wie de nieuwe groep beheert. Wie u niet aanvinkt, beheert beide."),
    )
    invite_email = forms.EmailField(
        label=_("Nog iemand uitnodigen als beheerder van de nieuwe groep (niet verplicht)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, group: Group, covered: list[str], admins: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.covered = covered
        self.admin_users = {str(user.pk): user for user in admins}
        self.fields["platform"].initial = group.platform
        self.fields["areas"].choices = [(a, a) for a in sorted({c[:4] for c in covered})]
        self.fields["postcodes"].choices = [(c, format_postcode(c)) for c in covered]
        admin_choices = [(pk, admin_label(user)) for pk, user in self.admin_users.items()]
        self.fields["admins"].choices = admin_choices
        self.fields["leaving"].choices = admin_choices

    def area_groups(self) -> list[dict]:
        """The covered postcodes per PC4 area, with what is ticked, for the template."""
        data = self.data if self.is_bound else {}
        areas = set(data.getlist("areas")) if data else set()
        ticked = set(data.getlist("postcodes")) if data else set()
        rows: dict[str, list] = {}
        for code in self.covered:
            rows.setdefault(code[:4], []).append(
                {"code": code, "label": format_postcode(code), "checked": code in ticked}
            )
        return [
            {"area": area, "postcodes": codes, "checked": area in areas}
            for area, codes in rows.items()
        ]

    def clean_invite_email(self) -> str:
        return normalise_email(self.cleaned_data["invite_email"])

    def clean(self):
        cleaned = super().clean()
        areas = set(cleaned.get("areas") or [])
        moving = {c for c in self.covered if c[:4] in areas} | set(cleaned.get("postcodes") or [])
        if "areas" in cleaned and "postcodes" in cleaned:
            if not moving:
                self.add_error(None, _("Kies de postcodes die naar de nieuwe groep gaan."))
            elif len(moving) == len(self.covered):
                self.add_error(
                    None,
                    _(
                        "Minstens één postcode blijft bij de huidige groep. Wilt u alles "
                        "verplaatsen? Wijzig dan de gegevens van de groep."
                    ),
                )
        cleaned["moving"] = sorted(moving)
        admins = set(cleaned.get("admins") or [])
        leaving = set(cleaned.get("leaving") or [])
        if leaving - admins:
            self.add_error(
                "leaving",
                _("Alleen wie de nieuwe groep beheert, kan stoppen bij de huidige groep."),
            )
        elif admins and leaving >= set(self.admin_users):
            self.add_error("leaving", _("De huidige groep houdt minstens één beheerder."))
        cleaned["admin_users"] = [self.admin_users[pk] for pk in sorted(admins, key=int)]
        cleaned["leaving_users"] = [self.admin_users[pk] for pk in sorted(leaving, key=int)]
        return cleaned
