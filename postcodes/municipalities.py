"""Today's (2025) municipalities for the importer: CBS's list, each area's municipality, and
what became of the municipalities GeoNames still names.

GeoNames names the municipality of every PC6 postcode, but as it was years ago (353 names,
with Boxmeer, Cuijk, Uden, Weesp, …); CBS's 2025 borders (postcodes/boundaries.py) have the
342 of today with their codes. The rule, per postcode area:

1. GeoNames' municipality of most of its postcodes, when that municipality still exists in
   2025 (names compared without case, accents or CBS's province suffix: "Middelburg" is
   "Middelburg (Z.)") and the area lies in or within 3 km of its border: GeoNames knows
   which municipality a postcode is in; the generalised borders are only accurate to about
   100 m, and a small area on a border can have its centre on the wrong side.
2. Otherwise (its municipality merged or split, or GeoNames names none): the municipality whose
   polygon contains the area's point (postcodes.boundaries.area_points, else GeoNames'
   centroid), else the one whose border is nearest.

A postcode is in its GeoNames municipality when that still exists, else in its area's.
A municipality that no longer exists becomes a FormerMunicipality whose address redirects to
the municipality most of its postcodes are in now; a stored one is merged into it.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable

from django.db import models
from django.utils.text import slugify

from postcodes import boundaries
from postcodes.models import FormerMunicipality, Municipality

# How far outside its (generalised) border an area may lie and keep GeoNames' municipality.
NAME_TOLERANCE_KM = 3.0
KM_PER_DEGREE = 111.2


def name_key(name: str) -> str:
    """`'s-Hertogenbosch` → `s hertogenbosch`: lower case, no accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def short_name(name: str) -> str:
    """The name without CBS's province suffix: `Middelburg (Z.)` → `Middelburg`."""
    return name.split(" (", 1)[0] if name.endswith(")") else name


class Catalogue:
    """CBS's 2025 municipalities, looked up by GeoNames names."""

    def __init__(self) -> None:
        self.regions = boundaries.regions("gemeente_2025")
        self.provinces = boundaries.regions("provincie_2025")
        self.by_key: dict[str, boundaries.Region] = {}
        shorts = Counter(name_key(short_name(r.name)) for r in self.regions)
        for region in self.regions:
            self.by_key[name_key(region.name)] = region
            short = name_key(short_name(region.name))
            if shorts[short] == 1:
                self.by_key.setdefault(short, region)

    def named(self, name: str | None) -> boundaries.Region | None:
        """The 2025 municipality of this (GeoNames) name, if it still exists."""
        return self.by_key.get(name_key(name)) if name else None

    def slug(self, region: boundaries.Region) -> str:
        """`middelburg` for "Middelburg (Z.)"; `bergen-nh` where the short name is shared."""
        short = name_key(short_name(region.name))
        if self.by_key.get(short) is region:
            return slugify(short_name(region.name))
        return slugify(region.name)

    def for_area(
        self, name: str | None, point: tuple[float, float] | None
    ) -> boundaries.Region | None:
        """The area's municipality by the rule in this module's docstring."""
        named = self.named(name)
        if named is not None and (
            point is None
            or named.contains(*point)
            or named.distance(*point) * KM_PER_DEGREE <= NAME_TOLERANCE_KM
        ):
            return named
        if point is None:
            return None
        return boundaries.locate(self.regions, *point)

    def province(self, points: Iterable[tuple[float, float]]) -> str:
        """CBS's name of the province that holds most of these points."""
        counts = Counter(boundaries.locate(self.provinces, *p).name for p in points)
        return counts.most_common(1)[0][0] if counts else ""


def save_municipalities(
    catalogue: Catalogue,
    used: dict[boundaries.Region, list[tuple[float, float]]],
    province_names: dict[str, str],
) -> tuple[dict[str, int], int, int]:
    """Create or update the municipalities these regions stand for; ({code: id}, new, changed).

    A stored municipality is matched by its CBS code, else (a database from before the
    codes) by its name; a changed address keeps working as a FormerMunicipality.
    """
    stored = list(Municipality.objects.all())
    by_code = {m.code: m for m in stored if m.code}
    by_name = {name_key(m.name): m for m in stored if not m.code}
    slugs = {m.slug: m for m in stored}
    ids, new, changed = {}, 0, 0
    for region in sorted(used, key=lambda r: r.code):
        municipality = by_code.get(region.code)
        if municipality is None:
            municipality = by_name.get(name_key(region.name)) or by_name.get(
                name_key(short_name(region.name))
            )
        province = catalogue.province(used[region] or [region.centroid()])
        values = {
            "code": region.code,
            "name": region.name,
            "slug": catalogue.slug(region),
            "province": province_names.get(province, province),
        }
        holder = slugs.get(values["slug"])
        if holder is not None and holder is not municipality and holder.code:
            values["slug"] = f"{values['slug']}-{region.code.lower()}"
        if holder is not None and holder is not municipality and not holder.code:
            # An old municipality holds the address (it will be merged): free it first.
            holder.slug = f"{holder.slug}-{holder.pk}-oud"
            holder.save(update_fields=["slug"])
        if municipality is None:
            municipality = Municipality.objects.create(**values)
            new += 1
        elif any(getattr(municipality, k) != v for k, v in values.items()):
            old_slug = municipality.slug
            for key, value in values.items():
                setattr(municipality, key, value)
            municipality.save()
            changed += 1
            if old_slug != municipality.slug:
                FormerMunicipality.objects.update_or_create(
                    slug=old_slug, defaults={"name": region.name, "successor": municipality}
                )
        slugs[municipality.slug] = municipality
        ids[region.code] = municipality.pk
    return ids, new, changed


def record_former(successors: dict[str, int]) -> int:
    """Every GeoNames municipality name not of 2025 redirects to its successor's address; a
    stored municipality of that name is merged into the successor. Returns the merged count."""
    current = set(Municipality.objects.filter(code__isnull=False).values_list("slug", flat=True))
    merged = 0
    for name, successor_id in sorted(successors.items()):
        old = Municipality.objects.filter(name=name, code__isnull=True).first()
        slug = slugify(name)[:100]
        if old is not None:
            merge(old, successor_id)
            merged += 1
            slug = old.slug if not old.slug.endswith("-oud") else slug
        if slug and slug not in current:
            FormerMunicipality.objects.update_or_create(
                slug=slug, defaults={"name": name, "successor_id": successor_id}
            )
    return merged


def merge(old: Municipality, successor_id: int) -> None:
    """Point everything that refers to `old` at its successor, then delete it."""
    for relation in Municipality._meta.related_objects:
        if isinstance(relation, models.ManyToOneRel) and not relation.many_to_many:
            relation.related_model._base_manager.filter(**{relation.field.name: old}).update(
                **{relation.field.name: successor_id}
            )
    old.delete()
