"""Certificates: unguessable codes, a public check with initials only, and the trained-admin badge."""

import itertools
import math
import re
from collections import Counter

import pytest
from django.urls import NoReverseMatch, reverse

from elearning.models import Attempt, Certificate
from groups.models import Group, GroupAdmin, GroupStatus
from postcodes.models import Area, Municipality
from tests.conftest import make_user
from tests.elearning.conftest import answers_with, as_post, make_course

pytestmark = pytest.mark.django_db


def pass_course(course, user) -> Certificate:
    attempt = Attempt(user=user, course=course, answers=answers_with(course, right=5))
    certificate = attempt.grade()
    assert certificate is not None
    return certificate


@pytest.fixture
def learner(db):
    """A learner with a last name and e-mail address that must never show on the public check."""
    return make_user(
        "lotte.vandermeulen@example.test", first_name="Lotte", last_name="van der Meulen"
    )


@pytest.fixture
def admins_group(learner) -> Group:
    """An active group in Amsterdam whose (only) admin is the learner."""
    municipality = Municipality.objects.create(
        name="Amsterdam", slug="amsterdam", province="Noord-Holland"
    )
    area = Area.objects.create(
        code="1011", place="Amsterdam", municipality=municipality, latitude=52.37, longitude=4.9
    )
    group = Group.objects.create(
        name="Buurtpreventie Nieuwmarkt", slug="nieuwmarkt", area=area, status=GroupStatus.ACTIVE
    )
    GroupAdmin.objects.create(group=group, user=learner)
    return group


def has_badge(group: Group) -> bool:
    return Group.objects.with_trained_admin().get(pk=group.pk).has_trained_admin


def test_passing_the_quiz_issues_a_certificate_and_shows_it(learner_client, course, learner):
    response = learner_client.post(
        reverse("elearning:quiz", args=[course.slug]), as_post(answers_with(course, right=4))
    )
    page = learner_client.get(response["Location"]).text
    assert "Gefeliciteerd, u bent geslaagd!" in page
    certificate = Certificate.objects.get(user=learner, course=course)
    assert certificate.course_version == course.version

    page = learner_client.get(reverse("elearning:certificate", args=[course.slug])).text
    assert "Lotte van der Meulen" in page
    assert course.title in page
    assert certificate.code in page
    assert "css/elearning" in page


def test_failing_issues_no_certificate(learner_client, course, learner):
    learner_client.post(
        reverse("elearning:quiz", args=[course.slug]), as_post(answers_with(course, right=3))
    )
    assert not Certificate.objects.exists()
    response = learner_client.get(reverse("elearning:certificate", args=[course.slug]))
    assert response.status_code == 404


def test_passing_again_keeps_the_one_valid_certificate(course, learner):
    first = pass_course(course, learner)
    assert pass_course(course, learner) == first
    assert Certificate.objects.count() == 1


def test_certificate_codes_are_random_unique_and_easy_to_read_from_paper(learner):
    courses = [make_course(f"cursus-{n}", questions=5) for n in range(3)]
    users = [learner, *(make_user(f"leerling{n}@example.test") for n in range(10))]
    codes = [pass_course(course, user).code for course in courses for user in users]
    assert len(set(codes)) == len(codes)
    for code in codes:
        # Three groups of four capitals and digits, e.g. K7QM-3XWP-9RTD.
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
        # Nothing to mix up on paper: no l/I/1, no 0/O.
        assert not set(code) & set("lI10O")
    # Not sequential: codes issued one after another share no long common prefix.
    ordered = [c.code for c in Certificate.objects.order_by("pk")]
    for a, b in itertools.pairwise(ordered):
        assert a[:4] != b[:4]
    # Characters spread over the 31-letter alphabet, as random codes do (~4.95 bits each),
    # so 12 of them hold about 59 random bits: nobody guesses or counts up to one.
    counts = Counter("".join(codes).replace("-", ""))
    entropy = -sum(
        n / sum(counts.values()) * math.log2(n / sum(counts.values())) for n in counts.values()
    )
    assert entropy > 4.6
    assert len(counts) > 25


def test_verification_page_shows_initials_course_and_date_only(client, course, learner):
    certificate = pass_course(course, learner)
    response = client.get(reverse("elearning:verify", args=[certificate.code]))
    assert response.status_code == 200
    page = response.text
    assert learner.initials == "L.V.D.M."
    assert learner.initials in page
    assert course.title in page
    assert "Dit certificaat is geldig." in page
    assert str(certificate.issued_at.year) in page
    for private in ["Lotte", "Meulen", "lotte.vandermeulen", "example.test"]:
        assert private not in page
    assert 'name="robots" content="noindex"' in page


def test_verification_of_a_revoked_certificate_says_ingetrokken(client, course, learner):
    certificate = pass_course(course, learner)
    certificate.revoke()
    page = client.get(reverse("elearning:verify", args=[certificate.code])).text
    assert "ingetrokken" in page
    assert "Dit certificaat is geldig." not in page


def test_verification_of_an_unknown_code_is_404(client, course, learner):
    certificate = pass_course(course, learner)
    almost = certificate.code[:-1] + ("y" if certificate.code.endswith("x") else "x")
    response = client.get(reverse("elearning:verify", args=[almost]))
    assert response.status_code == 404
    # A typing error gets the check page saying so, not the general "page not found".
    assert "Certificaat controleren" in response.text
    assert "Deze code is niet geldig." in response.text
    assert "Dit certificaat is geldig." not in response.text
    assert learner.initials not in response.text and course.title not in response.text
    assert (
        client.get(reverse("elearning:verify", args=["bestaat-niet-1234567890ab"])).status_code
        == 404
    )


def test_own_certificate_page_is_not_open_to_others(client, course, learner):
    pass_course(course, learner)
    client.force_login(make_user("ander@example.test"))
    assert client.get(reverse("elearning:certificate", args=[course.slug])).status_code == 404


def test_trained_at_is_set_on_passing_and_cleared_on_revoking(course, learner):
    assert learner.trained_at is None
    certificate = pass_course(course, learner)
    learner.refresh_from_db()
    assert learner.trained_at == certificate.issued_at
    certificate.revoke()
    learner.refresh_from_db()
    assert learner.trained_at is None


def test_trained_at_stays_while_another_certificate_is_valid(learner):
    first = pass_course(make_course("een"), learner)
    second = pass_course(make_course("twee"), learner)
    first.revoke()
    learner.refresh_from_db()
    assert learner.trained_at == second.issued_at
    second.revoke()
    learner.refresh_from_db()
    assert learner.trained_at is None


def test_badge_appears_and_disappears_with_the_admins_certificate(admins_group, course, learner):
    assert not has_badge(admins_group)
    certificate = pass_course(course, learner)
    assert has_badge(admins_group)
    certificate.revoke()
    assert not has_badge(admins_group)


def test_a_learner_who_runs_no_group_gives_no_group_a_badge(admins_group, course):
    pass_course(course, make_user("buurman@example.test"))
    assert not has_badge(admins_group)


def test_badge_shows_on_the_public_group_page(client, admins_group, course, learner):
    try:
        url = reverse("groups:detail", args=[admins_group.slug])
    except NoReverseMatch:
        pytest.skip("the public group page is not there yet")
    before = client.get(url)
    if before.status_code != 200:
        pytest.skip("the public group page does not show this group yet")
    certificate = pass_course(course, learner)
    with_badge = client.get(url).text
    certificate.revoke()
    without_badge = client.get(url).text
    assert with_badge != without_badge
    assert with_badge.count("etraind") > without_badge.count("etraind")
