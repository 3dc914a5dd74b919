import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from panels.models import Round
from panels.results import question_results, response_rates
from tests.conftest import make_user
from tests.panels.conftest import add_member, make_round, option_id, questions
from tests.support import log_in


def fill(round: Round, panel, rows: list[dict]) -> list:
    """Members answering the round: each row has likert/single/multiple/other/text."""
    q = questions(round)
    users = []
    for i, row in enumerate(rows):
        user = make_user(f"lid{i}@example.test", first_name=f"Lid{i}", last_name="Achternaam")
        add_member(panel, user)
        answers = {}
        if "likert" in row:
            answers[q["likert"].field_name] = row["likert"]
        if "single" in row:
            answers[q["single"].field_name] = option_id(round, row["single"])
        if row.get("multiple"):
            answers[q["multiple"].field_name] = [option_id(round, m) for m in row["multiple"]]
        if row.get("other"):
            answers[q["multiple"].other_field_name] = row["other"]
        if "text" in row:
            answers[q["open"].field_name] = row["text"]
        round.record_answers(user, answers)
        users.append(user)
    return users


KNOWN = [
    {"likert": 5, "single": "Dagelijks", "multiple": ["E-learning"], "text": "Meer uitleg"},
    {"likert": 4, "single": "Dagelijks", "multiple": ["E-learning", "Avond met de wijkagent"]},
    {"likert": 4, "single": "Zelden", "other": "=EHBO-cursus", "text": "Betere app"},
    {"likert": 2},
]


@pytest.fixture
def answered_round(panel):
    round = make_round(panel, anonymous=True, slug="bekend")
    fill(round, panel, KNOWN)
    return round


@pytest.fixture
def named_round(panel):
    round = make_round(panel, slug="op-naam")
    fill(round, panel, KNOWN[:2])
    return round


def by_kind(results):
    return {r.question.kind: r for r in results}


def bars(result):
    return [(bar.label, bar.count, bar.percent) for bar in result.bars]


def test_likert_counts_percentages_and_mean(answered_round):
    likert = by_kind(question_results(answered_round))["likert"]
    assert likert.answered == 4
    assert bars(likert) == [
        ("1 – Zeer ontevreden", 0, 0.0),
        ("2", 1, 25.0),
        ("3", 0, 0.0),
        ("4", 2, 50.0),
        ("5 – Zeer tevreden", 1, 25.0),
    ]
    assert likert.mean == 3.75


def test_single_choice_counts_only_those_who_answered(answered_round):
    single = by_kind(question_results(answered_round))["single"]
    assert single.answered == 3
    assert bars(single) == [("Dagelijks", 2, 66.7), ("Wekelijks", 0, 0.0), ("Zelden", 1, 33.3)]
    assert single.mean is None


def test_multiple_choice_counts_each_option_and_other(answered_round):
    multiple = by_kind(question_results(answered_round))["multiple"]
    assert multiple.answered == 3
    assert bars(multiple) == [
        ("E-learning", 2, 66.7),
        ("Avond met de wijkagent", 1, 33.3),
        ("Anders", 1, 33.3),
    ]
    assert multiple.texts == ["=EHBO-cursus"]


def test_open_answers_are_listed_sorted(answered_round):
    open_result = by_kind(question_results(answered_round))["open"]
    assert open_result.answered == 2
    assert open_result.texts == ["Betere app", "Meer uitleg"]


def test_results_of_a_round_without_answers(open_round):
    likert = by_kind(question_results(open_round))["likert"]
    assert likert.answered == 0
    assert likert.mean is None
    assert all(bar.percent == 0 for bar in likert.bars)


def test_response_rate_per_panel(answered_round, panel):
    make_user("stil@example.test")  # not a member: does not count
    add_member(panel, make_user("zwijger@example.test"))  # member who did not answer
    (rate,) = response_rates(answered_round)
    assert (rate.active, rate.answered, rate.percent) == (5, 4, 80.0)


# Results page --------------------------------------------------------------------------------


def results_url(round):
    return reverse("panels:results", kwargs={"slug": round.slug})


