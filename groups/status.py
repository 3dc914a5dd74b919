"""The groups app's counts on the board's status page (wabp.status)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import (
    TESTED_RECENTLY,
    Group,
    JoinRequest,
    PoliceRequest,
    StaffRequest,
    StaffRequestStatus,
)
from wabp import status

status.register(
    _("Aanmeldingen"),
    _("Onbeantwoord na 10 dagen"),
    lambda: JoinRequest.objects.unanswered().of_manageable_groups().count(),
    url_name="admin:groups_joinrequest_changelist",
)
status.register(
    _("Nog actief?"),
    _("Groepen die de vraag nog moeten krijgen"),
    lambda: Group.objects.due_for_reconfirmation().count(),
)
status.register(
    _("Nog actief?"),
    _("Gevraagd, nog geen antwoord"),
    lambda: Group.objects.active().filter(reconfirm_sent_at__isnull=False).count(),
)
status.register(
    _("Gemeentemedewerkers"),
    _("Verzoeken om toegang, wachtend op het bestuur"),
    lambda: StaffRequest.objects.filter(status=StaffRequestStatus.PENDING).count(),
    url_name="admin:groups_staffrequest_changelist",
)
status.register(
    _("Politie"),
    _("Verzoeken om toegang, wachtend op het bestuur"),
    lambda: PoliceRequest.objects.pending().count(),
    url_name="admin:groups_policerequest_changelist",
)


# Issue #17 part 4: how many active groups take part in the monthly test, as a share.


def _percent_of_active(groups) -> int:
    active = Group.objects.active().count()
    return round(100 * groups.count() / active) if active else 0


status.register(
    _("Maandelijkse test"),
    _("% van de actieve groepen met een beheerder die maandelijks test"),
    lambda: _percent_of_active(Group.objects.active().testing_monthly()),
    url_name="admin:groups_group_changelist",
)
status.register(
    _("Maandelijkse test"),
    _("% van de actieve groepen getest in de afgelopen 2 maanden"),
    lambda: _percent_of_active(
        Group.objects.active().tested_since(timezone.now() - TESTED_RECENTLY)
    ),
)
