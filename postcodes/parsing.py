"""The one postcode parser. Every form and search uses it.

    parse_postcode(" 1234   ab ")            -> ParsedPostcode(area="1234", letters="AB")
    parse_postcode("1234", allow_area=True)  -> ParsedPostcode(area="1234", letters="")

Invalid input raises django.core.exceptions.ValidationError with a Dutch message.
"""

import re
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Letter pairs PostNL does not issue.
UNUSED_LETTERS = frozenset({"SA", "SD", "SS"})

_SHAPE = re.compile(r"(\d{4})[\s-]*([A-Z]{2})?", re.ASCII)
_EXAMPLE = _("bijvoorbeeld 1234 AB")


class ParsedPostcode(NamedTuple):
    area: str
    letters: str = ""

    @property
    def is_area(self) -> bool:
        return not self.letters

    @property
    def code(self) -> str:
        """Canonical stored form: `1234AB`, or `1234` for an area."""
        return self.area + self.letters

    @property
    def display(self) -> str:
        """Display form: `1234 AB`."""
        return f"{self.area} {self.letters}".strip()


def parse_postcode(value: object, *, allow_area: bool = False) -> ParsedPostcode:
    # Any whitespace (a non-breaking space pasted from a web page, a tab) counts as a space.
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text:
        raise ValidationError(
            _("Vul een postcode in, %(example)s.") % {"example": _EXAMPLE}, code="required"
        )
    # Only ASCII: "ß".upper() is "SS" and "ﬀ".upper() is "FF", which must not become postcodes.
    text = text.upper() if text.isascii() else text
    match = _SHAPE.fullmatch(text) if text.isascii() else None
    if match is None:
        raise ValidationError(_explain(text, allow_area), code="invalid")
    area, letters = match.group(1), match.group(2) or ""
    if area.startswith("0"):
        raise ValidationError(_("Een postcode begint niet met een 0."), code="leading_zero")
    if not letters and not allow_area:
        raise ValidationError(
            _("Vul ook de twee letters van de postcode in, %(example)s.") % {"example": _EXAMPLE},
            code="area_not_allowed",
        )
    if letters in UNUSED_LETTERS:
        raise ValidationError(
            _("Postcodes met de letters %(letters)s bestaan niet.") % {"letters": letters},
            code="unused_letters",
        )
    return ParsedPostcode(area, letters)


def _explain(text: str, allow_area: bool) -> str:
    """The most helpful message for input that does not have a postcode's shape."""
    compact = re.sub(r"[\s-]", "", text)
    if compact[:1].isalpha():
        return _("Een postcode begint met vier cijfers, %(example)s.") % {"example": _EXAMPLE}
    if re.fullmatch(r"\d{4}.*", compact, re.ASCII) and re.search(r"\d", compact[4:], re.ASCII):
        return _("Na de vier cijfers komen twee letters, %(example)s.") % {"example": _EXAMPLE}
    if allow_area:
        return _(
            "Vul een postcode in van vier cijfers en twee letters (%(example)s) of alleen de vier cijfers."
        ) % {"example": _EXAMPLE}
    return _("Een postcode heeft vier cijfers en twee letters, %(example)s.") % {
        "example": _EXAMPLE
    }


def format_postcode(code: str) -> str:
    """`1234AB` -> `1234 AB`; an area stays `1234`."""
    return f"{code[:4]} {code[4:]}".strip()


class PostcodeField(forms.CharField):
    """A form field that cleans to the canonical code (`1234AB`, or `1234` if allowed)."""

    def __init__(self, *, allow_area: bool = False, **kwargs):
        self.allow_area = allow_area
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("Postcode"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "postal-code", "inputmode": "text", "spellcheck": "false"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return parse_postcode(value, allow_area=self.allow_area).code
