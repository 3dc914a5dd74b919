"""Receivers for the postcode data's signals (connected in GroupsConfig.ready)."""

from django.db import connection


def follow_area_municipalities(sender, **kwargs) -> None:
    """A group is in its area's municipality, also after a refresh moved the area."""
    # One statement, which also bumps MapVersion (its trigger fires per statement), so cached
    # pages and map data pick up renamed or merged municipalities.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE groups_group g SET municipality_id = a.municipality_id
            FROM postcodes_area a
            WHERE a.code = g.area_id AND a.municipality_id IS NOT NULL
              AND g.municipality_id IS DISTINCT FROM a.municipality_id
            """
        )
