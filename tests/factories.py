"""Factories for the tests: plain functions that create rows the way the apps do.

Every suite builds its data with these (the persona worlds in tests/personas.py too), so a
model change is made in one place. Fixtures that wrap them live in the conftest.py files.
"""

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.utils import timezone

from elearning.models import Course, CourseStatus
from groups.models import Coverage, Group, GroupAdmin, GroupStatus, Platform
from panels.models import (
    ADMINS_PANEL,
    Membership,
    MembershipStatus,
    Option,
    Panel,
    Question,
    QuestionKind,
    Round,
)
from postcodes.models import Area, Municipality, Postcode
from wabp.models import User

PASSWORD = "Buurt-preventie-2026!"


def make_user(email: str, **fields) -> User:
    fields.setdefault("first_name", email.split("@")[0].capitalize())
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


# Real postcodes --------------------------------------------------------------------------------

POSTCODE_DATA = Path(__file__).resolve().parent.parent / "postcodes" / "data"

# The real areas whose PC6 postcodes the tests have (every PC4 area is there).
SOME_POSTCODE_AREAS = frozenset(
    [str(n) for n in range(1011, 1020)]  # Amsterdam centre
    + [str(n) for n in range(3511, 3516)]  # Utrecht centre
    + [str(n) for n in range(9401, 9410)]  # Assen (9409 Loon)
    + [str(n) for n in range(7941, 7950)]  # Meppel (7948 also Nijeveen, 7949 Rogat)
    + ["9411", "7951", "7991"]  # around them: Beilen, Staphorst/Rouveen, Dwingeloo
    + ["1521", "2451", "5028", "5256"]  # quirks, see `some_postcodes` in tests/conftest.py
    + [str(n) for n in range(2611, 2630)]  # Delft (13 areas; 2615, 2617-2621 do not exist):
    # place search and the gap map
    + ["5211", "5212", "5241"]  # 's-Hertogenbosch, Rosmalen (gemeente 's-Hertogenbosch)
    + ["2511", "2566"]  # 's-Gravenhage (Den Haag) centre and Vogelwijk
    + ["1028"]  # Amsterdam-Noord, Zunderdorp: no group of the default world covers it
)

# Place search (tests/groups/test_search_places.py): Delft, 's-Hertogenbosch, Den Haag.
DELFT = ["2611", "2612", "2613", "2614", "2616", *(str(n) for n in range(2622, 2630))]
PLACE_AREAS = [*DELFT, "5211", "5212", "5241", "2511", "2566", "1028"]

# The areas most tests need (the `areas` fixture): Amsterdam centre, Utrecht centre, Assen.
AMSTERDAM = [f"{n}" for n in range(1011, 1019) if n != 1014]
UTRECHT = [f"{n}" for n in range(3511, 3516)]
ASSEN = [f"{n}" for n in range(9401, 9408)]
DEFAULT_AREAS = AMSTERDAM + UTRECHT + ASSEN

# Where `store_real_postcodes` keeps the importer's rows for the session.
STORE = "testdata"


def store_real_postcodes(pc6_file: Path) -> None:
    """Import NL.txt and the PC6 rows in `pc6_file` with the real importer, once per test
    database, and keep the rows in the schema STORE; the postcode tables are left empty.

    Tests then copy what they need (`load_areas`) inside their own transaction, so every test
    still starts without postcodes unless it asks for them, and a flush (transactional
    tests) does not lose the store: it holds no Django tables.
    """
    from postcodes.importer import import_files

    import_files([POSTCODE_DATA / "NL.txt", pc6_file])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {STORE} CASCADE; CREATE SCHEMA {STORE}")
        for model in (Municipality, Area, Postcode):
            table = model._meta.db_table
            cursor.execute(f"CREATE TABLE {STORE}.{table} AS SELECT * FROM {table}")
        for model in (Postcode, Area, Municipality):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


