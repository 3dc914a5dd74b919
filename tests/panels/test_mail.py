from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from panels.models import Membership, PanelMail
from panels.tasks import send_panel_mail
from tests.panels.conftest import answer_data, make_round
from wabp.models import OutboundEmail


def mails(kind: str) -> list[str]:
    return sorted(OutboundEmail.objects.filter(kind=f"panels_{kind}").values_list("to", flat=True))


def run_command():
    call_command("panels_mail", verbosity=0)


def test_invitation_goes_to_active_members_once_when_the_round_opens(
    member, other_member, left_member, non_member, panel
):
    now = timezone.now()
    round = make_round(panel, opens_at=now + timedelta(hours=2), closes_at=now + timedelta(days=10))
    run_command()
    assert mails("invitation") == []  # not open yet
    with time_machine.travel(round.opens_at + timedelta(minutes=5)):
        run_command()
        run_command()
    assert mails("invitation") == [other_member.email, member.email]
    body = OutboundEmail.objects.filter(to=member.email).get().body
    assert f"/panels/ronde/{round.slug}/" in body


def test_reminder_three_days_before_close_only_to_non_responders_and_once(
    client, member, other_member, left_member, open_round
):
    client.force_login(member)
    client.post(f"/panels/ronde/{open_round.slug}/", answer_data(open_round))
    run_command()
    assert mails("reminder") == []  # more than three days left
    with time_machine.travel(open_round.closes_at - timedelta(days=3) + timedelta(minutes=1)):
        run_command()
        run_command()
    assert mails("reminder") == [other_member.email]
    assert PanelMail.objects.filter(kind="reminder").count() == 1


def test_no_mail_after_the_close_but_a_results_notice_when_published(
    member, left_member, open_round
):
    with time_machine.travel(open_round.closes_at + timedelta(days=1)):
        run_command()
        assert mails("invitation") == mails("reminder") == []
        open_round.board_response = "Dank voor uw inbreng."
        open_round.publish_results()
        run_command()
        run_command()
    assert mails("results") == [member.email]


def test_leaving_the_panel_stops_all_mail(client, member, panel, run_tasks, mailoutbox):
    now = timezone.now()
    round = make_round(panel, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=5))
    with time_machine.travel(round.opens_at + timedelta(minutes=1)):
        run_command()
    assert mails("invitation") == [member.email]

    client.force_login(member)
    client.post(f"/panels/{panel.slug}/verlaten/")
    # The invitation still waiting in the outbox is withdrawn as well.
    run_tasks()
    assert mailoutbox == []

    with time_machine.travel(round.closes_at - timedelta(days=1)):
        run_command()
        round.board_response = "Klaar."
        round.publish_results()
        run_command()
    run_tasks()
    assert OutboundEmail.objects.filter(to=member.email).count() == 0
    assert mailoutbox == []


def test_a_member_who_rejoins_gets_mail_again(member, panel, open_round):
    membership = Membership.objects.get(user=member)
    membership.leave()
    run_command()
    assert mails("invitation") == []
    membership.activate()
    run_command()
    assert mails("invitation") == [member.email]


def test_queued_mail_is_delivered_by_the_worker(member, open_round, run_tasks, mailoutbox):
    send_panel_mail.enqueue()
    run_tasks()  # runs the panel task, which queues the delivery
    run_tasks()
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert open_round.title in mailoutbox[0].subject


def test_dry_run_sends_nothing(member, open_round, capsys):
    call_command("panels_mail", "--dry-run")
    assert "1 invitations" in capsys.readouterr().out
    assert OutboundEmail.objects.count() == 0
    assert PanelMail.objects.count() == 0
