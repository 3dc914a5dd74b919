"""Prevention tips: the knowledge base, subscribing, and the monthly tip by mail."""

import io
from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Tip, TipDelivery, TipSubscription, TipTheme
from groups.tips.delivery import send_monthly_tips
from groups.tips.loading import read_tips
from groups.tokens import tip_unsubscribe_token
from tests.factories import make_user
from wabp import schedule
from wabp.models import OutboundEmail


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, 5))


def make_tip(slug: str, months=(), order=100, **fields) -> Tip:
    return Tip.objects.create(
        slug=slug,
        theme=fields.pop("theme", TipTheme.BURGLARY),
        months=list(months),
        order=order,
        title=fields.pop("title", f"Tip {slug}"),
        body=fields.pop("body", "Doe de deur **op slot**."),
        chat_message=fields.pop("chat_message", f"Bericht {slug}"),
        **fields,
    )


@pytest.fixture
def subscriber(db):
    user = make_user("anna@example.test", first_name="Anna", language="nl")
    TipSubscription.subscribe(user)
    return user


def sent_tips(user) -> list[str]:
    return list(
        TipDelivery.objects.filter(user=user).order_by("month").values_list("tip__slug", flat=True)
    )


# The files and load_tips ------------------------------------------------------------------


def test_every_tip_in_the_files_is_complete_and_its_chat_message_short(db):
    specs = read_tips()
    assert 10 <= len(specs) <= 12
    for spec in specs:
        assert spec["title_en"] and spec["body_en"] and spec["chat_message_en"], spec["slug"]
        for message in (spec["chat_message"], spec["chat_message_en"]):
            assert len(message) <= Tip.CHAT_MAX_LENGTH, spec["slug"]
    themes = {spec["theme"] for spec in specs}
    assert {"donkere-dagen", "vakantie", "babbeltrucs", "fietsdiefstal"} <= themes
    every_text = " ".join(spec["body"] for spec in specs)
    for advice in ("112", "0900-8844", "Politiekeurmerk Veilig Wonen", "framenummer"):
        assert advice in every_text


def test_load_tips_is_idempotent_and_leaves_the_boards_edits(db):
    out = io.StringIO()
    call_command("load_tips", "--dry-run", stdout=out)
    assert Tip.objects.count() == 0
    call_command("load_tips", stdout=out)
    count = Tip.objects.count()
    assert count == len(read_tips())
    Tip.objects.filter(slug="bankhelpdeskfraude").update(title="Door het bestuur aangepast")
    call_command("load_tips", stdout=out)
    call_command("load_tips", "--update", stdout=out)
    assert Tip.objects.count() == count
    assert Tip.objects.get(slug="bankhelpdeskfraude").title == "Door het bestuur aangepast"


def test_load_tips_update_replaces_a_tip_whose_files_have_a_higher_version(db):
    call_command("load_tips", stdout=io.StringIO())
    Tip.objects.filter(slug="auto-leeg").update(version=0, title="Oud")
    call_command("load_tips", stdout=io.StringIO())
    assert Tip.objects.get(slug="auto-leeg").title == "Oud"
    call_command("load_tips", "--update", stdout=io.StringIO())
    assert Tip.objects.get(slug="auto-leeg").title != "Oud"


# The pages --------------------------------------------------------------------------------


def test_a_script_in_the_boards_markdown_never_reaches_the_page(client, db):
    make_tip("licht", body="Hallo <script>alert(1)</script> [x](javascript:alert(2))")
    html = client.get("/tips/licht/").content.decode()
    assert "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "Hallo" in html


def test_a_tip_shows_its_chat_message_to_copy_and_a_link_to_subscribe(client, db):
    make_tip("licht", chat_message="Doe het licht aan & de deur op slot.")
    html = client.get("/tips/licht/").content.decode()
    assert 'id="chat-message"' in html and "readonly" in html
    assert "Doe het licht aan &amp; de deur op slot." in html
    assert 'data-copy="chat-message"' in html
    assert reverse("groups:tip_subscription") in html
    assert "csrfmiddlewaretoken" not in html  # a cached page holds no form


