"""E-learning fixtures: course factories, and clients for the personas.

learner_client -- logged in as `learner` (tests/conftest.py), who administers no group
board_client   -- logged in as the board
course         -- a published course: 3 lessons, 5 questions (questions 2 and 4 have
                  two right answers), pass mark 80%, so 4 of 5 right passes exactly
"""

import pytest
from django.test import Client

from elearning.models import Course, CourseStatus
from tests.support import log_in


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


@pytest.fixture
def course(db) -> Course:
    return make_course()


@pytest.fixture
def learner_client(learner) -> Client:
    client = Client()
    client.force_login(learner)
    return client


@pytest.fixture
def board_client(board) -> Client:
    client = Client()
    log_in(client, board)
    return client
