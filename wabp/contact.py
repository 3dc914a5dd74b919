"""Contact details as people type them: one normaliser or check for each, used everywhere.

normalise_email(" Anna@Example.NL ")  -> "anna@example.nl"
phone = PhoneField(label=_("Mobiel nummer"))               # any phone number
phone = PhoneField(dutch_mobile=True, label=_("Mobiel"))   # a Dutch 06 number
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# 06 12345678, 06-12345678, +31 6 12345678, +316 1234 5678 ...
DUTCH_MOBILE = re.compile(r"^(\+31\s?|0)6[\s-]?(\d[\s-]?){8}$")


def normalise_email(value: str | None) -> str:
    """An e-mail address as the portal stores and compares it: trimmed and lower-cased."""
    return (value or "").strip().lower()


def clean_phone(value: str, *, dutch_mobile: bool = False) -> str:
    """The number with its spacing tidied ("" stays ""), or ValidationError.

    A number has 10 to 15 digits with only spaces, hyphens and a leading + in
    between; with `dutch_mobile` it must be a Dutch mobile number (06…, +31 6…).
    """
    phone = " ".join(value.split())
    if not phone:
        return ""
    if dutch_mobile:
        if not DUTCH_MOBILE.match(phone):
            raise forms.ValidationError(
                _("Vul een Nederlands mobiel nummer in, bijvoorbeeld 06 12345678."), code="invalid"
            )
        return phone
    digits = phone.replace(" ", "").replace("-", "").lstrip("+")
    if not (digits.isdigit() and 10 <= len(digits) <= 15):
        raise forms.ValidationError(
            _("Vul een telefoonnummer in met alleen cijfers, bijvoorbeeld 06 12345678."),
            code="invalid",
        )
    return phone


class PhoneField(forms.CharField):
    """A form field for a phone number, cleaned by clean_phone (max. 20 characters)."""

    def __init__(self, *, dutch_mobile: bool = False, **kwargs):
        self.dutch_mobile = dutch_mobile
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value):
        # The field's own checks first (required, length), as the forms did before.
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return clean_phone(value, dutch_mobile=self.dutch_mobile)
