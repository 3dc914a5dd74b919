"""The recruitment kit: printed materials with the group's details and a QR code to its join
page, and joins through them counted for the admin (no cookies, nothing about the resident)."""

import io

import pytest
import segno
from django.urls import reverse

from groups.models import JoinRequest, RecruitmentTally
from groups.recruitment.views import join_address, qr_svg
from tests.groups.test_join import RESIDENT, link_in
from wabp.models import OutboundEmail

KIT = "groups:recruitment_kit"
MATERIAL = "groups:recruitment_material"


def material_page(client, group, material, language="nl"):
    return client.get(reverse(MATERIAL, args=[group.slug, material]) + f"?taal={language}")


@pytest.mark.parametrize("material", ["brief", "flyer", "poster"])
def test_each_material_names_the_group_and_its_join_address(
    group_admin_client, group_a, material, settings
):
    response = material_page(group_admin_client, group_a, material)

    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert "Buurtpreventie Nieuwmarkt" in sheet
    address = join_address(group_a, material, "nl")
    assert address == f"{settings.SITE_URL}/groepen/{group_a.slug}/aanmelden/?via={material}"
    # The QR code holds the whole address; the paper prints it for typing in, without
    # the scheme and the material.
    assert qr_svg(address) in sheet
    assert f"{settings.SITE_URL.split('://')[1]}/groepen/{group_a.slug}/aanmelden/</p>" in sheet


def test_the_letter_says_where_the_group_is_and_the_saar_rule(group_admin_client, group_a):
    sheet = material_page(group_admin_client, group_a, "brief").context["sheet"]

    assert "Postcodes 1011 AB – 1011 AD, Amsterdam" in sheet
    assert "<strong>R</strong>eageer alleen als het veilig is." in sheet
    assert "Aanmelden is gratis" in sheet


def test_a_group_with_only_a_location_names_its_postcode_area(client, group_b, other_admin):
    client.force_login(other_admin)

    sheet = material_page(client, group_b, "brief").context["sheet"]

    assert "Postcodegebied 1012" in sheet


def test_the_english_letter_is_english_and_leads_to_the_english_join_page(
    group_admin_client, group_a
):
    response = material_page(group_admin_client, group_a, "brief", language="en")

    sheet = response.context["sheet"]
    assert join_address(group_a, "brief", "en").endswith(
        f"/en/groepen/{group_a.slug}/aanmelden/?via=brief"
    )
    assert qr_svg(join_address(group_a, "brief", "en")) in sheet
    assert "Joining is free" in sheet
    assert 'lang="en"' in response.content.decode()
    # The page around the sheet stays in the admin's language.
    assert "Terug naar de wervingskit" in response.content.decode()


def test_the_qr_code_carries_only_the_join_address(group_a):
    address = join_address(group_a, "flyer", "nl")
    qr = segno.make(address, error="m")

    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))
    assert [code.text for code in decoded] == [address]


def test_an_unknown_material_is_404(group_admin_client, group_a):
    response = group_admin_client.get(reverse(MATERIAL, args=[group_a.slug, "folder"]))

    assert response.status_code == 404


def test_the_join_page_keeps_the_material_in_a_hidden_field(anonymous, group_a):
    response = anonymous.get(reverse("groups:join", args=[group_a.slug]) + "?via=flyer")

    assert '<input type="hidden" name="via" value="flyer"' in response.content.decode()


def test_a_confirmed_join_through_the_kit_is_counted_for_the_admin(
    anonymous, group_a, group_admin_client, run_tasks
):
    anonymous.post(reverse("groups:join", args=[group_a.slug]), {**RESIDENT, "via": "brief"})
    join_request = JoinRequest.objects.get()
    assert join_request.source == "brief"
    # Not counted before the resident confirms the address.
    assert not RecruitmentTally.objects.exists()

    mail = OutboundEmail.objects.get(to=join_request.email)
    anonymous.post(link_in(mail.body, "join_confirm"))

    tally = RecruitmentTally.objects.get(group=group_a)
    assert (tally.material, tally.joins) == ("brief", 1)
    page = group_admin_client.get(reverse(KIT, args=[group_a.slug])).content.decode()
    assert "1 aanmelding via deze deurbrief" in page
    assert "tot nu toe 1 bevestigde aanmelding" in page


def test_an_unknown_material_in_the_address_never_stops_a_join(anonymous, group_a):
    response = anonymous.post(
        reverse("groups:join", args=[group_a.slug]), {**RESIDENT, "via": "<script>"}
    )

    assert response.status_code == 302
    assert JoinRequest.objects.get().source == ""


def test_a_second_confirmation_counts_once(group_a):
    from tests.groups.conftest import make_join_request

    join_request = make_join_request(group_a, status="unconfirmed", source="poster")

    assert join_request.confirm()
    assert not join_request.confirm()
    assert RecruitmentTally.objects.get().joins == 1


def test_other_admins_cannot_print_this_groups_kit(other_admin_client, group_a):
    assert other_admin_client.get(reverse(KIT, args=[group_a.slug])).status_code == 404
    assert material_page(other_admin_client, group_a, "brief").status_code == 404
