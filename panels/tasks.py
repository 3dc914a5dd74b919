"""Panel mail in the task queue. Tasks take ids, never personal data."""

from django.tasks import task

from panels.mailing import send_all_round_mail, send_round_mail
from panels.models import Round
from wabp import schedule


@task
def send_panel_mail() -> str:
    """Periodic: round invitations, reminders and results notices that are due."""
    return str(send_all_round_mail())


@task
def send_mail_for_round(round_id: int) -> str:
    """Right away for one round, e.g. after the board publishes its results."""
    round = Round.objects.filter(pk=round_id).first()
    if round is None:
        return "round deleted"
    return str(send_round_mail(round))


schedule.register("panel_mail", send_panel_mail, minute=5)
