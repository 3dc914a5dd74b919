""" "My account" shows what the apps hold for the user: their groups (each linking to its page
in /beheer/), their certificates (with the verification link) and their panels."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from elearning.models import Certificate
from panels.models import Membership, Panel
from tests.groups.conftest import make_group
from tests.panels.conftest import add_member

URL = reverse("account")


def test_my_account_lists_the_groups_i_administer_with_their_beheer_page(subject_client, footprint):
    text = subject_client.get(URL).text

    assert 'id="mijn-groepen"' in text
    for group in (footprint.sole_group, footprint.shared_group):
        assert f'href="{reverse("groups:manage", args=[group.slug])}"' in text
        assert group.name in text
    # The co-admin's own group is not the subject's.
    assert footprint.other_group.name not in text
    assert f'href="{reverse("groups:dashboard")}"' in text


def test_my_account_lists_my_certificates_with_their_verification_link(
    subject_client, subject, footprint
):
    certificate = Certificate.objects.get(user=subject)

    text = subject_client.get(URL).text

    assert 'id="mijn-certificaten"' in text
    assert f'href="{certificate.get_absolute_url()}"' in text
    assert f'href="{reverse("elearning:certificate", args=[footprint.course.slug])}"' in text


def test_a_revoked_certificate_is_not_listed(subject_client, subject, footprint):
    certificate = Certificate.objects.get(user=subject)
    certificate.revoke()

    text = subject_client.get(URL).text

    assert 'id="mijn-certificaten"' not in text
    assert certificate.get_absolute_url() not in text


def test_my_account_lists_my_panels_but_not_the_ones_i_left(subject_client, subject, footprint):
    other = Panel.objects.create(name="Oud panel", slug="oud-panel")
    add_member(other, subject).leave()

    text = subject_client.get(URL).text

    assert 'id="mijn-panels"' in text
    (membership,) = Membership.objects.filter(user=subject).exclude(panel=other)
    assert membership.panel.name in text
    assert "Oud panel" not in text
    assert f'href="{reverse("panels:index")}"' in text


def test_someone_with_no_groups_certificates_or_panels_sees_none_of_those_sections(client, learner):
    client.force_login(learner)

    text = client.get(URL).text

    for section in ("mijn-groepen", "mijn-certificaten", "mijn-panels"):
        assert f'id="{section}"' not in text
    assert 'id="gegevens"' in text


def test_the_account_page_query_count_does_not_grow_with_the_groups(
    subject_client, subject, footprint
):
    with CaptureQueriesContext(connection) as before:
        subject_client.get(URL)
    make_group("Nog een groep", "1013", admins=[subject])

    with CaptureQueriesContext(connection) as after:
        text = subject_client.get(URL).text

    assert "Nog een groep" in text
    assert len(after) == len(before)
