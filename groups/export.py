"""Groups as CSV: one writer for the board's export and a municipality's.

    write_groups_csv(response, groups, MUNICIPALITY_COLUMNS, delimiter=";")

Every cell goes through wabp.text.csv_cell, so a group called `=HYPERLINK(…)` stays
text in a spreadsheet. Columns hold public data only: never an admin's name, e-mail
address or phone number.
"""

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from wabp.links import absolute
from wabp.text import csv_cell


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Group], Any]


def yes_no(value: bool) -> str:
    return str(_("ja") if value else _("nee"))


def _local_date(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


NAME = Column(_("naam"), lambda g: g.name)
PLATFORM = Column(_("platform"), lambda g: g.get_platform_display())
AREA = Column(_("postcodegebied"), lambda g: g.area_id)
PLACE = Column(_("plaats"), lambda g: g.area.place)
STREET = Column(_("straat of buurt"), lambda g: g.street)
MUNICIPALITY = Column(_("gemeente"), lambda g: g.municipality.name if g.municipality else "")
PROVINCE = Column(_("provincie"), lambda g: g.municipality.province if g.municipality else "")
STATUS = Column(_("status"), lambda g: g.get_status_display())
REGISTERED_WITH_MUNICIPALITY = Column(
    _("aangemeld bij de gemeente"), lambda g: yes_no(g.registered_with_municipality)
)
REGISTERED_WITH_POLICE = Column(
    _("aangemeld bij de politie"), lambda g: yes_no(g.registered_with_police)
)
# Issue 16: the day a police officer of the area confirmed it; empty if only the admin says so.
POLICE_CONFIRMED = Column(
    _("bevestigd door de politie"), lambda g: _local_date(g.police_confirmed_at)
)
IS_VERIFIED = Column(_("geverifieerd"), lambda g: yes_no(g.is_verified))
# The day in the Netherlands, not in UTC.
LAST_CONFIRMED = Column(_("laatst bevestigd"), lambda g: _local_date(g.last_confirmed_at))


def page_column(site: str) -> Column:
    """The group's public page, on `site` (the portal's address, no trailing slash)."""
    return Column(_("pagina"), lambda g: site + g.get_absolute_url())


# The board's export (Django admin): every group, any status.
def board_columns(site: str) -> list[Column]:
    return [
        NAME,
        page_column(site),
        PLATFORM,
        PLACE,
        AREA,
        MUNICIPALITY,
        PROVINCE,
        STATUS,
        REGISTERED_WITH_MUNICIPALITY,
        REGISTERED_WITH_POLICE,
        Column(_("aantal leden"), lambda g: g.member_count or ""),
        IS_VERIFIED,
        LAST_CONFIRMED,
        # New columns go last: spreadsheets built on the export keep working.
        POLICE_CONFIRMED,
    ]


# A municipality's export for its staff: its active groups, from
# groups.municipalities.views.municipality_groups (coverage_count, has_trained_admin).
MUNICIPALITY_COLUMNS = [
    NAME,
    PLATFORM,
    AREA,
    PLACE,
    STREET,
    Column(_("aantal postcodes"), lambda g: g.coverage_count),
    Column(_("aantal leden (ongeveer)"), lambda g: g.member_count or ""),
    REGISTERED_WITH_MUNICIPALITY,
    REGISTERED_WITH_POLICE,
    Column(_("getrainde beheerder"), lambda g: yes_no(g.has_trained_admin)),
    IS_VERIFIED,
    LAST_CONFIRMED,
    Column(_("pagina"), lambda g: absolute(g.get_absolute_url())),
    # New columns go last: spreadsheets built on the export keep working.
    POLICE_CONFIRMED,
]


def write_groups_csv(
    out, groups: Iterable[Group], columns: Sequence[Column], *, delimiter: str = ","
) -> None:
    """A header row of the columns' labels, then one spreadsheet-safe row per group."""
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([str(column.label) for column in columns])
    for group in groups:
        writer.writerow([csv_cell(column.value(group)) for column in columns])
