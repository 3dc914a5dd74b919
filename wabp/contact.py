"""Contact details as people type them: one normaliser or check for each, used everywhere.

normalise_email(" Anna@Example.NL ")  -> "anna@example.nl"
"""


def normalise_email(value: str | None) -> str:
    """An e-mail address as the portal stores and compares it: trimmed and lower-cased."""
    return (value or "").strip().lower()
