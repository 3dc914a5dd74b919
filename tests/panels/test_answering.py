from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from panels.models import Participation, Response, token_hash
from tests.panels.conftest import answer_data, make_round, option_id, questions
from tests.support import log_in


def round_url(round):
    return reverse("panels:round", kwargs={"slug": round.slug})


# Who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["non_member", "left_member", "board"])
def test_round_page_is_404_for_anyone_but_active_members(client, open_round, persona, request):
    log_in(client, request.getfixturevalue(persona))
    assert client.get(round_url(open_round)).status_code == 404
    assert client.post(round_url(open_round), answer_data(open_round)).status_code == 404
    assert Response.objects.count() == 0


def test_round_page_sends_anonymous_visitors_to_login(client, open_round):
    response = client.get(round_url(open_round))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_round_of_another_panel_is_404_for_a_member(client, member):
    from panels.models import Panel

    other = Panel.objects.create(name="Gemeentepanel test", slug="gemeente-test")
    round = make_round(other, slug="gemeente")
    client.force_login(member)
    assert client.get(round_url(round)).status_code == 404


def test_round_not_yet_open_is_404(client, member, panel):
    now = timezone.now()
    round = make_round(panel, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=8))
    client.force_login(member)
    assert client.get(round_url(round)).status_code == 404


def test_list_shows_open_rounds_first_then_past_ones(
    client, member, panel, django_assert_max_num_queries
):
    now = timezone.now()
    make_round(panel, slug="later-dicht", title="Sluit later", closes_at=now + timedelta(days=9))
    make_round(panel, slug="eerst-dicht", title="Sluit eerst", closes_at=now + timedelta(days=2))
    make_round(
        panel, slug="voorbij", title="Al voorbij",
        opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=10),
    )  # fmt: skip
    client.force_login(member)
    with django_assert_max_num_queries(9):
        html = client.get(reverse("panels:index")).content.decode()
    assert html.index("Sluit eerst") < html.index("Sluit later") < html.index("Al voorbij")


def test_list_for_a_non_member_explains_and_shows_no_rounds(client, non_member, open_round):
    client.force_login(non_member)
    html = client.get(reverse("panels:index")).content.decode()
    assert "nog geen lid van een panel" in html
    assert open_round.title not in html


# One response per member, editable until the close ----------------------------------------


def test_member_answers_a_named_round(client, member, open_round):
    client.force_login(member)
    data = answer_data(
        open_round, likert=5, multiple=["E-learning"], other="Cursus EHBO", text="Meer uitleg"
    )
    response = client.post(round_url(open_round), data)
    assert response.status_code == 302
    stored = Response.objects.get(round=open_round)
    q = questions(open_round)
    assert stored.user == member
    assert stored.answers[q["likert"].field_name] == 5
    assert stored.answers[q["single"].field_name] == option_id(open_round, "Wekelijks")
    assert stored.answers[q["multiple"].field_name] == [option_id(open_round, "E-learning")]
    assert stored.answers[q["multiple"].other_field_name] == "Cursus EHBO"
    assert stored.answers[q["open"].field_name] == "Meer uitleg"
    assert Participation.objects.filter(round=open_round, user=member).count() == 1


def test_second_submission_changes_the_one_response(client, member, open_round):
    client.force_login(member)
    client.post(round_url(open_round), answer_data(open_round, likert=2))
    client.post(round_url(open_round), answer_data(open_round, likert=4, single="Zelden"))
    stored = Response.objects.get(round=open_round)
    q = questions(open_round)
    assert stored.answers[q["likert"].field_name] == 4
    assert stored.answers[q["single"].field_name] == option_id(open_round, "Zelden")
    assert Participation.objects.count() == 1


def test_form_shows_the_members_earlier_answers(client, member, open_round):
    client.force_login(member)
    client.post(round_url(open_round), answer_data(open_round, likert=2, text="Eerder antwoord"))
    page = client.get(round_url(open_round))
    html = page.content.decode()
    assert page.context["form"].initial[questions(open_round)["likert"].field_name] == "2"
    assert "Eerder antwoord" in html
    assert html.count("checked") == 2  # the scale and the single choice
    assert "Wijzigingen opslaan" in html


def test_required_questions_must_be_answered(client, member, open_round):
    client.force_login(member)
    data = answer_data(open_round)
    del data[questions(open_round)["likert"].field_name]
    response = client.post(round_url(open_round), data)
    assert response.status_code == 200
    assert "Controleer uw invoer" in response.content.decode()
    assert Response.objects.count() == 0


