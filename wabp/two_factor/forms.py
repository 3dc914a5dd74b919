"""The code fields of the code step, the recovery-code step and the set-up step."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _


class AppCodeForm(forms.Form):
    """The six digits the authenticator app shows; spaces are allowed."""

    otp_token = forms.CharField(
        label=_("Code uit de app"),
        max_length=20,
        help_text=_("Zes cijfers. De app maakt elke 30 seconden een nieuwe code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Vul de code uit de app in.")},
    )

    def clean_otp_token(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["otp_token"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Een code bestaat uit zes cijfers."))
        return code


class RecoveryCodeForm(forms.Form):
    """One of the ten recovery codes: eight letters and digits; case and spaces do not count."""

    otp_token = forms.CharField(
        label=_("Herstelcode"),
        max_length=40,
        help_text=_("Elke herstelcode werkt één keer."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Vul een van uw herstelcodes in.")},
    )

    def clean_otp_token(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["otp_token"]).lower()
        if not re.fullmatch(r"[a-z2-7]{8}", code):
            raise forms.ValidationError(_("Een herstelcode bestaat uit acht letters en cijfers."))
        return code
