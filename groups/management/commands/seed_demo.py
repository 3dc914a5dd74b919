"""Demo data: about 9,300 active groups over the real PC4 areas, with admins and join requests.

    manage.py seed_demo [--seed 2026] [--groups 9300] [--if-empty]

Needs the postcodes (manage.py import_postcodes). Deterministic for a given seed and
postcode data; everything is written with bulk_create, so a full run takes seconds.
Admins get unusable passwords and example.org addresses: use "wachtwoord vergeten"
(mail goes to var/mail/ under make) to log in as one. `manage.py demo_logins` (run by
`make run`) adds a handful of logins with a known password over this data (wabp/demo.py).
"""

import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from groups.models import (
    Coverage,
    Group,
    GroupAdmin,
    GroupStatus,
    JoinRequest,
    JoinRequestStatus,
    Platform,
)
from postcodes.models import Area, Postcode
from wabp.models import CONSENT_VERSION, User

COVERAGE_SHARE = 0.6
MAX_MEMBERS = 250
PLATFORMS = [
    (Platform.WHATSAPP, 80),
    (Platform.SIGNAL, 12),
    (Platform.TELEGRAM, 5),
    (Platform.OTHER, 3),
]
PREFIXES = ["Buurtpreventie", "WhatsApp Buurtpreventie", "Buurtwacht", "BuurtApp", "WABP"]
NEIGHBOURHOODS = [
    "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Beatrixlaan", "Julianastraat",
    "Stationsweg", "Lindenlaan", "Eikenlaan", "Vogelwijk", "Bloemenbuurt", "Centrum", "Noord",
    "Oost", "Zuid", "West", "De Hoven", "Parkwijk", "Het Hof", "Oude Dorp", "Nieuwland",
    "Bomenbuurt", "Schildersbuurt", "Componistenbuurt", "Rivierenbuurt", "Sterrenwijk",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Bram", "Daan", "Emma", "Fenna", "Gijs", "Hanna", "Ilse", "Jan", "Joris", "Julia",
    "Kees", "Lotte", "Marieke", "Noah", "Olga", "Pieter", "Richard", "Sanne", "Sem", "Tessa",
    "Thijs", "Ursula", "Vera", "Wim", "Yara", "Zeynep", "Mohamed", "Fatima", "Priya", "Lucas",
    "Sophie", "Ruben", "Anouk", "Bas", "Ingrid", "Henk", "Mila", "Finn", "Ayoub",
]  # fmt: skip
LAST_NAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "Yilmaz", "El Amrani", "Öztürk",
]  # fmt: skip
EMAIL_DOMAINS = ["example.org", "mail.example.org", "buurt.example.org"]
# Join requests per state: a few of each, so every screen has something to show.
JOIN_REQUESTS_PER_STATE = 6


class Command(BaseCommand):
    help = "Create demo groups, admins and join requests over the imported postcodes."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--groups", type=int, default=9300, help="Number of groups (default 9300)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when there are groups already."
        )

    def handle(self, *args, seed: int, groups: int, if_empty: bool, **options):
        if if_empty and Group.objects.exists():
            self.stdout.write("Er zijn al groepen; seed_demo doet niets.")
            return
        started = time.monotonic()
        with transaction.atomic():
            made = Seeder(random.Random(seed), timezone.now()).run(groups)
        self.stdout.write(
            self.style.SUCCESS(
                "seed_demo: {groups} groepen ({covered} met postcodes, {location} alleen locatie), "
                "{admins} beheerders, {coverage} gedekte postcodes, {requests} aanmeldingen "
                "in {seconds:.1f} s.".format(**made, seconds=time.monotonic() - started)
            )
        )