def test_closed_round_rejects_answers_with_a_clear_message(client, member, open_round):
    client.force_login(member)
    client.post(round_url(open_round), answer_data(open_round, likert=2))
    with time_machine.travel(open_round.closes_at + timedelta(minutes=1)):
        response = client.post(round_url(open_round), answer_data(open_round, likert=5))
        assert response.status_code == 403
        assert "Deze ronde is gesloten" in response.content.decode()
        page = client.get(round_url(open_round)).content.decode()
        assert '<form method="post" action="' + round_url(open_round) not in page
    stored = Response.objects.get(round=open_round)
    assert stored.answers[questions(open_round)["likert"].field_name] == 2


def test_closed_round_rejects_a_first_answer(client, member, open_round):
    client.force_login(member)
    with time_machine.travel(open_round.closes_at):
        response = client.post(round_url(open_round), answer_data(open_round))
    assert response.status_code == 403
    assert Response.objects.count() == Participation.objects.count() == 0


# Anonymous rounds ---------------------------------------------------------------------------


def test_anonymous_answers_carry_no_reference_to_the_member(client, member, anonymous_round):
    client.force_login(member)
    response = client.post(round_url(anonymous_round), answer_data(anonymous_round, text="Anoniem"))
    assert response.status_code == 200
    assert "Uw wijzigcode" in response.content.decode()

    # The response table has no column pointing at users other than the (empty) user column…
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Response._meta.db_table}")
        columns = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 1
    row = dict(zip(columns, rows[0], strict=True))
    assert row["user_id"] is None
    assert row["submitted_on"] is None
    # …and no value in the row equals the member's id, e-mail address or name.
    flat = " ".join(str(v) for v in row.values())
    assert member.email not in flat
    assert "Paula" not in flat
    assert str(member.pk) not in [str(v) for v in row.values()]
    assert row["edit_key_hash"] and len(row["edit_key_hash"]) == 64

    # The "has answered" mark has no link to the response.
    participation_columns = {f.column for f in Participation._meta.concrete_fields}
    assert participation_columns == {"id", "round_id", "user_id"}
    participation = Participation.objects.get(round=anonymous_round)
    assert participation.user == member
    assert str(participation.pk) != str(row["id"])


def test_anonymous_response_can_be_changed_with_the_edit_key_only(client, member, anonymous_round):
    client.force_login(member)
    response = client.post(round_url(anonymous_round), answer_data(anonymous_round, likert=1))
    key = response.context["key"]
    stored = Response.objects.get()
    assert stored.edit_key_hash == token_hash(key)

    # Without the key: refused.
    client.post(round_url(anonymous_round), answer_data(anonymous_round, likert=5))
    likert = questions(anonymous_round)["likert"].field_name
    assert Response.objects.get().answers[likert] == 1

    # The key opens the answers, prefilled; saving changes the same response.
    edit_url = reverse("panels:round_edit", kwargs={"slug": anonymous_round.slug})
    page = client.post(edit_url, {"edit_key": key.lower().replace("-", " ")})
    assert page.status_code == 200
    assert page.context["form"].initial[likert] == "1"
    client.post(
        round_url(anonymous_round), {**answer_data(anonymous_round, likert=5), "edit_key": key}
    )
    assert Response.objects.get().answers[likert] == 5
    assert Response.objects.count() == 1


def test_wrong_edit_key_is_refused(client, member, anonymous_round):
    client.force_login(member)
    client.post(round_url(anonymous_round), answer_data(anonymous_round, likert=1))
    edit_url = reverse("panels:round_edit", kwargs={"slug": anonymous_round.slug})
    page = client.post(edit_url, {"edit_key": "AAAA-BBBB-CCCC-DDDD"})
    assert page.status_code == 400
    assert "Deze wijzigcode klopt niet" in page.content.decode()


def test_another_members_key_does_not_work_without_having_answered(
    client, member, other_member, anonymous_round
):
    client.force_login(member)
    key = client.post(round_url(anonymous_round), answer_data(anonymous_round, likert=1)).context[
        "key"
    ]
    client.force_login(other_member)
    client.post(
        round_url(anonymous_round), {**answer_data(anonymous_round, likert=5), "edit_key": key}
    )
    likert = questions(anonymous_round)["likert"].field_name
    assert Response.objects.get().answers[likert] == 1


def test_closing_reshuffles_anonymous_responses_and_drops_edit_keys(
    client, member, other_member, anonymous_round
):
    for user in (member, other_member):
        client.force_login(user)
        client.post(round_url(anonymous_round), answer_data(anonymous_round))
    with time_machine.travel(anonymous_round.closes_at + timedelta(hours=1)):
        assert anonymous_round.shuffle_anonymous_responses() == 2
    assert Response.objects.count() == 2
    assert set(Response.objects.values_list("edit_key_hash", flat=True)) == {""}
    anonymous_round.refresh_from_db()
    assert anonymous_round.shuffled_at is not None
