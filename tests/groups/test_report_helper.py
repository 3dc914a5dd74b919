"""The report helper (/melden/): behaviour first, 112 before the chat, nothing stored or sent."""

import pytest

from groups.reporting.forms import origin_words_in

URL = "/melden/"

ANSWERS = {
    "urgency": "later",
    "called": "0900",
    "behaviour": "Loopt langs geparkeerde auto's en voelt aan de portieren",
    "place": "Dorpsstraat bij nummer 12",
    "time": "21:40",
    "direction": "Te voet richting het station",
    "vehicle": "Blauwe Opel Astra, GZ-41",
    "description": "Man, ongeveer 1,80 m, grijze muts, zwarte jas, witte sportschoenen",
}


def test_the_page_says_112_first_and_0900_otherwise(client):
    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="tel:112"' in page
    assert 'href="tel:09008844"' in page
    assert "/e-learning/normafwijkend-gedrag-herkennen/" in page


@pytest.mark.django_db
def test_the_answers_become_a_chat_message_and_nothing_is_stored(client, django_assert_num_queries):
    client.get(URL)  # the CSRF cookie, as a browser has it from the form

    with django_assert_num_queries(0):
        response = client.post(URL, ANSWERS)

    assert response.status_code == 200
    message = response.context["message"]
    assert message.splitlines() == [
        "MELDING",
        "Wat: Loopt langs geparkeerde auto's en voelt aan de portieren",
        "Waar: Dorpsstraat bij nummer 12",
        "Wanneer: 21:40",
        "Richting: Te voet richting het station",
        "Voertuig: Blauwe Opel Astra, GZ-41",
        "Signalement: Man, ongeveer 1,80 m, grijze muts, zwarte jas, witte sportschoenen",
        "Gemeld bij de politie (0900-8844).",
        "Niet zelf achteraan gaan: reageer alleen als het veilig is. Spoed? Bel 112.",
    ]
    assert "no-store" in response["Cache-Control"]


def test_optional_answers_left_out_leave_no_empty_lines(client):
    answers = {key: ANSWERS[key] for key in ("urgency", "called", "behaviour", "place")}

    message = client.post(URL, answers).context["message"]

    assert [line.split(":")[0] for line in message.splitlines()[1:3]] == ["Wat", "Waar"]
    assert "Voertuig" not in message
    assert "Wanneer" not in message


def test_happening_now_without_calling_112_says_call_112_first(client):
    response = client.post(URL, {**ANSWERS, "urgency": "now", "called": "no"})

    assert response.context["must_call_112"] is True
    assert "Bel eerst 112" in response.content.decode()
    assert response.context["message"].startswith("MELDING – het gebeurt nu")


def test_happening_now_after_calling_112_goes_straight_to_the_message(client):
    response = client.post(URL, {**ANSWERS, "urgency": "now", "called": "112"})

    assert response.context["must_call_112"] is False
    assert "112 is gebeld." in response.context["message"]


@pytest.mark.parametrize("field", ["behaviour", "description", "direction"])
def test_origin_or_skin_colour_is_refused_with_the_words_named(client, field):
    text = {**ANSWERS}[field] + " (getinte man)"

    response = client.post(URL, {**ANSWERS, field: text})

    assert response.status_code == 400
    assert "message" not in response.context
    error = response.context["form"].errors[field][0]
    assert "“getinte”" in error
    # Nothing the member typed is lost.
    assert text in response.content.decode().replace("&#x27;", "'")


def test_clothing_colours_are_fine():
    assert origin_words_in("zwarte jas, bruine schoenen, donkerblauwe auto") == []
    assert origin_words_in("Een Turkse vlag op de auto? Nee: een buitenlandse man") == [
        "Turkse",
        "buitenlandse",
    ]


def test_behaviour_place_and_both_questions_are_required(client):
    response = client.post(URL, {})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"urgency", "called", "behaviour", "place"}


def test_the_helper_is_in_english_too(client):
    response = client.post("/en/melden/", ANSWERS)

    assert response.status_code == 200
    lines = response.context["message"].splitlines()
    assert lines[0] == "REPORT"
    assert lines[1].startswith("What: ")
    assert "Reported to the police (0900-8844)." in lines


def test_the_course_links_to_the_helper():
    from elearning.content import read_courses

    course = next(c for c in read_courses() if c["slug"] == "normafwijkend-gedrag-herkennen")
    bodies = " ".join(lesson["body"] for lesson in course["lessons"])
    assert "](/melden/)" in bodies