class Seeder:
    def __init__(self, rng: random.Random, now):
        self.rng = rng
        self.now = now

    def run(self, count: int) -> dict:
        sizes = list(
            Postcode.objects.filter(area__latitude__isnull=False)
            .values_list("area_id")
            .annotate(n=Count("code"))
            .order_by("area_id")
        )
        if not sizes:
            raise CommandError("Geen postcodes gevonden: draai eerst manage.py import_postcodes.")
        codes = [code for code, _n in sizes]
        chosen = self.rng.choices(codes, weights=[n for _code, n in sizes], k=count)
        municipality_of = dict(
            Area.objects.filter(code__in=set(chosen)).values_list("code", "municipality_id")
        )
        postcodes_of: dict[str, list[str]] = {}
        for area, code in (
            Postcode.objects.filter(area_id__in=set(chosen))
            .order_by("code")
            .values_list("area_id", "code")
        ):
            postcodes_of.setdefault(area, []).append(code)

        groups, coverage_plan = self._groups(chosen, municipality_of, postcodes_of)
        Group.objects.bulk_create(groups, batch_size=2000)
        coverage = [
            Coverage(group=group, postcode_id=code, area_id=code[:4], added_at=group.created_at)
            for group, codes in zip(groups, coverage_plan, strict=True)
            for code in codes
        ]
        Coverage.objects.bulk_create(coverage, batch_size=5000)
        admins = self._admins(groups)
        requests = self._join_requests(groups, postcodes_of)
        return {
            "groups": len(groups),
            "covered": sum(1 for codes in coverage_plan if codes),
            "location": sum(1 for codes in coverage_plan if not codes),
            "admins": admins,
            "coverage": len(coverage),
            "requests": requests,
        }

    def _groups(self, chosen, municipality_of, postcodes_of):
        rng = self.rng
        taken = set(Group.objects.values_list("slug", flat=True))
        platforms, weights = zip(*PLATFORMS, strict=True)
        groups, plan = [], []
        for area in chosen:
            name = f"{rng.choice(PREFIXES)} {rng.choice(NEIGHBOURHOODS)}"
            slug = base = slugify(f"{name} {area}")
            n = 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            last_confirmed = self.now - timedelta(days=rng.uniform(0, 730))
            created = last_confirmed - timedelta(days=rng.uniform(0, 1100))
            groups.append(
                Group(
                    name=name,
                    slug=slug,
                    platform=rng.choices(platforms, weights=weights)[0],
                    area_id=area,
                    municipality_id=municipality_of.get(area),
                    status=GroupStatus.ACTIVE,
                    registered_with_municipality=rng.random() < 0.55,
                    registered_with_police=rng.random() < 0.45,
                    member_count=self._member_count() if rng.random() < 0.8 else None,
                    is_verified=rng.random() < 0.1,
                    created_at=created,
                    confirmed_at=created + timedelta(hours=rng.uniform(0.1, 48)),
                    last_confirmed_at=last_confirmed,
                )
            )
            area_codes = postcodes_of.get(area, [])
            if area_codes and rng.random() < COVERAGE_SHARE:
                size = min(len(area_codes), rng.randint(3, 36))
                start = rng.randrange(len(area_codes) - size + 1)
                plan.append(area_codes[start : start + size])
            else:
                plan.append([])
        return groups, plan

    def _member_count(self) -> int:
        """Most groups are a street or two, a few a whole village: about 54 on average,
        so 9,300 groups make the foundation's 500,000 participants."""
        return min(MAX_MEMBERS, max(8, round(self.rng.lognormvariate(3.8, 0.6))))

    def _admins(self, groups) -> int:
        rng = self.rng
        taken = set(User.objects.values_list("email", flat=True))
        unusable = make_password(None)
        users, links = [], []
        for group in groups:
            for _n in range(rng.choices([1, 2, 3], weights=[60, 30, 10])[0]):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                local = slugify(f"{first} {last}").replace("-", ".")
                email = f"{local}.{len(users) + 1}@{rng.choice(EMAIL_DOMAINS)}"
                if email in taken:
                    continue
                taken.add(email)
                users.append(
                    User(
                        email=email,
                        first_name=first,
                        last_name=last,
                        phone=f"06{rng.randrange(10**8):08d}",
                        password=unusable,
                        trained_at=group.created_at if rng.random() < 0.15 else None,
                        date_joined=group.created_at,
                    )
                )
                links.append(group)
        User.objects.bulk_create(users, batch_size=2000)
        GroupAdmin.objects.bulk_create(
            [
                GroupAdmin(group=group, user=user, added_at=group.created_at)
                for group, user in zip(links, users, strict=True)
            ],
            batch_size=5000,
        )
        return len(users)

    def _join_requests(self, groups, postcodes_of) -> int:
        rng = self.rng
        states = [
            (JoinRequestStatus.UNCONFIRMED, 1, False, False),
            (JoinRequestStatus.PENDING, 2, True, False),
            (JoinRequestStatus.PENDING, 12, True, False),  # unanswered > 10 days
            (JoinRequestStatus.ACCEPTED, 8, True, True),
            (JoinRequestStatus.DECLINED, 8, True, True),
        ]
        requests = []
        for status, age_days, confirmed, handled in states:
            for group in rng.sample(groups, min(len(groups), JOIN_REQUESTS_PER_STATE)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                created = self.now - timedelta(days=age_days, hours=rng.uniform(0, 20))
                area_codes = postcodes_of.get(group.area_id) or [f"{group.area_id}AA"]
                requests.append(
                    JoinRequest(
                        group=group,
                        name=f"{first} {last}",
                        email=f"bewoner.{len(requests) + 1}@example.org",
                        phone=f"06{rng.randrange(10**8):08d}",
                        street=f"{rng.choice(NEIGHBOURHOODS)} {rng.randint(1, 180)}",
                        postcode=rng.choice(area_codes),
                        consent_version=CONSENT_VERSION,
                        status=status,
                        created_at=created,
                        confirmed_at=created + timedelta(minutes=20) if confirmed else None,
                        handled_at=created + timedelta(days=2) if handled else None,
                    )
                )
        JoinRequest.objects.bulk_create(requests)
        return len(requests)
