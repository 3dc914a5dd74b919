"""The benchmark's work inside Django, one subcommand per job; prints one JSON object last.

    DATABASE_URL=... python bench/djtasks.py sample --seed 1 --postcodes 500 --unseen-postcodes 20000
    DATABASE_URL=... python bench/djtasks.py grow --target 100000 --seed 2
    DATABASE_URL=... python bench/djtasks.py search-time --postcodes-file F --requests 300
    DATABASE_URL=... python bench/djtasks.py name-search-time --requests 200 [--queries-file F]
    DATABASE_URL=... python bench/djtasks.py import-time FILE [FILE ...]
    DATABASE_URL=... python bench/djtasks.py joins --emails-file F [--delete]

Called by bench/run.py and bench/soak.py with production settings (lib.production_env).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wabp.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from groups.models import Coverage, Group, GroupAdmin, GroupStatus, JoinRequest  # noqa: E402
from postcodes.models import Area, Municipality, Postcode  # noqa: E402
from wabp.models import OutboundEmail, User  # noqa: E402

BATCH = 2000


def sample(args) -> dict:
    """Seeded samples of real PC6 postcodes, active group slugs and municipality slugs."""
    rng = random.Random(args.seed)
    codes = list(Postcode.objects.order_by("code").values_list("code", flat=True))
    groups = list(Group.objects.active().order_by("pk").values_list("slug", flat=True))
    municipalities = list(
        Municipality.objects.filter(groups__status=GroupStatus.ACTIVE)
        .distinct()
        .order_by("slug")
        .values_list("slug", flat=True)
    ) or list(Municipality.objects.order_by("slug").values_list("slug", flat=True))
    picked = rng.sample(codes, min(args.postcodes + args.unseen_postcodes, len(codes)))
    return {
        **name_queries(rng, args.name_queries),
        "postcodes": picked[: args.postcodes],
        # Never in "postcodes": each is searched once, so every request misses the cache.
        "unseen_postcodes": picked[args.postcodes :],
        "groups": rng.sample(groups, min(args.groups, len(groups))),
        "municipalities": rng.sample(municipalities, min(args.municipalities, len(municipalities))),
        "counts": counts(),
    }


# What people type for places that GeoNames spells otherwise: the aliases must stay fast too.
ALIAS_QUERIES = ["Den Bosch", "Den Haag", "The Hague", "s hertogenbosch", "Sudwest Fryslan"]


def name_queries(rng: random.Random, n: int) -> dict:
    """Seeded `?q=` queries: place names as typed (lower case, no punctuation), words of
    active groups' names, the aliases; and `?plaats=` names, all real."""
    places = sorted(
        {place for places in Area.objects.values_list("places", flat=True) for place in places}
    )
    words = sorted(
        {
            word
            for name in Group.objects.active().values_list("name", flat=True)
            for word in name.split()
            if len(word) >= 4
        }
    )
    typed = [place.lower().replace("-", " ").replace("'", "") for place in places]
    half = n // 2
    queries = rng.sample(typed, min(half, len(typed))) + rng.sample(words, min(half, len(words)))
    rng.shuffle(queries)
    return {
        "name_queries": ALIAS_QUERIES + queries,
        "place_names": rng.sample(places, min(n, len(places))),
    }


def counts() -> dict:
    return {
        "groups": Group.objects.count(),
        "active_groups": Group.objects.active().count(),
        "coverage": Coverage.objects.count(),
        "postcodes": Postcode.objects.count(),
    }


