"""Lesson Markdown is rendered through the shared nh3 sanitiser: no scripts, no handlers."""

import pytest
from django.urls import reverse

from tests.elearning.conftest import make_course

pytestmark = pytest.mark.django_db

EVIL = """## Een gewone les

<script>alert("lek")</script>

<img src="x.png" onerror="alert('lek')">

<a href="javascript:alert('lek')">klik</a>

<p onclick="alert('lek')">Tekst met een klik-handler.</p>
"""


def test_scripts_and_handlers_in_lesson_markdown_never_reach_the_page(learner_client):
    course = make_course("veilig", lessons=1)
    course.lessons.update(body=EVIL)
    page = learner_client.get(reverse("elearning:lesson", args=["veilig", 1])).text
    body = page.split('class="lesson-body"', 1)[1].split("</article>", 1)[0]
    assert "<h2>Een gewone les</h2>" in body
    assert "Tekst met een klik-handler." in body
    assert "<script" not in body
    assert 'alert("lek")' not in body
    assert "onerror" not in page
    assert "onclick" not in page
    assert "javascript:" not in page


def test_lesson_image_needs_alt_text(course):
    from django.core.exceptions import ValidationError

    lesson = course.lessons.first()
    lesson.image_static = "css/site.css"
    with pytest.raises(ValidationError):
        lesson.full_clean()
    lesson.image_alt = "Een straat met huizen."
    lesson.full_clean()


def test_lesson_upload_must_be_an_image_file(course):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    lesson = course.lessons.first()
    lesson.image = SimpleUploadedFile("foto.svg", b"<svg onload='x'/>")
    lesson.image_alt = "Tekening"
    with pytest.raises(ValidationError):
        lesson.full_clean()


def test_missing_static_image_shows_no_image_instead_of_failing(learner_client, course):
    course.lessons.filter(order=1).update(image_static="elearning/bestaat-niet.png", image_alt="x")
    response = learner_client.get(reverse("elearning:lesson", args=[course.slug, 1]))
    assert response.status_code == 200
    assert "bestaat-niet" not in response.text