def load_areas(codes: Iterable[str] | None = DEFAULT_AREAS) -> dict[str, Area]:
    """Real areas for these PC4 codes, with their PC6 postcodes and municipalities, as the
    importer made them (see `store_real_postcodes`); None: every area. Idempotent."""
    if codes is not None:
        codes = sorted(set(codes))
        if not_stored := set(codes) - SOME_POSTCODE_AREAS:
            raise ValueError(f"add {sorted(not_stored)} to SOME_POSTCODE_AREAS")
    municipality, area, postcode = (m._meta.db_table for m in (Municipality, Area, Postcode))
    wanted = "TRUE" if codes is None else "{column} = ANY(%(codes)s)"

    def columns(model) -> list[str]:
        return [f.column for f in model._meta.concrete_fields]

    def copy(model, alias: str, where: str) -> str:
        # The municipality is found by name: a test may have made it before.
        table = model._meta.db_table
        select = [
            "m.id" if column == "municipality_id" else f"{alias}.{column}"
            for column in columns(model)
        ]
        return (
            f"INSERT INTO {table} ({', '.join(columns(model))}) "
            f"SELECT {', '.join(select)} FROM {STORE}.{table} {alias} "
            f"LEFT JOIN {STORE}.{municipality} sm ON sm.id = {alias}.municipality_id "
            f"LEFT JOIN {municipality} m ON m.name = sm.name "
            f"WHERE {where} ON CONFLICT DO NOTHING"
        )

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {municipality} (name, slug, province, code) "
            f"SELECT name, slug, province, code FROM {STORE}.{municipality} WHERE id IN ("
            f"SELECT municipality_id FROM {STORE}.{area} WHERE {wanted.format(column='code')} "
            f"UNION SELECT municipality_id FROM {STORE}.{postcode} "
            f"WHERE {wanted.format(column='area_id')}) ON CONFLICT DO NOTHING",
            {"codes": codes},
        )
        cursor.execute(copy(Area, "a", wanted.format(column="a.code")), {"codes": codes})
        cursor.execute(copy(Postcode, "p", wanted.format(column="p.area_id")), {"codes": codes})
    return Area.objects.in_bulk(codes) if codes is not None else Area.objects.in_bulk()


# Groups ---------------------------------------------------------------------------------------


def make_group(
    name: str,
    area: Area | str,
    *,
    postcodes=(),
    admins=(),
    status: str = GroupStatus.ACTIVE,
    **fields,
) -> Group:
    """An (active) group located in `area`, covering `postcodes`, run by `admins`."""
    if isinstance(area, str):
        area = Area.objects.get(code=area)
    now = timezone.now()
    fields.setdefault("platform", Platform.WHATSAPP)
    if status == GroupStatus.ACTIVE:
        fields.setdefault("confirmed_at", now - timedelta(days=40))
        fields.setdefault("last_confirmed_at", now - timedelta(days=40))
    group = Group.objects.create(name=name, area=area, status=status, **fields)
    for user in admins:
        GroupAdmin.objects.create(group=group, user=user)
    add_coverage(group, postcodes)
    return group


def add_coverage(group: Group, postcodes) -> None:
    Coverage.objects.bulk_create(
        [Coverage(group=group, postcode_id=code, area_id=code[:4]) for code in postcodes],
        ignore_conflicts=True,
    )


def make_join_request(group: Group, *, status: str = "pending", **fields):
    """A resident's join request for `group`; confirmed (pending) unless told otherwise."""
    from groups.models import JoinRequest

    now = timezone.now()
    n = JoinRequest.objects.count() + 1
    fields.setdefault("name", f"Bewoner {n}")
    fields.setdefault("email", f"bewoner{n}@example.test")
    fields.setdefault("phone", "0611122233")
    fields.setdefault("street", "Kloveniersburgwal 1")
    fields.setdefault("postcode", "1011AB")
    fields.setdefault("consent_version", "2026-1")
    if status != "unconfirmed":
        fields.setdefault("confirmed_at", now)
    if status in ("accepted", "declined"):
        fields.setdefault("handled_at", now)
    return JoinRequest.objects.create(group=group, status=status, **fields)


# Panels ---------------------------------------------------------------------------------------


def admins_panel() -> Panel:
    # get_or_create: transactional tests flush the rows the data migration made.
    return Panel.objects.get_or_create(slug=ADMINS_PANEL, defaults={"name": "Beheerderspanel"})[0]


def add_member(panel: Panel, user, status=MembershipStatus.ACTIVE) -> Membership:
    return Membership.objects.create(
        panel=panel, user=user, status=status, joined_at=timezone.now()
    )


