"""Place names as people type them: normalisation, well-known aliases and the place search.

A place is a GeoNames place name on `Area.places` (an area may have several) or a
municipality's name. People type "Den Bosch", "s hertogenbosch" or "'s-Hertogenbosch" for
the same place; all of them are reduced to one search key — lower case, no accents, every run
of other characters (apostrophes, hyphens, dots, brackets) one space, "st" as "sint" — and a
few everyday names map to the official one (ALIASES).

The database computes the same key with `postcodes_search_key(text)` (migration 0003), and a
trigram (pg_trgm) GIN index on `postcodes_places_key(places)` and on the municipality's key
keeps the search indexed. `tests/postcodes/test_places.py` checks that both keys agree on
every real place name.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection

# Everyday name (as a search key) -> the official place or municipality name(s).
ALIASES: dict[str, tuple[str, ...]] = {
    "den bosch": ("'s-Hertogenbosch",),
    "hertogenbosch": ("'s-Hertogenbosch",),
    "den haag": ("'s-Gravenhage",),
    "the hague": ("'s-Gravenhage",),
    "la haye": ("'s-Gravenhage",),
    "s gravenhage": ("'s-Gravenhage",),
    "scheveningen": ("'s-Gravenhage",),
    "loosduinen": ("'s-Gravenhage",),
    "s heerenberg": ("'s-Heerenberg",),
    "alphen a d rijn": ("Alphen aan den Rijn",),
    "alphen aan de rijn": ("Alphen aan den Rijn",),
    "capelle a d ijssel": ("Capelle aan den IJssel",),
    "krimpen a d ijssel": ("Krimpen aan den IJssel",),
    "ouderkerk a d amstel": ("Ouderkerk aan de Amstel",),
    "bergen noord holland": ("Bergen (NH)",),
    "bergen limburg": ("Bergen (L.)",),
    "zuidwest friesland": ("Súdwest-Fryslân",),
    "sudwest friesland": ("Súdwest-Fryslân",),
    "noordoost friesland": ("Noardeast-Fryslân",),
    "ljouwert": ("Leeuwarden",),
    "snits": ("Sneek",),
    "harns": ("Harlingen",),
    "amsterdam zuidoost": ("Amsterdam",),
    "bijlmer": ("Amsterdam",),
    "hengelo gelderland": ("Hengelo (Gld)",),
    "rijswijk noord brabant": ("Rijswijk (NB)",),
}

# The database's `postcodes_search_key` maps these characters one to one (after lower()).
_ACCENTS = {
    "a": "àáâãäåāăą",
    "c": "çćč",
    "d": "ď",
    "e": "èéêëēĕėęě",
    "i": "ìíîïĩīĭįı",
    "l": "ĺľł",
    "n": "ñńň",
    "o": "òóôõöōŏő",
    "r": "ř",
    "s": "śš",
    "t": "ţť",
    "u": "ùúûüũūŭůűų",
    "y": "ýÿ",
    "z": "źżž",
}
ACCENTED = "".join(_ACCENTS.values())
UNACCENTED = "".join(base * len(chars) for base, chars in _ACCENTS.items())
_UNACCENT = str.maketrans(ACCENTED, UNACCENTED)

_OTHER = re.compile(r"[^a-z0-9]+")
_SAINT = re.compile(r"\bst\b")


def search_key(text: str) -> str:
    """The search key of a place name or a query: "'s-Hertogenbosch" -> "s hertogenbosch"."""
    lowered = text.lower().translate(_UNACCENT)
    # Anything the table above misses: drop its accents the Unicode way.
    lowered = "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    )
    return _SAINT.sub("sint", _OTHER.sub(" ", lowered).strip())


def query_keys(query: str) -> list[str]:
    """The keys to look for: the query's own key, then those of the names it is an alias of."""
    key = search_key(query)
    keys = [key] if key else []
    for name in ALIASES.get(key, ()):
        alias_key = search_key(name)
        if alias_key not in keys:
            keys.append(alias_key)
    return keys


@dataclass
class PlaceMatch:
    name: str  # as GeoNames or CBS spells it
    exact: bool  # its key is the query's (or an alias's) key
    similarity: float
    area_count: int  # PC4 areas it names (0 for a municipality that is no place name)
    municipalities: list[str] = field(default_factory=list)
    is_municipality: bool = False


# Candidates come from the trigram indexes (`%>`, word similarity >= 0.6, or `%`, similarity
# >= 0.3, per key, all OR'ed: a bitmap OR of index scans); each candidate name is then scored
# on its own key.
_PLACES_SQL = """
WITH candidate AS (
    SELECT p.name, a.code, m.name AS municipality, false AS is_municipality
    FROM postcodes_area a
    CROSS JOIN LATERAL unnest(a.places) AS p(name)
    LEFT JOIN postcodes_municipality m ON m.id = a.municipality_id
    WHERE a.latitude IS NOT NULL AND ({area_filter})
    UNION ALL
    SELECT m.name, NULL, m.name, true
    FROM postcodes_municipality m
    WHERE {municipality_filter}
),
scored AS (
    SELECT name, code, municipality, is_municipality, postcodes_search_key(name) AS key,
           (SELECT max(word_similarity(q.k, postcodes_search_key(name)))
            FROM unnest(%(keys)s::text[]) AS q(k))
               AS similarity
    FROM candidate
)
SELECT name,
       bool_or(key = ANY(%(keys)s::text[])) AS exact,
       max(similarity) AS similarity,
       count(DISTINCT code) AS area_count,
       array_remove(array_agg(DISTINCT municipality ORDER BY municipality), NULL),
       bool_or(is_municipality)
FROM scored
WHERE similarity >= %(threshold)s OR key = ANY(%(keys)s::text[])
GROUP BY name
ORDER BY exact DESC, similarity DESC, area_count DESC, name
LIMIT %(limit)s
"""

# word_similarity() a candidate must reach: low enough that a typo ("Asen") still finds it.
THRESHOLD = 0.5


def search_places(query: str, limit: int = 8) -> list[PlaceMatch]:
    """Places (and municipalities) whose name looks like the query or one of its aliases,
    exact matches first, then the most similar, then the larger places. One query."""
    keys = query_keys(query)
    if not keys:
        return []
    area_filter = " OR ".join(
        f"postcodes_places_key(a.places) {op} %(key{n})s"
        for n in range(len(keys))
        for op in ("%%>", "%%")
    )
    municipality_filter = " OR ".join(
        f"postcodes_search_key(m.name) {op} %(key{n})s"
        for n in range(len(keys))
        for op in ("%%>", "%%")
    )
    params = {f"key{n}": key for n, key in enumerate(keys)}
    params.update(keys=keys, threshold=THRESHOLD, limit=limit)
    sql = _PLACES_SQL.format(area_filter=area_filter, municipality_filter=municipality_filter)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        PlaceMatch(
            name=name,
            exact=exact,
            similarity=similarity,
            area_count=area_count,
            municipalities=municipalities,
            is_municipality=is_municipality,
        )
        for name, exact, similarity, area_count, municipalities, is_municipality in rows
    ]


def resolve_place(name: str) -> str | None:
    """The official spelling of a place a visitor names ("den bosch" -> "'s-Hertogenbosch"),
    or None when no place or municipality has that name."""
    matches = search_places(name, limit=1)
    return matches[0].name if matches and matches[0].exact else None
