"""E-learning fixtures: course factories, and clients for the personas.

learner_client -- logged in as `learner` (tests/conftest.py), who administers no group
board_client   -- logged in as the board
course         -- a published course: 3 lessons, 5 questions (questions 2 and 4 have
                  two right answers), pass mark 80%, so 4 of 5 right passes exactly
"""

import pytest
from django.test import Client

from elearning.models import Course
from tests.factories import answers_with, as_post, make_course, right_answers, wrong_answers
from tests.support import log_in

# Re-exported: other suites import the factories from here.
__all__ = ["answers_with", "as_post", "make_course", "right_answers", "wrong_answers"]


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
