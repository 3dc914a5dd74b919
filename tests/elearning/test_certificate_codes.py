"""Certificate codes typed from paper: any case, dashes and spaces as the reader likes,
and the long codes printed before the short format still verify."""

import pytest
from django.urls import reverse

from elearning.models import Attempt, Certificate, normalise_certificate_code
from tests.elearning.conftest import answers_with

pytestmark = pytest.mark.django_db

OLD_CODE = "Xy3_k-9QaZ0lOpWm1bT8cV"  # token_urlsafe(16), as codes were made before


@pytest.fixture
def certificate(course, learner) -> Certificate:
    attempt = Attempt(user=learner, course=course, answers=answers_with(course, right=5))
    return attempt.grade()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("K7QM-3XWP-9RTD", "K7QM-3XWP-9RTD"),
        ("k7qm-3xwp-9rtd", "K7QM-3XWP-9RTD"),
        ("K7QM3XWP9RTD", "K7QM-3XWP-9RTD"),
        (" k7qm 3xwp 9rtd ", "K7QM-3XWP-9RTD"),
        ("K7-QM--3XWP – 9RTD", "K7QM-3XWP-9RTD"),
        ("K7QM-3XWP-9RT", None),  # one letter short
        ("K7QM-3XWP-9RT0", None),  # a zero is never part of a code
        (OLD_CODE, None),
    ],
)
def test_typed_codes_normalise_to_the_printed_form(typed, stored):
    assert normalise_certificate_code(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " "),
        lambda code: code[:2] + "-" + code[2:].lower(),
    ],
)
def test_verify_accepts_the_code_typed_loosely_and_shows_it_as_printed(client, certificate, typed):
    response = client.get(reverse("elearning:verify", args=[typed(certificate.code)]))
    assert response.status_code == 302
    assert response["Location"] == reverse("elearning:verify", args=[certificate.code])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Dit certificaat is geldig." in page.text


def test_the_check_form_takes_a_code_typed_with_spaces(client, certificate):
    form = client.get(reverse("elearning:verify_form"))
    assert form.status_code == 200
    assert 'name="code"' in form.text
    typed = certificate.code.lower().replace("-", " ")
    page = client.get(reverse("elearning:verify_form"), {"code": typed}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("elearning:verify", args=[certificate.code])
    assert "Dit certificaat is geldig." in page.text


def test_the_check_form_survives_a_slash_or_nothing(client):
    empty = client.get(reverse("elearning:verify_form"), {"code": " / "})
    assert empty.status_code == 200
    assert "Vul de code in" in empty.text
    page = client.get(reverse("elearning:verify_form"), {"code": "K7QM/3XWP/9RTD"}, follow=True)
    assert page.status_code == 404  # no such certificate, but a page that says so


def test_a_certificate_with_an_old_long_code_still_verifies(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(code=OLD_CODE)
    response = client.get(reverse("elearning:verify", args=[OLD_CODE]))
    assert response.status_code == 200
    assert "Dit certificaat is geldig." in response.text
    # Old codes are case-sensitive random text: only the exact code matches.
    assert client.get(reverse("elearning:verify", args=[OLD_CODE.lower()])).status_code == 404


def test_an_unknown_code_offers_the_form_again(client, certificate):
    other = "ABCD-EFGH-JKMN" if certificate.code != "ABCD-EFGH-JKMN" else "ABCD-EFGH-JKMP"
    response = client.get(reverse("elearning:verify", args=[other]))
    assert response.status_code == 404
    assert "Deze code is niet geldig." in response.text
    assert f'value="{other}"' in response.text


def test_the_check_page_speaks_english_under_en(client, certificate, course):
    course.title_en = "Recognising deviant behaviour"
    course.save()
    response = client.get(f"/en/e-learning/certificaat/{certificate.code}/")
    assert response.status_code == 200
    assert "Recognising deviant behaviour" in response.text
    assert "Dit certificaat is geldig." not in response.text
