import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from panels.admin import RoundForm
from panels.models import ATTACHMENT_MAX_BYTES, validate_pdf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_small_pdf_is_accepted():
    validate_pdf(SimpleUploadedFile("notitie.pdf", PDF, content_type="application/pdf"))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notitie.docx", PDF, "extension"),
        ("notitie.pdf.exe", PDF, "extension"),
        ("vermomd.pdf", b"MZ\x90\x00 not a pdf", "content"),
        ("leeg.pdf", b"", "content"),
        ("groot.pdf", PDF + b"0" * ATTACHMENT_MAX_BYTES, "size"),
    ],
)
def test_anything_but_a_small_pdf_is_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_pdf(SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_the_admin_form_refuses_a_non_pdf(panel, db):
    form = RoundForm(
        data={
            "title": "Ronde",
            "slug": "ronde",
            "panels": [panel.pk],
            "opens_at": "2026-01-01 10:00",
            "closes_at": "2026-01-02 10:00",
            "is_anonymous": "on",
            "introduction": "Tekst",
        },
        files={"attachment": SimpleUploadedFile("plaatje.pdf", b"\x89PNG\r\n")},
    )
    assert not form.is_valid()
    assert "attachment" in form.errors


def test_attachment_is_served_to_members_only(
    client, member, non_member, open_round, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    open_round.attachment = SimpleUploadedFile("x.pdf", PDF)
    open_round.save()
    url = reverse("panels:attachment", kwargs={"slug": open_round.slug})
    client.force_login(non_member)
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
