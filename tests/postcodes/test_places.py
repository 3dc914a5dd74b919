"""Place names: the search key in Python and in SQL, and the aliases."""

import importlib

import pytest
from django.db import connection

from postcodes.places import ACCENTED, ALIASES, UNACCENTED, query_keys, search_key
from tests.factories import load_areas


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("'s-Hertogenbosch", "s hertogenbosch"),
        ("s hertogenbosch", "s hertogenbosch"),
        ("Súdwest-Fryslân", "sudwest fryslan"),
        ("1e Exloërmond", "1e exloermond"),
        ("St.-Jacobiparochie", "sint jacobiparochie"),
        ("Bergen (NH)", "bergen nh"),
        ("  Den   Haag ", "den haag"),
    ],
)
def test_search_key_ignores_case_accents_and_punctuation(name, key):
    assert search_key(name) == key


def test_an_alias_adds_the_official_names_key():
    assert query_keys("Den Bosch") == ["den bosch", "s hertogenbosch"]
    assert query_keys("The Hague") == ["the hague", "s gravenhage"]
    assert query_keys("Delft") == ["delft"]
    assert query_keys("'-") == []


def test_the_migration_unaccents_the_same_characters():
    migration = importlib.import_module("postcodes.migrations.0003_place_search")
    assert (migration.ACCENTED, migration.UNACCENTED) == (ACCENTED, UNACCENTED)


def test_aliases_are_keyed_by_search_keys():
    assert all(search_key(alias) == alias for alias in ALIASES)


@pytest.mark.django_db
def test_sql_and_python_keys_agree_on_every_real_place_and_municipality():
    load_areas(None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, postcodes_search_key(name) FROM ("
            " SELECT DISTINCT unnest(places) AS name FROM postcodes_area"
            " UNION SELECT name FROM postcodes_municipality) names"
        )
        rows = cursor.fetchall()
    assert len(rows) > 2000
    assert [name for name, key in rows if search_key(name) != key] == []


@pytest.mark.django_db
def test_every_alias_names_a_real_place_or_municipality():
    load_areas(None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT unnest(places) FROM postcodes_area"
            " UNION SELECT name FROM postcodes_municipality"
        )
        known = {name for (name,) in cursor.fetchall()}
    assert {name for names in ALIASES.values() for name in names} - known == set()