def _templates(rng: random.Random) -> list[dict]:
    """The shape of the existing groups (status, flags, coverage size, admins) to copy from."""
    table = Coverage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT group_id, count(*) FROM {table} GROUP BY group_id")  # noqa: S608
        coverage_sizes = dict(cursor.fetchall())
    admins = {}
    trained = set()
    for group_id, trained_at in GroupAdmin.objects.values_list("group_id", "user__trained_at"):
        admins[group_id] = admins.get(group_id, 0) + 1
        if trained_at:
            trained.add(group_id)
    fields = [
        "pk",
        "platform",
        "status",
        "registered_with_municipality",
        "registered_with_police",
        "member_count",
        "is_verified",
        "created_at",
        "confirmed_at",
        "last_confirmed_at",
    ]
    rows = list(Group.objects.order_by("pk").values(*fields)[:20000])
    for row in rows:
        row["coverage"] = coverage_sizes.get(row["pk"], 0)
        row["admins"] = admins.get(row["pk"], 1)
        row["trained"] = row["pk"] in trained
    if rows:
        return rows
    # An empty database: a plausible default shape.
    now = timezone.now()
    return [
        {
            "platform": "whatsapp",
            "status": GroupStatus.ACTIVE,
            "registered_with_municipality": rng.random() < 0.5,
            "registered_with_police": rng.random() < 0.3,
            "member_count": rng.randint(10, 250),
            "is_verified": rng.random() < 0.2,
            "created_at": now,
            "confirmed_at": now,
            "last_confirmed_at": now,
            "coverage": rng.choice([0, 5, 12, 20, 40, 80]),
            "admins": rng.choice([1, 1, 2, 3]),
            "trained": rng.random() < 0.4,
        }
        for _ in range(200)
    ]


def grow(args) -> dict:
    """Add groups (with admins and coverage shaped like the existing ones) up to --target."""
    started = time.perf_counter()
    rng = random.Random(args.seed)
    have = Group.objects.count()
    missing = args.target - have
    if missing <= 0:
        return {"added": 0, "seconds": 0.0, "counts": counts()}
    templates = _templates(rng)
    areas = list(
        Area.objects.filter(latitude__isnull=False, postcodes__isnull=False)
        .distinct()
        .values_list("code", "place", "municipality_id")
    )
    postcodes_by_area: dict[str, list[str]] = {}
    for code, area in Postcode.objects.order_by("code").values_list("code", "area_id"):
        postcodes_by_area.setdefault(area, []).append(code)
    now = timezone.now()
    run = f"{args.seed}-{int(time.time())}"
    done = 0
    while done < missing:
        size = min(BATCH, missing - done)
        with transaction.atomic():
            groups, shapes = [], []
            for n in range(done, done + size):
                shape = rng.choice(templates)
                area, place, municipality = rng.choice(areas)
                groups.append(
                    Group(
                        name=f"Buurtpreventie {place} {n + 1}",
                        slug=f"bench-{run}-{n + 1}",
                        area_id=area,
                        municipality_id=municipality,
                        **{
                            k: shape[k]
                            for k in (
                                "platform",
                                "status",
                                "registered_with_municipality",
                                "registered_with_police",
                                "member_count",
                                "is_verified",
                                "created_at",
                                "confirmed_at",
                                "last_confirmed_at",
                            )
                        },
                    )
                )
                shapes.append(shape)
            Group.objects.bulk_create(groups)
            users, memberships = [], []
            for group, shape in zip(groups, shapes, strict=True):
                for k in range(max(1, shape["admins"])):
                    user = User(
                        email=f"bench-{run}-{group.pk}-{k}@example.invalid",
                        password="!",  # unusable
                        first_name="Beheerder",
                        trained_at=now if shape["trained"] and k == 0 else None,
                    )
                    users.append(user)
                    memberships.append((group, user))
            User.objects.bulk_create(users)
            GroupAdmin.objects.bulk_create(
                [GroupAdmin(group=g, user=u, added_at=now) for g, u in memberships]
            )
            with connection.cursor() as cursor:
                table = Coverage._meta.db_table
                with cursor.copy(
                    f"COPY {table} (group_id, postcode_id, area_id, added_at) FROM STDIN"
                ) as copy:
                    for group, shape in zip(groups, shapes, strict=True):
                        codes = postcodes_by_area.get(group.area_id, [])
                        k = min(shape["coverage"], len(codes))
                        if not k:
                            continue
                        # A run of neighbouring postcodes, like a real neighbourhood.
                        start = rng.randrange(0, len(codes) - k + 1)
                        for code in codes[start : start + k]:
                            copy.write_row((group.pk, code, group.area_id, now))
        done += size
        print(f"grow: {have + done} groups", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"added": missing, "seconds": time.perf_counter() - started, "counts": counts()}


