"""The privacy statement says what the portal stores, and nothing it does not.

The retention table must have a row for every rule the apps register (wabp.registry), and
what the statement lists for residents matches the fields of the models that hold it.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from groups.models import JoinRequest, WaitingListEntry
from wabp import registry

# Each registered retention rule and its row in the statement's table (Dutch, English).
# A new rule fails this test until the statement says how long that data stays.
ROWS = {
    "join requests": ("Verzoek om mee te doen", "Request to join"),
    "waiting-list entries": ("Wachtlijst", "Waiting list"),
    "co-admin invitations": (
        "Uitnodiging om mede-beheerder te worden",
        "Invitation to become a co-admin",
    ),
    "unconfirmed registrations": (
        "Aanmelding van een groep die niet is bevestigd",
        "Registration of a group that was never confirmed",
    ),
    "declined sign requests": ("Aanvraag voor bordjes, afgewezen", "Request for signs, declined"),
    "staff requests": (
        "Aanvraag als medewerker van een gemeente",
        "Request as a municipality employee",
    ),
    # Police access (groups.policeaccess)
    "police access requests": (
        "Aanvraag voor toegang als politie",
        "Request for access as the police",
    ),
    "police access log": (
        "Logboek van wat de politie in haar werkplek bekijkt en doet",
        "Log of what the police view and do in their workspace",
    ),
    "broadcast deliveries": (
        "Wie een bericht van het bestuur kreeg",
        "Who received a message from the board",
    ),
    "panel invitations": ("Uitnodiging voor een panel", "Invitation to a panel"),
    "panel round mail records": (
        "Wie een uitnodiging of herinnering voor een panelronde kreeg",
        "Who received an invitation or reminder for a panel round",
    ),
    "named answers of deleted accounts": (
        "Antwoorden op naam van een verwijderd account",
        "Named answers of a deleted account",
    ),
    "sent e-mails": ("Verstuurde e-mails", "Sent e-mails"),
    "audit trail": (
        "Logboek van wat beheerders, medewerkers en het bestuur doen",
        "Log of what admins, staff and the board do",
    ),
    "undeliverable e-mails": (
        "E-mails die niet bezorgd konden worden",
        "E-mails that could not be delivered",
    ),
    "login attempts": ("Mislukte inlogpogingen", "Failed login attempts"),
    "failed-login log": ("Mislukte inlogpogingen", "Failed login attempts"),
    "login records": ("Inlogmomenten", "Logins"),
    "rate-limit windows": ("Tellers tegen misbruik van formulieren", "Counters against misuse"),
    "admin history": ("Wijzigingen die het bestuur maakte", "Changes the board made"),
    "never-activated accounts": (
        "Account dat nooit is geactiveerd",
        "Account that was never activated",
    ),
}
# Rows for data that stays until the account goes: no retention rule of their own.
UNTIL_DELETION = [
    ("Account, groep en e-learning", "Account, group and e-learning"),
    # Prevention tips (issue #17, part 3): until unsubscribed, or the account goes.
    ("Abonnement op de maandelijkse preventietip", "Subscription to the monthly prevention tip"),
]

# How the statement names a model field that holds personal data, per language (patterns).
FIELD_WORDS = {
    "name": ("naam", "name"),
    "email": ("e-mailadres", "e-mail address"),
    "phone": ("telefoonnummer", "phone number"),
    "street": ("adres", "(?<!e-mail )address"),
    "postcode": ("postcode", "postcode"),
}


def statement(language: str) -> str:
    return (Path(settings.PAGES_DIR) / f"privacy.{language}.md").read_text(encoding="utf-8")


def table_rows(text: str) -> list[str]:
    """The first cell of each row of the retention table (header and rule left out)."""
    cells = re.findall(r"^\| ([^|]+?) \|", text, flags=re.M)
    return [cell for cell in cells[1:] if set(cell) != {"-"}]


def section(text: str, heading: str) -> str:
    start = text.index(f"### {heading}\n")
    end = text.find("\n#", start + 4)
    return text[start : end if end != -1 else None]


def words_named(text: str, language: int) -> set[str]:
    return {
        field
        for field, words in FIELD_WORDS.items()
        if re.search(rf"(?<![\w-]){words[language]}\b", text, flags=re.I)
    }


def personal_fields(model) -> set[str]:
    return {field.name for field in model._meta.get_fields()} & FIELD_WORDS.keys()


def test_every_retention_rule_has_a_row_in_the_statement():
    assert {rule.name for rule in registry.RETENTION_RULES} == set(ROWS)


@pytest.mark.parametrize(("language", "column"), [("nl", 0), ("en", 1)])
def test_every_row_of_the_retention_table_belongs_to_a_rule(language, column):
    rows = table_rows(statement(language))
    labels = {labels[column] for labels in ROWS.values()} | {row[column] for row in UNTIL_DELETION}
    for label in labels:
        assert any(row.startswith(label) for row in rows), label
    for row in rows:
        assert any(row.startswith(label) for label in labels), row


@pytest.mark.parametrize(
    ("model", "headings"),
    [
        (WaitingListEntry, ("Wachtlijst", "Waiting list")),
        (JoinRequest, ("Bewoners die vragen om mee te doen met een groep", "Residents who ask")),
    ],
)
@pytest.mark.parametrize(("language", "column"), [("nl", 0), ("en", 1)])
def test_what_the_statement_lists_for_residents_is_what_the_model_stores(
    model, headings, language, column
):
    text = statement(language)
    heading = next(
        line[4:] for line in text.splitlines() if line.startswith(f"### {headings[column]}")
    )
    assert words_named(section(text, heading), column) == personal_fields(model)
