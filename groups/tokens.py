"""The signed links in groups' mail: what each carries and how long it is valid.

    reconfirm_token(group)            -> the token of the "still active?" link
    group_from_reconfirm_token(token) -> the group, or None if forged or expired

Salts and signing are in wabp.signed; this module only says which object goes in.
"""

from datetime import timedelta

from django.urls import reverse

from groups.models import RECONFIRM_AFTER, RECONFIRM_GRACE, Group
from wabp.models import User
from wabp.signed import BROADCAST_UNSUBSCRIBE, GROUP_RECONFIRM, GROUP_REGISTRATION

# A registration must be confirmed within a week.
CONFIRM_MAX_AGE = timedelta(days=7)
# The one-click link stays valid through the grace period and a while after it,
# so an admin can still reactivate a group that went inactive.
RECONFIRM_LINK_MAX_AGE = RECONFIRM_AFTER + RECONFIRM_GRACE


# The board's broadcasts: unsubscribe without logging in.


def unsubscribe_token(user: User) -> str:
    return BROADCAST_UNSUBSCRIBE.make(user.pk)


def user_for_unsubscribe_token(token: str) -> User | None:
    """The user an unsubscribe link belongs to. Links never expire: old mails keep working."""
    pk = BROADCAST_UNSUBSCRIBE.read(token, max_age=None)
    return User.objects.filter(pk=pk).first() if isinstance(pk, int) else None


# Registering a group: the confirmation link.


def confirmation_path(group: Group, user: User) -> str:
    """The path of the link that confirms `user`'s registration of `group`."""
    token = GROUP_REGISTRATION.make({"group": group.pk, "user": user.pk})
    return reverse("groups:register_confirm", kwargs={"token": token})


def registration_from_token(token: str) -> dict | None:
    """`{"group": pk, "user": pk}` of a valid confirmation token, else None."""
    return GROUP_REGISTRATION.read(token, max_age=CONFIRM_MAX_AGE)


# Freshness: the yearly "still active?" link.


def reconfirm_token(group: Group) -> str:
    return GROUP_RECONFIRM.make(group.pk)


def group_from_reconfirm_token(token: str) -> Group | None:
    pk = GROUP_RECONFIRM.read(token, max_age=RECONFIRM_LINK_MAX_AGE)
    return Group.objects.filter(pk=pk).first()
