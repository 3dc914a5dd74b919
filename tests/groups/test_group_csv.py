"""The two group exports (the board's and a municipality's) write the same rows as before:
their own columns, spreadsheet-safe cells, public data only."""

import csv
import io
from datetime import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.groups.conftest import make_group
from tests.support import log_in

# A quarter past midnight in Amsterdam is still the day before in UTC.
CONFIRMED = datetime(2026, 3, 2, 23, 15, tzinfo=timezone.UTC)


@pytest.fixture
def exported(areas):
    return make_group(
        "=Buurtwacht Dam",
        areas["1012"],
        postcodes=["1012AB", "1012AC"],
        street="Damstraat",
        member_count=40,
        registered_with_police=True,
        is_verified=True,
        last_confirmed_at=CONFIRMED,
    )


def test_the_boards_export_keeps_its_columns_with_dutch_dates(board_client, exported):
    response = board_client.post(
        reverse("admin:groups_group_changelist"),
        {"action": "export_csv", "_selected_action": [exported.pk]},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "naam",
            "pagina",
            "platform",
            "plaats",
            "postcodegebied",
            "gemeente",
            "provincie",
            "status",
            "aangemeld bij de gemeente",
            "aangemeld bij de politie",
            "aantal leden",
            "geverifieerd",
            "laatst bevestigd",
            "bevestigd door de politie",
        ],
        [
            "'=Buurtwacht Dam",
            f"http://testserver{exported.get_absolute_url()}",
            "WhatsApp",
            "Amsterdam",
            "1012",
            "Amsterdam",
            "Noord-Holland",
            "Actief",
            "nee",
            "ja",
            "40",
            "ja",
            "2026-03-03",  # the date in the Netherlands, as in a municipality's export
            "",  # not confirmed by the police
        ],
    ]


def test_a_municipalitys_export_keeps_its_columns(exported):
    staff = make_user("ambtenaar@amsterdam.test", municipality=exported.municipality)
    client = Client()
    log_in(client, staff)

    response = client.get(reverse("groups:municipality_export", args=[exported.municipality.slug]))

    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        [
            "naam",
            "platform",
            "postcodegebied",
            "plaats",
            "straat of buurt",
            "aantal postcodes",
            "aantal leden (ongeveer)",
            "aangemeld bij de gemeente",
            "aangemeld bij de politie",
            "getrainde beheerder",
            "geverifieerd",
            "laatst bevestigd",
            "pagina",
            "bevestigd door de politie",
        ],
        [
            "'=Buurtwacht Dam",
            "WhatsApp",
            "1012",
            "Amsterdam",
            "Damstraat",
            "2",
            "40",
            "nee",
            "ja",
            "nee",
            "ja",
            "2026-03-03",
            f"{settings.SITE_URL}{exported.get_absolute_url()}",
            "",
        ],
    ]
