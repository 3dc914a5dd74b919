"""Indexed place search (postcodes.places): the search key in SQL and trigram indexes on it."""

from django.db import migrations

# The same key as postcodes.places.search_key (tests/postcodes/test_places.py compares them);
# the characters are copied from postcodes.places (ACCENTED, UNACCENTED) as they were, so this
# migration never changes: a change there needs a new migration that replaces the function.
ACCENTED = "àáâãäåāăąçćčďèéêëēĕėęěìíîïĩīĭįıĺľłñńňòóôõöōŏőřśšţťùúûüũūŭůűųýÿźżž"
UNACCENTED = "aaaaaaaaacccdeeeeeeeeeiiiiiiiiilllnnnoooooooorssttuuuuuuuuuuyyzzz"


def _key(text: str) -> str:
    return f"""regexp_replace(
        btrim(regexp_replace(translate(lower({text}), '{ACCENTED}', '{UNACCENTED}'),
                             '[^a-z0-9]+', ' ', 'g')),
        '\\mst\\M', 'sint', 'g')"""


# Neither function calls the other: PostgreSQL 17 and newer evaluate index expressions during
# ANALYZE and REINDEX with search_path = pg_catalog, where an unqualified call of our own
# function is not found (the importer's ANALYZE failed on the embedded PostgreSQL 18).
SEARCH_KEY = f"""
CREATE OR REPLACE FUNCTION postcodes_search_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT {_key("name")}
$$;
CREATE OR REPLACE FUNCTION postcodes_places_key(places text[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT {_key("array_to_string(places, ' / ')")}
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("postcodes", "0002_cbs_municipalities"),
    ]

    operations = [
        migrations.RunSQL(
            SEARCH_KEY,
            "DROP FUNCTION IF EXISTS postcodes_places_key(text[]);"
            "DROP FUNCTION IF EXISTS postcodes_search_key(text);",
        ),
        migrations.RunSQL(
            "CREATE INDEX postcodes_area_places_trgm_idx ON postcodes_area"
            " USING gin (postcodes_places_key(places) gin_trgm_ops);"
            "CREATE INDEX postcodes_area_places_idx ON postcodes_area USING gin (places);"
            "CREATE INDEX postcodes_municipality_name_trgm_idx ON postcodes_municipality"
            " USING gin (postcodes_search_key(name) gin_trgm_ops);",
            "DROP INDEX IF EXISTS postcodes_area_places_trgm_idx;"
            "DROP INDEX IF EXISTS postcodes_area_places_idx;"
            "DROP INDEX IF EXISTS postcodes_municipality_name_trgm_idx;",
        ),
    ]
