"""The client's IP address behind the documented reverse proxy (PROXY_COUNT=1).

The rate limits and django-axes must see the same address: the one the proxy appended
to X-Forwarded-For, never one the client wrote there itself.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory

from wabp.ratelimit import client_ip

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
PROXY = "10.0.0.1"
ATTACKER = "203.0.113.66"
NEIGHBOUR = "198.51.100.7"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.LOGIN_REDIRECT_URL = "/account/"


def through_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach the portal through the proxy at PROXY."""
    return Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": forwarded_for})


def request_with(remote_addr: str, forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_client_ip_is_the_address_the_proxy_appended():
    assert client_ip(request_with(PROXY, ATTACKER)) == ATTACKER
    # Whatever the client wrote itself comes before the proxy's entry and is ignored.
    assert client_ip(request_with(PROXY, f"{NEIGHBOUR}, 127.0.0.1, {ATTACKER}")) == ATTACKER


def test_client_ip_falls_back_to_the_peer_without_a_usable_forwarded_entry():
    assert client_ip(request_with(PROXY)) == PROXY
    assert client_ip(request_with(PROXY, "")) == PROXY
    assert client_ip(request_with(PROXY, "not-an-address")) == PROXY


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0

    assert client_ip(request_with("192.0.2.5", ATTACKER)) == "192.0.2.5"


def test_two_proxies_take_the_second_entry_from_the_right(settings):
    settings.PROXY_COUNT = 2

    assert client_ip(request_with(PROXY, f"{NEIGHBOUR}, {ATTACKER}, 10.0.0.2")) == ATTACKER


def test_five_wrong_passwords_lock_out_the_attacker_not_the_neighbour(learner, password):
    attacker = through_proxy(ATTACKER)
    for _ in range(5):
        attacker.post(LOGIN, {"username": learner.email, "password": "fout"})

    right_password = {"username": learner.email, "password": password}
    assert attacker.post(LOGIN, right_password).status_code == 429
    neighbour = through_proxy(NEIGHBOUR)
    response = neighbour.post(LOGIN, right_password)
    assert response.status_code == 302
    assert neighbour.session[SESSION_KEY] == str(learner.pk)


def test_a_spoofed_forwarded_for_cannot_pick_the_neighbours_address(learner, password):
    # The attacker sends "X-Forwarded-For: <neighbour>"; the proxy appends the real address.
    attacker = through_proxy(f"{NEIGHBOUR}, {ATTACKER}")
    for _ in range(5):
        attacker.post(LOGIN, {"username": learner.email, "password": "fout"})

    neighbour = through_proxy(NEIGHBOUR)
    response = neighbour.post(LOGIN, {"username": learner.email, "password": password})
    assert response.status_code == 302
    # Prepending yet another address does not get the attacker out of the lockout either.
    spoofing = through_proxy(f"192.0.2.99, {NEIGHBOUR}, {ATTACKER}")
    right_password = {"username": learner.email, "password": password}
    assert spoofing.post(LOGIN, right_password).status_code == 429