@pytest.mark.parametrize("persona", ["member", "non_member"])
def test_results_page_is_for_the_board_only(client, answered_round, persona, request):
    log_in(client, request.getfixturevalue(persona))
    assert client.get(results_url(answered_round)).status_code == 404
    csv_url = reverse("panels:results_csv", kwargs={"slug": answered_round.slug})
    assert client.get(csv_url).status_code == 404


def test_results_page_shows_svg_charts_without_inline_styles(
    client, board, answered_round, django_assert_max_num_queries
):
    log_in(client, board)
    with django_assert_max_num_queries(10):
        response = client.get(results_url(answered_round))
    html = response.content.decode()
    assert html.count('<svg class="chart" role="img"') == 3
    assert html.count('<title id="chart-') == 3
    assert "style=" not in html
    assert "<style" not in html
    assert 'width="160.0"' in html  # 50% of the 320-unit bar area, never "160,0"
    assert "3,75" in html  # the Likert mean, in Dutch notation
    assert "Betere app" in html
    assert "80,0%" not in html and "100,0%" in html  # 4 of 4 active members answered


def test_csv_of_an_anonymous_round_has_no_identity(client, board, answered_round):
    log_in(client, board)
    response = client.get(reverse("panels:results_csv", kwargs={"slug": answered_round.slug}))
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == [
        "Hoe tevreden bent u?",
        "Hoe vaak gebruikt u de app?",
        "Welke trainingen kent u?",
        "Welke trainingen kent u? (anders)",
        "Wat kan beter?",
    ]
    assert len(rows) == 5
    assert sorted(row[0] for row in rows[1:]) == ["2", "4", "4", "5"]
    assert ["4", "Dagelijks", "E-learning; Avond met de wijkagent", "", ""] in rows
    assert ["4", "Zelden", "", "'=EHBO-cursus", "Betere app"] in rows  # no formula injection
    assert "@example.test" not in content
    assert "Lid" not in content


def test_csv_of_a_named_round_starts_with_name_and_email(client, board, named_round):
    log_in(client, board)
    content = client.get(
        reverse("panels:results_csv", kwargs={"slug": named_round.slug})
    ).content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:3] == ["Naam", "E-mailadres", "Ingevuld op"]
    assert rows[1][:2] == ["Lid0 Achternaam", "lid0@example.test"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", rows[1][2])
    assert rows[1][3:] == ["5", "Dagelijks", "E-learning", "", "Meer uitleg"]


# Publishing ----------------------------------------------------------------------------------------


def test_members_see_summary_and_board_response_after_publishing(client, board, answered_round):
    user = make_user("lezer@example.test")
    add_member(answered_round.panels.get(), user)
    round_url = reverse("panels:round", kwargs={"slug": answered_round.slug})
    client.force_login(user)
    assert "Wat het bestuur met uw inbreng doet" not in client.get(round_url).content.decode()

    answered_round.board_response = "We gaan **de app** verbeteren."
    answered_round.save()
    log_in(client, board)
    with time_machine.travel(answered_round.closes_at + timedelta(days=1)):
        client.post(
            reverse("admin:panels_round_changelist"),
            {"action": "publish_results", "_selected_action": [answered_round.pk]},
        )
        answered_round.refresh_from_db()
        assert answered_round.results_published_at is not None

        client.force_login(user)
        html = client.get(round_url).content.decode()
    assert "Wat het bestuur met uw inbreng doet" in html
    assert "<strong>de app</strong>" in html
    assert "3,75" in html  # the summary
    assert "Betere app" not in html  # open answers stay with the board


def test_publishing_needs_the_boards_response(client, board, answered_round):
    log_in(client, board)
    client.post(
        reverse("admin:panels_round_changelist"),
        {"action": "publish_results", "_selected_action": [answered_round.pk]},
    )
    answered_round.refresh_from_db()
    assert answered_round.results_published_at is None


@pytest.mark.parametrize(
    ("language", "shown", "never"), [("nl", "33,3%", "33.3%"), ("en", "33.3%", "33,3%")]
)
def test_chart_and_table_write_percentages_alike(
    client, board, answered_round, language, shown, never
):
    from django.utils import translation

    log_in(client, board)
    with translation.override(language):
        url = results_url(answered_round)
    html = client.get(url).content.decode()
    chart = html[html.index("<svg") : html.rindex("</svg>")]
    assert shown in chart and never not in chart
    assert shown in html and never not in html