def test_english_page_falls_back_to_dutch_where_a_tip_has_no_english(client, db):
    make_tip("nl-only", title="Alleen Nederlands")
    make_tip("both", title="Tweetalig", title_en="Bilingual", body_en="In English.")
    html = client.get("/en/tips/").content.decode()
    assert "Alleen Nederlands" in html and "Bilingual" in html and "Tweetalig" not in html


def test_unpublished_tips_are_not_shown(client, db):
    make_tip("concept", title="Nog een concept", is_published=False)
    assert "Nog een concept" not in client.get("/tips/").content.decode()
    assert client.get("/tips/concept/").status_code == 404


def test_tips_list_shows_this_months_tips_first_in_few_queries(
    client, db, django_assert_max_num_queries
):
    for number in range(12):
        make_tip(f"tip-{number}", months=[number + 1], theme=list(TipTheme.values)[number % 7])
    with time_machine.travel(at(2026, 12, 3), tick=False), django_assert_max_num_queries(3):
        html = client.get("/tips/").content.decode()
    this_month = html.index("Tips voor december")
    assert html.index("Tip tip-11") > this_month
    assert html.index("Tip tip-11") < html.index("Donkere dagen")


def test_tips_pages_are_cached_for_anonymous_visitors(client, db):
    make_tip("licht")
    client.get("/tips/")
    assert client.get("/tips/").has_header("ETag")


# Subscribing ------------------------------------------------------------------------------


def test_subscribing_needs_an_account(client, db):
    response = client.post("/tips/abonneren/", {"choice": "subscribe"})
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
    assert not TipSubscription.objects.exists()


def test_subscribing_needs_the_csrf_token(db):
    user = make_user("anna@example.test")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/tips/abonneren/", {"choice": "subscribe"}).status_code == 403
    assert not TipSubscription.objects.exists()


