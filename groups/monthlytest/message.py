"""The test message an admin posts in the group's chat, in the current language."""

from django.utils.translation import gettext as _

from groups.models import Group


def test_message(group: Group) -> str:
    """Short, friendly, and it asks for no reply: in a chat of a hundred neighbours, a hundred
    "works here!" replies are exactly the chatter that makes members mute or leave the group.
    The admin sees the message delivered (the ticks); members see that the group is alive and
    are reminded, once a month, what the group is for and to call 112 first."""
    return _(
        "Testbericht van {group}: de groep werkt. Je hoeft niet te reageren. Deze groep is "
        "voor verdachte situaties in de buurt. Bij spoed altijd eerst 112 bellen, daarna pas "
        "de groep."
    ).format(group=group.name)
