"""Deleting my account: confirm with the password; afterwards the e-mail address and phone
number of the subject are in no table at all."""

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse

from elearning.models import Certificate
from groups.models import Group, GroupStatus, JoinRequest
from panels.models import Participation, Response
from tests.conftest import make_user
from tests.privacy.conftest import SUBJECT, logged_in
from wabp.models import OutboundEmail, User

URL = reverse("account_delete")
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)  # EmailField is a CharField


def orm_rows_containing(value: str) -> dict[str, int]:
    """Per model: rows with `value` in any text or JSON field (case-insensitive)."""
    found = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field.name}__icontains": value})
        count = model._base_manager.filter(condition).count()
        if count:
            found[model._meta.label] = count
    return found


def sql_rows_containing(value: str) -> dict[str, int]:
    """Per table and column: rows with `value` in any text-like column of the public schema,
    including tables no Django model describes."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public'"
            " AND data_type IN ('character varying', 'character', 'text', 'json', 'jsonb')"
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f"SELECT count(*) FROM {quote(table)} WHERE {quote(column)}::text ILIKE %s",
                [f"%{value}%"],
            )
            (count,) = cursor.fetchone()
            if count:
                found[f"{table}.{column}"] = count
    return found


def delete(client, password):
    return client.post(URL, {"password": password})


def test_delete_page_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_account_page_links_to_download_and_delete(subject_client):
    response = subject_client.get(reverse("account"))
    assert reverse("my_data") in response.text
    assert reverse("account_delete") in response.text


def test_delete_page_names_the_groups_that_will_lose_their_only_admin(subject_client, footprint):
    response = subject_client.get(URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert 'autocomplete="current-password"' in response.text
    assert "Buurtpreventie Alleen" in response.text
    assert "Buurtwacht Samen" not in response.text  # it keeps its other admin


def test_a_wrong_password_deletes_nothing(subject_client, subject, footprint):
    response = delete(subject_client, "niet-mijn-wachtwoord")

    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet." in response.text
    assert User.objects.filter(pk=subject.pk).exists()
    footprint.sole_group.refresh_from_db()
    assert footprint.sole_group.status == GroupStatus.ACTIVE
    assert subject_client.get(reverse("account")).status_code == 200


def test_deleting_logs_out_everywhere_and_shows_a_confirmation(
    subject_client, subject, password, footprint
):
    other_device = logged_in(subject)

    response = delete(subject_client, password)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_deleted")
    page = subject_client.get(response["Location"])
    assert page.status_code == 200
    assert "Uw account is verwijderd" in page.text
    assert not User.objects.filter(pk=subject.pk).exists()
    for client in (subject_client, other_device):
        assert client.get(reverse("account")).status_code == 302


def test_groups_left_without_an_admin_become_inactive_and_stay(
    subject_client, co_admin, password, footprint
):
    delete(subject_client, password)

    sole = Group.objects.get(pk=footprint.sole_group.pk)
    assert sole.status == GroupStatus.INACTIVE
    assert not sole.admins.exists()
    shared = Group.objects.get(pk=footprint.shared_group.pk)
    assert shared.status == GroupStatus.ACTIVE
    assert list(shared.admins.all()) == [co_admin]


def test_deleting_removes_the_subjects_data_and_keeps_what_is_not_theirs(
    subject_client, password, footprint
):
    delete(subject_client, password)

    # Their own join request as a resident goes; the one they handled is the resident's.
    assert not JoinRequest.objects.filter(pk=footprint.resident_request.pk).exists()
    handled = JoinRequest.objects.get(pk=footprint.handled_request.pk)
    assert handled.handled_by is None
    # Named answers go; anonymous answers cannot be linked to anyone and stay.
    assert not footprint.named_round.responses.exists()
    assert footprint.anonymous_round.responses.count() == 1
    assert not Participation.objects.exists()
    assert not Certificate.objects.exists()
    assert not AccessLog.objects.filter(username__iexact=SUBJECT["email"]).exists()
    assert not Response.objects.filter(user__isnull=False).exists()


def test_afterwards_the_e_mail_address_and_phone_are_in_no_table(
    subject_client, password, footprint, run_tasks, mailoutbox
):
    # The footprint did put them in many tables (the scans can find them).
    assert len(orm_rows_containing(SUBJECT["email"])) >= 8
    assert len(sql_rows_containing(SUBJECT["phone"])) >= 3

    delete(subject_client, password)

    for value in (SUBJECT["email"], SUBJECT["phone"]):
        assert orm_rows_containing(value) == {}, value
        assert sql_rows_containing(value) == {}, value
    # Their name is gone from the board's admin history too.
    assert orm_rows_containing(f"{SUBJECT['first_name']} {SUBJECT['last_name']}") == {}
    # The mail that was still queued for them is not sent after all.
    run_tasks()
    assert mailoutbox == []


def test_without_a_phone_number_other_peoples_mail_is_left_alone(client, password, areas):
    user = make_user("zonder.nummer@example.test", phone="")
    kept = OutboundEmail.objects.create(
        to="iemand.anders@example.test", subject="Hallo", body="Tekst", kind="notice"
    )
    client.force_login(user)

    delete(client, password)

    assert not User.objects.filter(pk=user.pk).exists()
    assert OutboundEmail.objects.filter(pk=kept.pk).exists()


def test_the_confirmation_page_is_plain_and_public(client, db):
    response = client.get(reverse("account_deleted"))
    assert response.status_code == 200
    assert "Uw account is verwijderd" in response.text


@pytest.mark.parametrize("method", ["get", "put"])
def test_only_a_post_deletes(subject_client, subject, method):
    getattr(subject_client, method)(URL, {"password": "whatever"})
    assert User.objects.filter(pk=subject.pk).exists()