def search_time(args) -> dict:
    """Per-request time of the search view in-process (django.test.Client), one at a time."""
    from django.test import Client

    codes = json.loads(Path(args.postcodes_file).read_text())
    client = Client()
    statuses: dict[int, int] = {}

    def one(code: str) -> float:
        t0 = time.perf_counter()
        response = client.get("/zoeken/", {"postcode": code})
        elapsed = time.perf_counter() - t0
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        return elapsed

    for code in codes[: args.warmup]:
        one(code)
    statuses.clear()
    times = [one(codes[i % len(codes)]) for i in range(args.requests)]
    return {
        "median_ms": statistics.median(times) * 1000,
        "mean_ms": statistics.fmean(times) * 1000,
        "p90_ms": statistics.quantiles(times, n=10)[-1] * 1000 if len(times) > 1 else 0,
        "requests": len(times),
        "statuses": statuses,
        "counts": counts(),
    }


def name_search_time(args) -> dict:
    """Per-request time of `/zoeken/?q=` (group and place names) and `/zoeken/?plaats=` in
    process, one at a time, each a page-cache miss: the database work a new query costs."""
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client

    if args.queries_file:
        data = json.loads(Path(args.queries_file).read_text())
    else:
        data = name_queries(random.Random(args.seed), args.requests)
    client = Client()
    page_cache = caches[settings.PAGE_CACHE_ALIAS]
    result: dict = {"counts": counts()}

    def one(param: str, value: str, statuses: dict) -> float:
        page_cache.clear()
        t0 = time.perf_counter()
        response = client.get("/zoeken/", {param: value})
        elapsed = time.perf_counter() - t0
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        return elapsed

    for param, values in (("q", data["name_queries"]), ("plaats", data["place_names"])):
        warmup: dict[int, int] = {}
        for value in values[: args.warmup]:
            one(param, value, warmup)
        statuses: dict[int, int] = {}
        times = [one(param, values[i % len(values)], statuses) for i in range(args.requests)]
        result[param] = {
            "median_ms": statistics.median(times) * 1000,
            "p90_ms": statistics.quantiles(times, n=10)[-1] * 1000 if len(times) > 1 else 0,
            "max_ms": max(times) * 1000,
            "requests": len(times),
            "statuses": statuses,
        }
    return result


def import_time(args) -> dict:
    """Time `manage.py import_postcodes` alone (the database is migrated and empty)."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("import_postcodes", *args.files, stdout=sys.stderr)
    return {"seconds": time.perf_counter() - started, "counts": counts()}


def joins(args) -> dict:
    """Which of these e-mail addresses have a join request; --delete removes the soak's rows."""
    emails = sorted(set(json.loads(Path(args.emails_file).read_text())))
    found = set(JoinRequest.objects.filter(email__in=emails).values_list("email", flat=True))
    result = {"asked": len(emails), "found": len(found), "missing": sorted(set(emails) - found)}
    if args.delete:
        from django_tasks_db.models import DBTaskResult

        with transaction.atomic():
            outbox = list(OutboundEmail.objects.filter(to__in=emails).values_list("pk", flat=True))
            tasks = DBTaskResult.objects.filter(
                task_path__endswith="deliver_email", args_kwargs__args__0__in=outbox
            )
            result["deleted_tasks"] = tasks.delete()[0]
            result["deleted_mail"] = OutboundEmail.objects.filter(pk__in=outbox).delete()[0]
            result["deleted_join_requests"] = JoinRequest.objects.filter(email__in=emails).delete()[
                0
            ]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sample")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--postcodes", type=int, default=500)
    p.add_argument("--groups", type=int, default=500)
    p.add_argument("--municipalities", type=int, default=200)
    p.add_argument("--unseen-postcodes", type=int, default=0)
    p.add_argument("--name-queries", type=int, default=200)
    p.set_defaults(func=sample)
    p = sub.add_parser("grow")
    p.add_argument("--target", type=int, required=True)
    p.add_argument("--seed", type=int, default=2)
    p.set_defaults(func=grow)
    p = sub.add_parser("search-time")
    p.add_argument("--postcodes-file", required=True)
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--warmup", type=int, default=50)
    p.set_defaults(func=search_time)
    p = sub.add_parser("name-search-time")
    p.add_argument("--queries-file")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.set_defaults(func=name_search_time)
    p = sub.add_parser("import-time")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=import_time)
    p = sub.add_parser("joins")
    p.add_argument("--emails-file", required=True)
    p.add_argument("--delete", action="store_true")
    p.set_defaults(func=joins)
    p = sub.add_parser("counts")
    p.set_defaults(func=lambda args: counts())
    args = parser.parse_args()
    print(json.dumps(args.func(args), default=str))


if __name__ == "__main__":
    main()