def test_one_post_subscribes_in_the_pages_language_and_one_unsubscribes(client, db):
    user = make_user("anna@example.test", language="nl")
    client.force_login(user)
    response = client.post("/en/tips/abonneren/", {"choice": "subscribe"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert TipSubscription.objects.filter(user=user).exists() and user.language == "en"
    client.post("/tips/abonneren/", {"choice": "unsubscribe"})
    assert not TipSubscription.objects.filter(user=user).exists()


# The monthly tip --------------------------------------------------------------------------


def test_the_monthly_tip_fits_the_month_and_never_comes_twice(subscriber):
    make_tip("all-year", order=1)
    make_tip("winter", months=[12, 1], order=5)
    make_tip("summer", months=[7], order=2)
    with time_machine.travel(at(2026, 12, 1), tick=False):
        send_monthly_tips()
    with time_machine.travel(at(2027, 1, 1), tick=False):
        send_monthly_tips()
    with time_machine.travel(at(2027, 2, 1), tick=False):
        send_monthly_tips()
    # Seasonal first; January: winter was sent, so the all-year tip; February: what is left.
    assert sent_tips(subscriber) == ["winter", "all-year", "summer"]
    with time_machine.travel(at(2027, 3, 1), tick=False):
        assert send_monthly_tips() == {"sent": 0, "nothing_left": 1}
    assert OutboundEmail.objects.filter(kind="monthly_tip").count() == 3


def test_running_twice_in_a_month_sends_one_mail(subscriber):
    make_tip("a")
    make_tip("b")
    with time_machine.travel(at(2026, 12, 1), tick=False):
        assert send_monthly_tips() == {"sent": 1, "nothing_left": 0}
    with time_machine.travel(at(2026, 12, 1, 15), tick=False):
        assert send_monthly_tips()["sent"] == 0
    with time_machine.travel(at(2026, 12, 20), tick=False):
        assert send_monthly_tips()["sent"] == 0
    assert OutboundEmail.objects.filter(kind="monthly_tip").count() == 1


def test_the_schedule_runs_the_monthly_job_once_a_day(db, run_tasks, subscriber):
    make_tip("a")
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        assert "monthly_tips" in schedule.run_due()
        run_tasks()
        assert "monthly_tips" not in schedule.run_due()
        run_tasks()
    assert OutboundEmail.objects.filter(kind="monthly_tip", to=subscriber.email).count() == 1


def test_the_command_sends_the_monthly_tip_for_cron(subscriber):
    make_tip("a")
    out = io.StringIO()
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        call_command("send_monthly_tips", stdout=out)
        call_command("send_monthly_tips", stdout=io.StringIO())

    assert "sent 1 tips" in out.getvalue()
    assert OutboundEmail.objects.filter(kind="monthly_tip", to=subscriber.email).count() == 1


def test_the_mail_is_in_the_subscribers_language_with_message_links_and_one_click(db):
    english = make_user("emma@example.test", first_name="Emma", language="en")
    TipSubscription.subscribe(english)
    make_tip("licht", title="Licht aan", title_en="Lights on", body_en="Leave a light on.",
             chat_message="Laat een lamp branden.", chat_message_en="Leave a lamp on.")  # fmt: skip
    with time_machine.travel(at(2026, 12, 1), tick=False):
        send_monthly_tips()
    mail = OutboundEmail.objects.get(kind="monthly_tip")
    assert "Lights on" in mail.subject and "Dear Emma" in mail.body
    assert "Leave a lamp on." in mail.body and "Laat een lamp" not in mail.body
    assert "/en/tips/licht/" in mail.body
    assert "/en/afmelden/preventietips/" in mail.body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = mail.headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(one_click.split("testserver")[-1])
    assert response.status_code == 200
    assert not TipSubscription.objects.filter(user=english).exists()


def test_unsubscribe_link_asks_first_then_unsubscribes_without_login(client, subscriber):
    url = reverse("groups:tip_unsubscribe", args=[tip_unsubscribe_token(subscriber)])
    assert client.get(url).status_code == 200
    assert TipSubscription.objects.filter(user=subscriber).exists()
    assert client.post(url, {"choice": "unsubscribe"}).status_code == 302
    assert not TipSubscription.objects.filter(user=subscriber).exists()
    client.post(url, {"choice": "resubscribe"})
    assert TipSubscription.objects.filter(user=subscriber).exists()


def test_a_forged_unsubscribe_link_changes_nothing(client, subscriber):
    assert client.post("/afmelden/preventietips/vals/", {"choice": "x"}).status_code == 404
    assert client.post("/afmelden/preventietips/vals/direct/").status_code == 404
    assert TipSubscription.objects.filter(user=subscriber).exists()


def test_inactive_accounts_get_no_tip(subscriber):
    make_tip("a")
    subscriber.is_active = False
    subscriber.save()
    with time_machine.travel(at(2026, 12, 1), tick=False):
        assert send_monthly_tips()["sent"] == 0


# Personal data ----------------------------------------------------------------------------


def test_the_subscription_is_in_the_export_and_goes_with_erasure(subscriber):
    from groups.personal_data import erase_groups_data, groups_data

    make_tip("a")
    with time_machine.travel(at(2026, 12, 1), tick=False):
        send_monthly_tips()
    data = groups_data(subscriber)
    assert data["tip_subscription"] is not None
    assert [row["tip"] for row in data["tips_received"]] == ["Tip a"]
    erase_groups_data(subscriber)
    assert not TipSubscription.objects.exists() and not TipDelivery.objects.exists()


# The board's admin ------------------------------------------------------------------------


def test_board_filters_tips_by_month_sees_subscribers_and_a_sanitised_preview(board_client):
    winter = make_tip("winter", months=[12], title="Wintertip", body="**Vet** <script>x()</script>")
    make_tip("summer", months=[7], title="Zomertip")
    TipSubscription.subscribe(make_user("anna@example.test"))
    html = board_client.get("/admin/groups/tip/?month=12").content.decode()
    assert "Wintertip" in html and "Zomertip" not in html
    assert "1 abonnee op de maandelijkse tip" in html
    html = board_client.get(f"/admin/groups/tip/{winter.pk}/change/").content.decode()
    assert "<strong>Vet</strong>" in html and "<script>x()" not in html
