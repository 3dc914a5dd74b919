"""The board writes a choice question's options on the round's own admin page."""

import pytest
from django.urls import reverse

from panels.models import Option, Question, QuestionKind, Response
from tests.support import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_client(client, board):
    log_in(client, board)
    return client


def round_form(round) -> dict:
    """The round's change form as the admin renders it, every field as it stands."""
    data = {
        "title": round.title,
        "slug": round.slug,
        "panels": [p.pk for p in round.panels.all()],
        "opens_at_0": round.opens_at.strftime("%d-%m-%Y"),
        "opens_at_1": round.opens_at.strftime("%H:%M:%S"),
        "closes_at_0": round.closes_at.strftime("%d-%m-%Y"),
        "closes_at_1": round.closes_at.strftime("%H:%M:%S"),
        "introduction": round.introduction,
        "board_response": round.board_response,
    }
    if round.is_anonymous:
        data["is_anonymous"] = "on"
    questions = list(round.questions.all())
    data |= {
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for i, q in enumerate(questions):
        data |= {
            f"questions-{i}-id": q.pk,
            f"questions-{i}-round": round.pk,
            f"questions-{i}-order": q.order,
            f"questions-{i}-kind": q.kind,
            f"questions-{i}-text": q.text,
            f"questions-{i}-low_label": q.low_label,
            f"questions-{i}-high_label": q.high_label,
            f"questions-{i}-options_text": "\n".join(o.text for o in q.options.all()),
        }
        if q.required:
            data[f"questions-{i}-required"] = "on"
        if q.allow_other:
            data[f"questions-{i}-allow_other"] = "on"
    return data


def add_question(data: dict, round, **fields) -> dict:
    i = data["questions-TOTAL_FORMS"]
    data["questions-TOTAL_FORMS"] = i + 1
    data |= {f"questions-{i}-round": round.pk, f"questions-{i}-required": "on"}
    data |= {f"questions-{i}-{name}": value for name, value in fields.items()}
    return data


def save(board_client, round, data):
    return board_client.post(reverse("admin:panels_round_change", args=[round.pk]), data)


def texts(question) -> list[str]:
    return list(question.options.values_list("text", flat=True))


def test_the_round_page_shows_each_questions_options_inline(board_client, open_round):
    page = board_client.get(reverse("admin:panels_round_change", args=[open_round.pk])).text
    assert 'name="questions-TOTAL_FORMS"' in page
    single = open_round.questions.get(kind=QuestionKind.SINGLE)
    index = list(open_round.questions.all()).index(single)
    assert f'name="questions-{index}-options_text"' in page
    assert "Dagelijks\nWekelijks\nZelden</textarea>" in page
    # The question's own page, with every option as a row, stays one click away.
    assert reverse("admin:panels_question_change", args=[single.pk]) in page


def test_a_new_choice_question_gets_its_options_from_the_round_page(board_client, open_round):
    data = add_question(
        round_form(open_round),
        open_round,
        order=5,
        kind=QuestionKind.SINGLE,
        text="Waar hoort u het liefst over?",
        options_text="Inbraken\n\n  Verkeer  \nJongeren",
    )
    response = save(board_client, open_round, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    question = Question.objects.get(round=open_round, text="Waar hoort u het liefst over?")
    assert texts(question) == ["Inbraken", "Verkeer", "Jongeren"]
    assert list(question.options.values_list("order", flat=True)) == [1, 2, 3]


def test_editing_the_lines_keeps_options_whose_text_stays(board_client, open_round):
    single = open_round.questions.get(kind=QuestionKind.SINGLE)
    kept = Option.objects.get(question=single, text="Wekelijks").pk
    data = round_form(open_round)
    index = list(open_round.questions.all()).index(single)
    data[f"questions-{index}-options_text"] = "Wekelijks\nMaandelijks\nDagelijks"
    assert save(board_client, open_round, data).status_code == 302
    assert texts(single) == ["Wekelijks", "Maandelijks", "Dagelijks"]
    assert Option.objects.get(question=single, text="Wekelijks").pk == kept
    assert not Option.objects.filter(question=single, text="Zelden").exists()


def test_a_choice_question_needs_two_options(board_client, open_round):
    data = add_question(
        round_form(open_round),
        open_round,
        order=5,
        kind=QuestionKind.MULTIPLE,
        text="Een vraag met één keuze",
        options_text="Alleen deze",
    )
    response = save(board_client, open_round, data)
    assert response.status_code == 200
    assert "Geef minstens twee keuzes" in response.text
    assert not Question.objects.filter(text="Een vraag met één keuze").exists()


def test_open_and_scale_questions_need_no_options(board_client, open_round):
    data = add_question(
        round_form(open_round), open_round, order=5, kind=QuestionKind.OPEN, text="Nog iets?"
    )
    assert save(board_client, open_round, data).status_code == 302
    assert texts(Question.objects.get(text="Nog iets?")) == []


def test_once_answered_the_options_are_changed_on_the_questions_own_page(board_client, open_round):
    Response.objects.create(round=open_round, answers={})
    single = open_round.questions.get(kind=QuestionKind.SINGLE)
    page = board_client.get(reverse("admin:panels_round_change", args=[open_round.pk])).text
    assert "Er zijn al antwoorden." in page
    data = round_form(open_round)
    index = list(open_round.questions.all()).index(single)
    data[f"questions-{index}-options_text"] = "Iets heel anders\nNog iets"
    assert save(board_client, open_round, data).status_code == 302
    assert texts(single) == ["Dagelijks", "Wekelijks", "Zelden"]
