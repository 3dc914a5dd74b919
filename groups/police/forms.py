"""Forms of the police workspace: the group list's filters and a message to a group's admins."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from groups.models import Platform

SORTS = {
    "naam": ("name", "pk"),
    "gemeente": ("municipality__name", "name", "pk"),
    # Never confirmed first: those most need a look.
    "bevestigd": (F("last_confirmed_at").asc(nulls_first=True), "name", "pk"),
}


class GroupFilterForm(forms.Form):
    """Which of the area's groups the list shows, and in what order (a GET form)."""

    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    platform = forms.ChoiceField(
        label=_("Chatplatform"),
        required=False,
        choices=[("", _("Alle platforms")), *Platform.choices],
    )
    unconfirmed = forms.BooleanField(
        label=_("Alleen groepen die de politie nog niet heeft bevestigd"), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sorteer op"),
        required=False,
        choices=[
            ("naam", _("naam")),
            ("gemeente", _("gemeente")),
            ("bevestigd", _("laatst bevestigd (oudste eerst)")),
        ],
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [
            ("", _("Het hele gebied")),
            *((m.slug, m.name) for m in area),
        ]

    def filter(self, groups):
        """`groups` narrowed and ordered by the valid choices (all of them, by name, if none)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("municipality"):
            groups = groups.filter(municipality__slug=data["municipality"])
        if data.get("platform"):
            groups = groups.filter(platform=data["platform"])
        if data.get("unconfirmed"):
            groups = groups.filter(police_confirmed_at__isnull=True)
        return groups.order_by(*SORTS[data.get("sort") or "naam"])


class PoliceRelayForm(forms.Form):
    """An officer writes to a group's admins; replies go to the officer's work address."""

    subject = forms.CharField(label=_("Onderwerp"), max_length=150)
    message = forms.CharField(
        label=_("Bericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("De beheerders kunnen u rechtstreeks antwoorden op uw werkadres."),
    )
