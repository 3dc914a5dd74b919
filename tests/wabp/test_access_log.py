"""The access log never holds the key of a mailed link."""

from datetime import timedelta
from types import SimpleNamespace

from django.urls import reverse
from gunicorn.config import Config

from wabp.access_log import TokenMaskingLogger

TOKEN = "Zk3xQ9vR2mW7pL0sT5yU8nB4cD6eF1gH"


def logged(path: str, referrer: str = "-") -> dict:
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": referrer,
    }
    request = SimpleNamespace(headers=[("REFERER", referrer)])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    return TokenMaskingLogger(Config()).atoms(response, request, environ, timedelta(seconds=0))


def test_the_key_of_an_invitation_link_is_masked_in_the_access_log():
    path = reverse("groups:invitation", kwargs={"token": TOKEN})

    atoms = logged(path)

    assert TOKEN not in atoms["r"] and TOKEN not in atoms["U"]
    assert atoms["U"] == path.replace(TOKEN, "[token]")


def test_activation_links_lose_both_the_user_id_and_the_key():
    path = reverse("activate", kwargs={"uidb64": "MTIz", "token": "cz1h2k-" + TOKEN})

    atoms = logged(path)

    assert "MTIz" not in atoms["r"] and TOKEN not in atoms["r"]


def test_a_referrer_that_held_a_key_is_masked_too():
    page = "https://portaal.example" + reverse("groups:join_status", kwargs={"token": TOKEN})

    atoms = logged("/", referrer=page)

    assert TOKEN not in atoms["f"] and TOKEN not in atoms["{referer}i"]


def test_other_paths_are_logged_as_they_are():
    path = reverse("groups:detail", kwargs={"slug": "buurtpreventie-lastage"})

    assert logged(path)["r"] == f"GET {path} HTTP/1.1"
