"""Signed links: a link mailed before a change of code must still open afterwards."""

from datetime import timedelta

import time_machine
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import signing
from django.utils import timezone

from wabp import signed
from wabp.models import User


def test_tokens_signed_with_the_salts_already_mailed_are_still_read():
    # What the portal put in links before the token kinds moved to wabp.signed.
    mailed = [
        (signed.BROADCAST_UNSUBSCRIBE, signing.dumps(7, salt="groups.broadcast.unsubscribe")),
        (
            signed.GROUP_REGISTRATION,
            signing.dumps({"group": 3, "user": 7}, salt="groups.registration.confirm"),
        ),
        (signed.GROUP_RECONFIRM, signing.dumps(3, salt="groups.reconfirm", compress=True)),
        (signed.QUIZ_STARTED, signing.dumps(1767225600.0, salt="elearning.quiz.started")),
    ]
    assert [kind.read(token, max_age=None) for kind, token in mailed] == [
        7,
        {"group": 3, "user": 7},
        3,
        1767225600.0,
    ]


def test_a_token_of_one_kind_does_not_open_another():
    token = signed.GROUP_RECONFIRM.make(3)
    assert signed.BROADCAST_UNSUBSCRIBE.read(token, max_age=None) is None
    assert signed.GROUP_REGISTRATION.read(token, max_age=None) is None
    kinds = [signed.BROADCAST_UNSUBSCRIBE, signed.GROUP_REGISTRATION, signed.GROUP_RECONFIRM]
    assert len({kind.salt for kind in [*kinds, signed.QUIZ_STARTED]}) == 4


def test_a_token_past_its_max_age_or_forged_is_not_read():
    token = signed.GROUP_REGISTRATION.make({"group": 3, "user": 7})
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert signed.GROUP_REGISTRATION.read(token, max_age=timedelta(days=7)) is None
        assert signed.GROUP_REGISTRATION.read(token, max_age=None) == {"group": 3, "user": 7}
    assert signed.GROUP_REGISTRATION.read(token[:-2] + "xx", max_age=None) is None


def test_activation_links_mailed_before_the_move_still_work_and_are_no_reset_links():
    class MailedActivationToken(PasswordResetTokenGenerator):
        key_salt = "wabp.views.ActivationTokenGenerator"

    user = User(pk=7, email="nieuw@example.test", password="!")
    token = MailedActivationToken().make_token(user)

    assert signed.activation_token.check_token(user, token)
    assert not default_token_generator.check_token(user, token)
    assert signed.user_token(user)["uidb64"] == "Nw"
