"""Download all my data: everything about the subject, nothing about anyone else."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.groups.conftest import make_group, make_join_request
from tests.panels.conftest import make_round
from tests.privacy.conftest import (
    ANONYMOUS_ANSWER,
    INVITEE,
    NAMED_ANSWER,
    RESIDENT,
    SUBJECT,
    answers,
)

URL = reverse("my_data")


def download(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    return json.loads(response.content)


def test_download_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_download_is_a_json_attachment_that_is_never_cached(subject_client, footprint):
    response = subject_client.get(URL)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-wabp-')
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_download_holds_the_account_without_the_password_hash(subject_client, subject, footprint):
    response = subject_client.get(URL)
    data = json.loads(response.content)

    assert data["account"]["email"] == SUBJECT["email"]
    assert data["account"]["phone"] == SUBJECT["phone"]
    assert data["account"]["last_name"] == SUBJECT["last_name"]
    assert data["account"]["language"] == "nl"
    assert "password" not in data["account"]
    subject.refresh_from_db()
    assert subject.password.split("$")[-1] not in response.text
    assert [(c["document"], c["version"]) for c in data["consents"]] == [
        ("privacy", "2026-1"),
        ("house_rules", "2026-1"),
    ]


def test_download_holds_groups_invitations_and_what_the_subject_did_as_a_resident(
    subject_client, footprint
):
    data = download(subject_client)

    assert [g["name"] for g in data["groups_administered"]] == [
        "Buurtpreventie Alleen",
        "Buurtwacht Samen",
    ]
    assert {g["admin_since"] is not None for g in data["groups_administered"]} == {True}
    (received,) = data["admin_invitations_received"]
    assert received["group"] == "Buurtapp Elders"
    (sent,) = data["admin_invitations_sent"]
    assert sent["group"] == "Buurtwacht Samen"
    (made,) = data["join_requests_made"]
    assert (made["group"], made["phone"]) == ("Buurtapp Elders", SUBJECT["phone"])
    assert made["consent_version"] == "2026-1"
    assert made["language"] == "nl"  # the language its mail is written in
    (entry,) = data["waiting_list"]
    assert (entry["area"], entry["postcode"]) == ("1013", "1013AA")
    assert entry["language"] == "nl"
    (sign,) = data["sign_requests"]
    assert sign["street"] == "Hoek Nieuwmarkt"
    assert [b["subject"] for b in data["broadcasts_received"]] == ["Nieuws van het bestuur"]
    assert data["broadcast_opt_out"] is not None
    assert [m["kind"] for m in data["emails"]] == ["existing_account"]


def test_download_lists_handled_join_requests_without_the_residents_details(
    subject_client, footprint
):
    response = subject_client.get(URL)
    (handled,) = json.loads(response.content)["join_requests_handled"]

    assert handled["id"] == footprint.handled_request.pk
    assert handled["status"] == "accepted"
    assert handled["handled_at"]
    for value in RESIDENT.values():
        assert value not in response.text


def test_download_leaves_out_co_admins_and_invited_addresses(subject_client, co_admin, footprint):
    text = subject_client.get(URL).text

    assert co_admin.email not in text
    assert co_admin.phone not in text
    assert INVITEE not in text


def test_download_holds_elearning_progress_attempts_and_certificates(subject_client, footprint):
    elearning = download(subject_client)["elearning"]

    assert len(elearning["lessons_read"]) == 1
    (attempt,) = elearning["quiz_attempts"]
    assert attempt["passed"] is True and attempt["score"] == 100
    (certificate,) = elearning["certificates"]
    assert certificate["verify_url"].endswith(f"/{certificate['code']}/")


def test_download_holds_named_answers_but_not_anonymous_ones(subject_client, footprint):
    response = subject_client.get(URL)
    panels = json.loads(response.content)["panels"]

    assert [m["status"] for m in panels["memberships"]] == ["active"]
    (named,) = panels["named_responses"]
    assert named["round"] == "Ronde op naam"
    assert {"question": "Wat kan beter?", "answer": NAMED_ANSWER} in named["answers"]
    assert {"question": "Hoe tevreden bent u?", "answer": 4} in named["answers"]
    assert ANONYMOUS_ANSWER not in response.text
    # That they took part in the anonymous round is theirs; what they said is unlinkable.
    assert sorted(panels["rounds_answered"]) == ["Anonieme ronde", "Ronde op naam"]
    assert "anoniem" in panels["anonymous_answers"].lower()
    assert len(panels["invitations"]) == 1
    assert [m["kind"] for m in panels["mails"]] == ["invitation"]


def test_download_holds_login_records(subject_client, footprint):
    logins = download(subject_client)["logins"]

    # The fixture's record plus the one the test client's login wrote.
    assert len(logins["successful"]) == 2
    assert [a["failures"] for a in logins["failed"]] == [2]


def test_download_for_a_user_with_no_data_is_nearly_empty(client, learner):
    client.force_login(learner)
    data = download(client)

    assert data["account"]["email"] == learner.email
    assert data["groups_administered"] == []
    assert data["elearning"]["certificates"] == []
    assert data["panels"]["named_responses"] == []


def test_download_query_count_does_not_grow_with_the_data(
    subject_client, subject, co_admin, footprint
):
    with CaptureQueriesContext(connection) as before:
        download(subject_client)
    make_group("Nog een groep", "1013", admins=[subject])
    make_join_request(footprint.sole_group, email=SUBJECT["email"], phone="0612312312")
    second = make_round(slug="tweede", title="Tweede ronde")
    second.record_answers(subject, answers(second, "Nog een antwoord"))

    with CaptureQueriesContext(connection) as after:
        data = download(subject_client)

    assert len(data["groups_administered"]) == 3
    assert len(data["panels"]["named_responses"]) == 2
    assert len(after) == len(before)
