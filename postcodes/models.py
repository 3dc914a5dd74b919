"""Dutch postcodes (GeoNames): municipalities, PC4 areas and PC6 postcodes."""

import math

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """A municipality as CBS defines it (2025), identified by its CBS code (`GM0503`)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("adres"), max_length=100, unique=True)
    province = models.CharField(_("provincie"), max_length=50, db_index=True)
    # Null only for a municipality not (yet) matched to the CBS borders.
    code = models.CharField(_("CBS-code"), max_length=6, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:municipality", kwargs={"slug": self.slug})


class FormerMunicipality(models.Model):
    """A municipality that merged into another: its old address redirects to the successor."""

    name = models.CharField(_("naam"), max_length=100)
    slug = models.SlugField(_("adres"), max_length=100, unique=True)
    successor = models.ForeignKey(
        Municipality,
        verbose_name=_("opgegaan in"),
        on_delete=models.CASCADE,
        related_name="former_municipalities",
    )

    class Meta:
        verbose_name = _("voormalige gemeente")
        verbose_name_plural = _("voormalige gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaQuerySet(models.QuerySet):
    def located(self):
        """Areas with a known centroid."""
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def in_place(self, name: str):
        """Areas of a place: those whose places include it, or whose municipality it names."""
        return self.in_any_place([name])

    def in_any_place(self, names):
        """Areas of any of these places (see `in_place`)."""
        names = list(names)
        return self.filter(models.Q(places__overlap=names) | models.Q(municipality__name__in=names))


class Area(models.Model):
    """A four-digit postcode area (PC4) with its centroid."""

    code = models.CharField(_("postcodegebied"), max_length=4, primary_key=True)
    place = models.CharField(_("plaats"), max_length=100)
    places = ArrayField(models.CharField(max_length=100), verbose_name=_("plaatsen"), default=list)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="areas",
    )
    province = models.CharField(_("provincie"), max_length=50, blank=True)
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.place}"

    def distance_km(self, latitude: float, longitude: float) -> float:
        """Great-circle distance from this area's centroid."""
        return haversine_km(self.latitude, self.longitude, latitude, longitude)


class Postcode(models.Model):
    """A six-character postcode (PC6), stored as `1234AB`."""

    code = models.CharField(_("postcode"), max_length=6, primary_key=True)
    area = models.ForeignKey(
        Area, verbose_name=_("postcodegebied"), on_delete=models.CASCADE, related_name="postcodes"
    )
    place = models.CharField(_("plaats"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postcodes",
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code[:4]} {self.code[4:]}"


EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
