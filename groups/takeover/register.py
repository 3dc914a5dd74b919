"""Reading the foundation's old register (a CSV export) into groups, admins and coverage.

    report = import_register(open("register.csv", encoding="utf-8-sig"), dry_run=False)
    report.counts  -> {"created": 9300, "updated": 0, "unchanged": 0, "rejected": 2}
    report.rows    -> [RowResult(line=7, name="…", outcome="rejected", reasons=[…]), …]

The columns are listed in COLUMNS (and in groups/takeover/README.md). Every row is checked
first; then, in one transaction, new groups are written in bulk and changed ones updated.
A row is found again by its register number (`nummer`), or without one by its group name
and postcode area, so a re-run of the same file changes nothing and a corrected file updates
what changed. A group its admin has claimed is no longer touched: from then on the portal,
not the register, leads. Nothing here sends mail (send_claim_mails does, paced).
"""

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import IO

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import slugify

from groups.coverage import parse_coverage
from groups.models import (
    Coverage,
    Group,
    GroupAdmin,
    GroupStatus,
    Platform,
    RegisterEntry,
)
from postcodes.models import Area
from postcodes.parsing import parse_postcode
from wabp.contact import clean_phone, normalise_email
from wabp.models import User

# The register's columns: (name, required, meaning). Column names are matched without regard
# to case, spaces or hyphens ("Beheerder e-mail" is `beheerder_email`).
COLUMNS = [
    ("nummer", False, "the register's own number of the group; the key for re-runs"),
    ("groepsnaam", True, "the group's name (at most 120 characters)"),
    ("platform", False, "WhatsApp, Signal, Telegram or anything else (= Anders); empty: WhatsApp"),
    ("postcode", True, "where the group is: a PC4 area (1234) or a PC6 postcode (1234 AB)"),
    ("plaats", False, "the place; read for the report only, the area follows from the postcode"),
    ("postcodes", False, "covered postcodes, as the coverage form takes them: 1234AB-1234AZ, 1235"),
    ("straten", False, "the streets or neighbourhood, shown on the group's page (120 characters)"),
    ("gemeente_aangemeld", False, "registered with the municipality: ja/nee (also 1/0, x)"),
    ("politie_aangemeld", False, "registered with the police: ja/nee"),
    ("beheerder_naam", False, "the admin's name; the first word is the first name"),
    ("beheerder_email", True, "the admin's e-mail address: the claim mail goes there"),
    ("beheerder_telefoon", False, "the admin's phone number; never shown publicly"),
    ("datum_aangemeld", False, "when the group registered: 2019-03-28 or 28-03-2019"),
]
COLUMN_NAMES = [name for name, _required, _meaning in COLUMNS]
REQUIRED_COLUMNS = [name for name, required, _meaning in COLUMNS if required]

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, REJECTED)

_YES = {"ja", "j", "yes", "y", "1", "x", "true", "waar"}
_NO = {"nee", "n", "no", "0", "false", "onwaar", ""}
_PLATFORMS = {choice.value: choice.value for choice in Platform} | {
    "whats app": Platform.WHATSAPP,
    "wa": Platform.WHATSAPP,
    "anders": Platform.OTHER,
}
# Writes per statement when creating thousands of rows.
BATCH_SIZE = 1000


class RegisterFormatError(Exception):
    """The file is not a register export: no header, or required columns missing."""


@dataclass
class RowResult:
    """What happened to one row of the file (line numbers count the header as line 1)."""

    line: int
    name: str
    outcome: str = ""
    reasons: list[str] = field(default_factory=list)  # why it was rejected
    warnings: list[str] = field(default_factory=list)  # imported, but not all of it


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts


@dataclass
class CleanRow:
    """One valid row, normalised: what the database should hold for it."""

    key: str
    name: str
    platform: str
    area: str
    coverage: list[str]
    street: str
    registered_with_municipality: bool
    registered_with_police: bool
    first_name: str
    last_name: str
    email: str
    phone: str
    registered_on: str  # ISO date, or ""

    @property
    def fingerprint(self) -> str:
        data = json.dumps(self.__dict__, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()


def _column(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower().replace("-mail", "mail"))


def read_rows(file: IO[str]) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line, {column: text}); `,` or `;` separated (Excel writes `;`)."""
    text = file.read()
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise RegisterFormatError("the file is empty")
    columns = [_column(name) for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise RegisterFormatError(f"missing columns: {', '.join(missing)}")
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        rows.append(
            (line, {col: (val or "").strip() for col, val in zip(columns, values, strict=False)})
        )
    return rows


def _flag(value: str, label: str, result: RowResult) -> bool:
    value = value.strip().lower()
    if value in _YES:
        return True
    if value not in _NO:
        result.warnings.append(f"{label}: '{value}' is geen ja of nee; gelezen als nee")
    return False


def _date(value: str, result: RowResult) -> str:
    if not value:
        return ""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if day > date.today():
            break
        return day.isoformat()
    result.warnings.append(f"datum_aangemeld: '{value}' is geen datum; overgeslagen")
    return ""


def _name_key(name: str, area: str) -> str:
    return f"{' '.join(name.upper().split())}|{area}"


def clean_row(values: dict[str, str], result: RowResult, known_areas: set[str]) -> CleanRow | None:
    """The row normalised, or None with the reasons added to `result`."""
    name = " ".join(values.get("groepsnaam", "").split())
    if not name:
        result.reasons.append("De naam van de groep ontbreekt.")
    elif len(name) > 120:
        result.reasons.append("De naam van de groep is langer dan 120 tekens.")

    area = ""
    try:
        area = parse_postcode(values.get("postcode", ""), allow_area=True).area
    except ValidationError as error:
        result.reasons.append(f"Postcode '{values.get('postcode', '')}': {error.messages[0]}")
    else:
        if area not in known_areas:
            result.reasons.append(
                f"Postcode '{values['postcode']}': dit postcodegebied bestaat niet."
            )
            area = ""

    email = normalise_email(values.get("beheerder_email"))
    try:
        validate_email(email)
    except ValidationError:
        reason = "ontbreekt" if not email else f"'{email}' is geen e-mailadres"
        result.reasons.append(f"E-mailadres van de beheerder {reason}.")
    if result.reasons:
        return None

    platform_text = values.get("platform", "").strip()
    platform = _PLATFORMS.get(platform_text.lower(), Platform.WHATSAPP if not platform_text else "")
    if not platform:
        platform = Platform.OTHER
        result.warnings.append(f"platform: '{platform_text}' kennen we niet; gelezen als Anders")

    coverage: list[str] = []
    if values.get("postcodes"):
        parsed = parse_coverage(values["postcodes"])
        coverage = parsed.postcodes
        for text, reason in parsed.ignored:
            result.warnings.append(f"postcodes: '{text}' overgeslagen: {reason}")

    street = " ".join(values.get("straten", "").split())
    if len(street) > 120:
        street = street[:119].rsplit(" ", 1)[0] + "…"
        result.warnings.append("straten: ingekort tot 120 tekens")

    phone = ""
    try:
        phone = clean_phone(values.get("beheerder_telefoon", ""))
    except ValidationError:
        result.warnings.append("beheerder_telefoon: geen telefoonnummer; overgeslagen")

    first_name, _space, last_name = " ".join(values.get("beheerder_naam", "").split()).partition(
        " "
    )
    number = values.get("nummer", "").strip()
    return CleanRow(
        key=f"nr:{number}" if number else f"naam:{_name_key(name, area)}",
        name=name,
        platform=platform,
        area=area,
        coverage=coverage,
        street=street,
        registered_with_municipality=_flag(
            values.get("gemeente_aangemeld", ""), "gemeente_aangemeld", result
        ),
        registered_with_police=_flag(
            values.get("politie_aangemeld", ""), "politie_aangemeld", result
        ),
        first_name=first_name[:100],
        last_name=last_name[:150],
        email=email,
        phone=phone[:20],
        registered_on=_date(values.get("datum_aangemeld", ""), result),
    )


def import_register(file: IO[str], *, dry_run: bool = False) -> ImportReport:
    """Check every row of the register, then create, update or leave each group (see module)."""
    report = ImportReport(dry_run=dry_run)
    areas = dict(Area.objects.values_list("code", "municipality_id"))
    known_areas = set(areas)
    entries = {entry.key: entry for entry in RegisterEntry.objects.select_related("group", "admin")}
    entry_names = {
        _name_key(entry.group.name, entry.group.area_id): entry.key for entry in entries.values()
    }
    # Groups registered on the portal itself: the register must not add them a second time.
    portal_groups = {
        f"{upper}|{area}"
        for upper, area in Group.objects.filter(register_entry__isnull=True)
        .annotate(upper=Upper("name"))
        .values_list("upper", "area_id")
    }

    seen_keys: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    valid: list[tuple[RowResult, CleanRow]] = []
    for line, values in read_rows(file):
        result = RowResult(line=line, name=values.get("groepsnaam", ""))
        report.rows.append(result)
        row = clean_row(values, result, known_areas)
        if row is not None:
            name_key = _name_key(row.name, row.area)
            if row.key in seen_keys:
                result.reasons.append(
                    f"Dubbel: dezelfde groep staat al op regel {seen_keys[row.key]}."
                )
            elif name_key in seen_names:
                result.reasons.append(
                    "Dubbel: dezelfde groepsnaam in hetzelfde postcodegebied staat al op "
                    f"regel {seen_names[name_key]}."
                )
            elif name_key in portal_groups:
                result.reasons.append(
                    "Dubbel: deze groep is al op het portaal geregistreerd (zelfde naam, zelfde "
                    "postcodegebied)."
                )
            elif entry_names.get(name_key, row.key) != row.key:
                result.reasons.append(
                    "Dubbel: een andere regel van het register met deze naam en dit "
                    "postcodegebied is al ingelezen."
                )
            seen_keys.setdefault(row.key, line)
            seen_names.setdefault(name_key, line)
        if result.reasons:
            result.outcome = REJECTED
            continue
        entry = entries.get(row.key)
        if entry is None:
            result.outcome = CREATED
        elif entry.fingerprint == row.fingerprint:
            result.outcome = UNCHANGED
        elif entry.is_claimed:
            result.outcome = UNCHANGED
            result.warnings.append(
                "De beheerder heeft de groep al bevestigd; wijzigingen in het register tellen "
                "niet meer (het portaal is leidend)."
            )
        else:
            result.outcome = UPDATED
        if result.outcome in (CREATED, UPDATED):
            valid.append((result, row))

    if not dry_run and valid:
        with transaction.atomic():
            _lock_import()
            _write(valid, entries, areas)
    return report


def _lock_import() -> None:
    # One import at a time: two would both create the same new groups.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('groups.takeover.import'))")


def _accounts(rows: list[CleanRow]) -> dict[str, User]:
    """The account of each admin's address: an existing one as it is, else a new one that
    has no password and is not active (the address is not verified until the claim link, or
    "Wachtwoord vergeten", is followed)."""
    emails = {row.email for row in rows}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    new = {}
    for row in rows:
        if row.email not in users and row.email not in new:
            new[row.email] = User(
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                phone=row.phone,
                is_active=False,
                password=make_password(None),
            )
    User.objects.bulk_create(new.values(), batch_size=BATCH_SIZE)
    return users | new


def _created_at(row: CleanRow, now: datetime) -> datetime:
    if not row.registered_on:
        return now
    return datetime.combine(date.fromisoformat(row.registered_on), time(12), tzinfo=UTC)


def _write(valid: list[tuple[RowResult, CleanRow]], entries: dict, areas: dict) -> None:
    now = timezone.now()
    users = _accounts([row for _result, row in valid])
    created = [row for result, row in valid if result.outcome == CREATED]
    updated = [row for result, row in valid if result.outcome == UPDATED]

    taken = set(Group.objects.values_list("slug", flat=True))
    groups = []
    for row in created:
        base = slugify(f"{row.name} {row.area}")[:120] or "groep"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        # Live at once, as on the old site; confirmed_at is the takeover, so the yearly
        # "still active?" round counts from now. last_confirmed_at stays empty until the
        # admin claims the group: until then it shows as "nog niet bevestigd".
        groups.append(
            Group(
                name=row.name,
                slug=slug,
                platform=row.platform,
                area_id=row.area,
                municipality_id=areas[row.area],
                street=row.street,
                registered_with_municipality=row.registered_with_municipality,
                registered_with_police=row.registered_with_police,
                status=GroupStatus.ACTIVE,
                created_at=_created_at(row, now),
                confirmed_at=now,
            )
        )
    Group.objects.bulk_create(groups, batch_size=BATCH_SIZE)
    GroupAdmin.objects.bulk_create(
        [
            GroupAdmin(group=g, user=users[row.email])
            for g, row in zip(groups, created, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    Coverage.objects.bulk_create(
        [
            Coverage(group=g, postcode_id=code, area_id=code[:4])
            for g, row in zip(groups, created, strict=True)
            for code in row.coverage
        ],
        batch_size=BATCH_SIZE,
    )
    RegisterEntry.objects.bulk_create(
        [
            RegisterEntry(
                group=g,
                key=row.key,
                admin=users[row.email],
                fingerprint=row.fingerprint,
                imported_at=now,
                updated_at=now,
            )
            for g, row in zip(groups, created, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    for row in updated:
        _update(entries[row.key], row, users[row.email], areas, now)


def _update(entry: RegisterEntry, row: CleanRow, user: User, areas: dict, now: datetime) -> None:
    """Bring an unclaimed group in line with its changed row."""
    group = entry.group
    group.name, group.platform, group.street = row.name, row.platform, row.street
    group.area_id, group.municipality_id = row.area, areas[row.area]
    group.registered_with_municipality = row.registered_with_municipality
    group.registered_with_police = row.registered_with_police
    group.created_at = _created_at(row, group.created_at)
    group.save()
    current = set(group.coverage.values_list("postcode_id", flat=True))
    group.coverage.exclude(postcode_id__in=row.coverage).delete()
    # Not Group.add_coverage: that tells the waiting list, and the import sends no mail.
    Coverage.objects.bulk_create(
        [
            Coverage(group=group, postcode_id=code, area_id=code[:4])
            for code in sorted(set(row.coverage) - current)
        ],
        ignore_conflicts=True,
    )
    if entry.admin_id != user.pk:
        # The register names another admin: the old one (who never claimed) is no admin
        # of this group any more.
        if entry.admin_id is not None:
            GroupAdmin.objects.filter(group=group, user_id=entry.admin_id).delete()
        GroupAdmin.objects.get_or_create(group=group, user=user)
        entry.admin = user
        entry.claim_mail_sent_at = None
    elif user.never_activated:
        # Still the register's own account: its details follow the register.
        user.first_name, user.last_name, user.phone = row.first_name, row.last_name, row.phone
        user.save(update_fields=["first_name", "last_name", "phone"])
    entry.fingerprint = row.fingerprint
    entry.updated_at = now
    entry.save(update_fields=["admin", "claim_mail_sent_at", "fingerprint", "updated_at"])