def make_round(panel: Panel | None = None, *, anonymous=False, slug="werkwijze", **fields) -> Round:
    """A round open from yesterday to next week, with one question of each kind."""
    now = timezone.now()
    fields.setdefault("opens_at", now - timedelta(days=1))
    fields.setdefault("closes_at", now + timedelta(days=7))
    round = Round.objects.create(
        title=fields.pop("title", "Onze werkwijze"),
        slug=slug,
        introduction="Het bestuur legt **de nieuwe werkwijze** voor.",
        is_anonymous=anonymous,
        **fields,
    )
    round.panels.add(panel or admins_panel())
    Question.objects.create(
        round=round, order=1, kind=QuestionKind.LIKERT, text="Hoe tevreden bent u?",
        low_label="Zeer ontevreden", high_label="Zeer tevreden",
    )  # fmt: skip
    single = Question.objects.create(
        round=round, order=2, kind=QuestionKind.SINGLE, text="Hoe vaak gebruikt u de app?"
    )
    for i, text in enumerate(["Dagelijks", "Wekelijks", "Zelden"]):
        Option.objects.create(question=single, order=i, text=text)
    multiple = Question.objects.create(
        round=round, order=3, kind=QuestionKind.MULTIPLE, text="Welke trainingen kent u?",
        allow_other=True, required=False,
    )  # fmt: skip
    for i, text in enumerate(["E-learning", "Avond met de wijkagent"]):
        Option.objects.create(question=multiple, order=i, text=text)
    Question.objects.create(
        round=round, order=4, kind=QuestionKind.OPEN, text="Wat kan beter?", required=False
    )
    return round


def questions(round: Round) -> dict[str, Question]:
    return {q.kind: q for q in round.questions.all()}


def option_id(round: Round, text: str) -> int:
    return Option.objects.get(question__round=round, text=text).pk


def answer_data(round: Round, likert=4, single="Wekelijks", multiple=(), other="", text=""):
    """POST data for the round's answer form."""
    q = questions(round)
    data = {
        q["likert"].field_name: str(likert),
        q["single"].field_name: str(option_id(round, single)),
    }
    data[q["multiple"].field_name] = [str(option_id(round, m)) for m in multiple]
    data[q["multiple"].other_field_name] = other
    data[q["open"].field_name] = text
    return data


# E-learning -----------------------------------------------------------------------------------


def make_course(
    slug: str = "cursus",
    status: str = CourseStatus.PUBLISHED,
    lessons: int = 3,
    questions: int = 5,
    **fields,
) -> Course:
    """A course with numbered lessons and questions; even-numbered questions have two right answers."""
    spec = {
        "title": fields.pop("title", f"Cursus {slug}"),
        "slug": slug,
        "summary": "Een korte cursus om mee te testen.",
        "status": status,
        "lessons": [
            {"title": f"Les {n}", "body": f"Tekst van les {n} over {slug}."}
            for n in range(1, lessons + 1)
        ],
        "questions": [
            {
                "text": f"Vraag {n}?",
                "explanation": f"Uitleg bij vraag {n}.",
                "multiple": n % 2 == 0,
                "choices": [
                    [f"Goed {n}", True],
                    [f"Ook goed {n}" if n % 2 == 0 else f"Fout {n}b", n % 2 == 0],
                    [f"Fout {n}c", False],
                ],
            }
            for n in range(1, questions + 1)
        ],
        **fields,
    }
    return Course.objects.create_from_content(spec)


def right_answers(course: Course) -> dict[str, list[int]]:
    """Question id -> the right choice ids, as the quiz form delivers them."""
    return {
        str(q.pk): sorted(c.pk for c in q.choices.all() if c.is_correct)
        for q in course.questions.prefetch_related("choices")
    }


def wrong_answers(course: Course) -> dict[str, list[int]]:
    return {
        str(q.pk): [c.pk for c in q.choices.all() if not c.is_correct][-1:]
        for q in course.questions.prefetch_related("choices")
    }


def answers_with(course: Course, right: int) -> dict[str, list[int]]:
    """The first `right` questions answered right, the rest wrong."""
    good, bad = right_answers(course), wrong_answers(course)
    return {pk: good[pk] if n < right else bad[pk] for n, pk in enumerate(good)}


def as_post(answers: dict[str, list[int]]) -> dict[str, list[str]]:
    return {f"vraag_{pk}": [str(c) for c in choices] for pk, choices in answers.items()}
