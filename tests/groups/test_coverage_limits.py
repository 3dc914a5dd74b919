"""Coverage stays near the group: farther or larger claims wait for the board's approval."""

from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from groups.coverage import MAX_COVERAGE_KM, MAX_COVERAGE_POSTCODES, plan_coverage
from groups.models import CoverageClaim, CoverageClaimStatus, WaitingListEntry
from postcodes.models import Area, Postcode
from tests.groups.conftest import load_areas
from wabp.models import OutboundEmail

CHANGELIST = reverse("admin:groups_coverageclaim_changelist")


def add(client, group, text: str):
    return client.post(reverse("groups:coverage", args=[group.slug]), {"postcodes": text})


def covered(group) -> set[str]:
    return set(group.coverage.values_list("postcode_id", flat=True))


def codes_of(*areas: str) -> set[str]:
    return set(Postcode.objects.filter(area_id__in=areas).values_list("code", flat=True))


def decide(board_client, action: str, *claims):
    return board_client.post(
        CHANGELIST, {"action": action, "_selected_action": [c.pk for c in claims]}, follow=True
    )


def test_the_limits_are_the_documented_ones():
    assert (MAX_COVERAGE_KM, MAX_COVERAGE_POSTCODES) == (5.0, 1200)


def test_postcodes_near_the_group_are_added_at_once(group_admin_client, group_a):
    response = add(group_admin_client, group_a, "1012")  # 0.7 km away

    assert covered(group_a) >= codes_of("1012")
    assert not CoverageClaim.objects.exists()
    assert "Toegevoegd: 1012" in response.text
    assert "Naar het bestuur" not in response.text


def test_far_postcodes_go_to_the_board_and_are_not_covered(
    group_admin_client, group_a, group_admin, anonymous
):
    WaitingListEntry.objects.create(
        area=Area.objects.get(code="3511"), email="wacht@example.test", confirmed_at=timezone.now()
    )

    response = add(group_admin_client, group_a, "1011AE\n3511")  # Utrecht, 35 km

    assert covered(group_a) == {"1011AB", "1011AC", "1011AD", "1011AE"}
    claim = CoverageClaim.objects.get()
    assert claim.group == group_a
    assert claim.requested_by == group_admin
    assert claim.status == CoverageClaimStatus.PENDING
    assert set(claim.too_far) == codes_of("3511")
    assert claim.over_limit == []
    assert 30 < claim.farthest_km < 40
    page = response.text
    assert "Toegevoegd: 1011AE" in page
    assert "Naar het bestuur" in page
    assert "Ligt verder dan 5 km van het postcodegebied van de groep (tot 35 km)" in page
    assert "<td>3511</td>" in page
    # Nothing changed for residents of 3511: no search result, no waiting-list mail.
    results = anonymous.get(reverse("groups:search"), {"postcode": "3511AA"}).context["results"]
    assert all(r.reason != "postcode" for r in results)
    assert not OutboundEmail.objects.filter(kind="waitinglist_group_started").exists()


def test_too_many_postcodes_go_to_the_board_all_together(group_admin_client, group_a):
    wanted = codes_of("1012", "1013", "1015", "1016")  # all within 5 km; together > 1,200
    assert len(wanted) + 3 > MAX_COVERAGE_POSTCODES

    response = add(group_admin_client, group_a, "1012 1013 1015 1016")

    assert covered(group_a) == {"1011AB", "1011AC", "1011AD"}
    claim = CoverageClaim.objects.get()
    assert set(claim.over_limit) == wanted
    assert claim.too_far == []
    assert "meer dan 1.200 postcodes dekken" in response.text


def test_postcodes_waiting_for_the_board_are_not_asked_for_twice(group_admin_client, group_a):
    add(group_admin_client, group_a, "3511AA")

    response = add(group_admin_client, group_a, "3511AA")

    assert CoverageClaim.objects.count() == 1
    assert "Ligt al bij het bestuur." in response.text
    page = group_admin_client.get(reverse("groups:coverage", args=[group_a.slug])).text
    assert "Wacht op het bestuur" in page


def test_the_board_approves_a_claim_and_the_admin_is_mailed(
    group_admin_client, board_client, group_a, group_admin
):
    add(group_admin_client, group_a, "3511AA-3511AC")
    claim = CoverageClaim.objects.get()

    decide(board_client, "approve", claim)

    claim.refresh_from_db()
    assert claim.status == CoverageClaimStatus.APPROVED
    assert claim.decided_at is not None
    assert covered(group_a) >= set(claim.postcodes)
    (mail,) = OutboundEmail.objects.filter(kind="coverage_decision")
    assert mail.to == group_admin.email
    assert "goedgekeurd" in mail.subject
    assert "3511AA" in mail.body
    assert LogEntry.objects.filter(object_id=str(claim.pk)).count() == 1


def test_the_board_declines_a_claim_and_the_admin_is_mailed(
    group_admin_client, board_client, group_a, group_admin
):
    add(group_admin_client, group_a, "3511AA")
    claim = CoverageClaim.objects.get()

    decide(board_client, "decline", claim)

    claim.refresh_from_db()
    assert claim.status == CoverageClaimStatus.DECLINED
    assert "3511AA" not in covered(group_a)
    (mail,) = OutboundEmail.objects.filter(kind="coverage_decision")
    assert mail.to == group_admin.email
    assert "niet goedgekeurd" in mail.body


def test_a_decided_claim_is_not_decided_again(group_admin_client, board, group_a):
    add(group_admin_client, group_a, "3511AA")
    claim = CoverageClaim.objects.get()

    assert claim.decline(by=board)
    assert not claim.approve(by=board)
    assert "3511AA" not in covered(group_a)
    assert OutboundEmail.objects.filter(kind="coverage_decision").count() == 1


def test_the_claims_list_shows_the_facts_the_board_decides_on(
    group_admin_client, board_client, group_a
):
    add(group_admin_client, group_a, "3511")

    page = board_client.get(CHANGELIST).text
    detail = board_client.get(
        reverse("admin:groups_coverageclaim_change", args=[CoverageClaim.objects.get().pk])
    ).text

    assert group_a.name in page
    assert "grens 5 km" in page
    assert "3511" in detail


def test_a_group_admin_cannot_decide_claims(group_admin_client, group_a):
    add(group_admin_client, group_a, "3511AA")
    claim = CoverageClaim.objects.get()

    decide(group_admin_client, "approve", claim)

    claim.refresh_from_db()
    assert claim.status == CoverageClaimStatus.PENDING


def test_an_area_without_a_known_location_only_covers_itself(db):
    load_areas(["1011", "1012"])
    area = Area.objects.get(code="1011")
    area.latitude = area.longitude = None

    plan = plan_coverage(area, ["1011AB", "1012AB"])

    assert plan.accepted == ["1011AB"]
    assert plan.too_far == ["1012AB"]
    assert plan.farthest_km is None
