"""Signed tokens: the keys in links the portal mails, and one in the quiz form.

    token = GROUP_RECONFIRM.make(group.pk)
    pk = GROUP_RECONFIRM.read(token, max_age=RECONFIRM_LINK_MAX_AGE)  # None if forged or expired

Every salt the portal signs with is declared here, once. Never change a salt or
the payload a kind carries: links already mailed would stop working. Each app keeps
the small functions that put its objects into a token and find them again (e.g.
groups.tokens); how long a link stays valid is the caller's rule, so `read` always
says it.

Account links use Django's token generators instead of django.core.signing: the
password reset link is Django's own (default_token_generator), the activation link
uses `activation_token` below, the link that confirms a new e-mail address
`email_change_token`. All become invalid once used.
"""

import hashlib
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


class SignedToken:
    """One kind of signed token: its salt and format (django.core.signing)."""

    def __init__(self, salt: str, *, compress: bool = False):
        self.salt = salt
        self.compress = compress

    def __repr__(self) -> str:
        return f"SignedToken({self.salt!r})"

    def make(self, value: Any) -> str:
        return signing.dumps(value, salt=self.salt, compress=self.compress)

    def read(self, token: str, *, max_age: timedelta | None) -> Any | None:
        """The signed value, or None if the token is forged, of another kind or older than
        max_age (None: never expires)."""
        try:
            return signing.loads(token, salt=self.salt, max_age=max_age)
        except signing.BadSignature:
            return None


# The user's pk; never expires, so an old broadcast's unsubscribe link keeps working.
BROADCAST_UNSUBSCRIBE = SignedToken("groups.broadcast.unsubscribe")
# {"group": pk, "user": pk} of a group registration waiting for its e-mail confirmation.
GROUP_REGISTRATION = SignedToken("groups.registration.confirm")
# The group's pk, in the yearly "still active?" mail to its admins.
GROUP_RECONFIRM = SignedToken("groups.reconfirm", compress=True)
# {"user": pk, "key": a digest of the account's password and last login}, in the mail that
# invites an admin from the old register to claim their groups (groups.takeover); the key
# makes the link single-use: setting the password changes it.
GROUP_CLAIM = SignedToken("groups.takeover.claim")
# The StaffRequest's pk, in the link that verifies a municipality employee's work address.
STAFF_REQUEST_VERIFY = SignedToken("groups.staffrequest.verify")
# The PoliceRequest's pk, in the link that verifies a police officer's work address.
POLICE_REQUEST_VERIFY = SignedToken("groups.policerequest.verify")
# When the quiz page was opened (a timestamp), in a hidden field of the quiz form.
QUIZ_STARTED = SignedToken("elearning.quiz.started")
# The invited address, to fill in the sign-up form from an invitation (wabp.links.signup_link).
SIGNUP_EMAIL = SignedToken("wabp.signup.email")
# Area messages from the police and municipalities (groups.areamessages):
# {"user": pk, "type": sender type}, the opt-out link in each message; never expires.
AREA_MESSAGE_OPT_OUT = SignedToken("groups.areamessage.optout")
# The monthly test (groups.monthlytest): {"group": pk, "user": pk, "month": "YYYY-MM"} in the
# reminder's "I posted it" link; {"group": pk, "user": pk} in its link that stops the reminder.
MONTHLY_TEST_CONFIRM = SignedToken("groups.monthlytest.confirm")
MONTHLY_TEST_STOP = SignedToken("groups.monthlytest.stop")
# The message as previewed ({"sender": pk, "data": the form's fields, "valid_until": ISO}),
# carried from the preview to the Send and Back buttons.
AREA_MESSAGE_PREVIEW = SignedToken("groups.areamessage.preview", compress=True)
# The user's pk, in the unsubscribe link of the monthly prevention tip; never expires.
TIP_UNSUBSCRIBE = SignedToken("groups.tips.unsubscribe")


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password reset token, but not interchangeable with it.

    The hash covers last_login, so the link stops working once the account is
    activated and logged in.
    """

    # The class's old home; the salt must stay, or mailed activation links stop working.
    key_salt = "wabp.views.ActivationTokenGenerator"


activation_token = ActivationTokenGenerator()


class EmailChangeTokenGenerator(PasswordResetTokenGenerator):
    """The link mailed to a new address (User.request_email_change).

    Its hash covers the pending address and when it was asked for, so the link works only
    for that account and that address, once: confirming, or asking for another address,
    changes both. It expires with PASSWORD_RESET_TIMEOUT (and see EMAIL_CHANGE_MAX_AGE).
    """

    key_salt = "wabp.signed.EmailChangeTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        requested = user.pending_email_requested_at
        return (
            f"{super()._make_hash_value(user, timestamp)}"
            f"{user.pending_email}{'' if requested is None else requested.isoformat()}"
        )


email_change_token = EmailChangeTokenGenerator()
# How long the link that confirms a new address works.
EMAIL_CHANGE_MAX_AGE = timedelta(hours=24)


def user_token(user, generator: PasswordResetTokenGenerator = activation_token) -> dict[str, str]:
    """The `uidb64` and `token` URL kwargs of an account link for this user."""
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": generator.make_token(user),
    }


def user_from_uidb64(uidb64: str):
    """The user a link's `uidb64` names, or None (the token still has to be checked)."""
    User = get_user_model()
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return User._default_manager.get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


def token_hash(token: str) -> str:
    """What the database keeps of a random link key (invitations, edit keys): its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()
