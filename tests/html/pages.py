"""Realistic data and the list of pages that the HTML-validity and accessibility suites check.

`build_world()` creates a few groups with coverage, join requests, a waiting list, the real
courses (`load_courses`) with a certificate, panel rounds (open, anonymous, closed with
published results), municipality staff and the board. `pages(world)` lists every page a
visitor can reach, each with the persona who sees it. Both suites use the same list, so a
new page only has to be added here.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.core.management import call_command
from django.utils import timezone

from groups.tokens import unsubscribe_token
from tests.conftest import PASSWORD, make_user

# Personas (e-mail addresses): each logs in through the login form in the browser suite.
ADMIN = "anna.beheerder@example.test"
OTHER_ADMIN = "bert.beheerder@example.test"
LEARNER = "lotte.leerling@example.test"
MEMBER = "paula.panel@example.test"
STAFF = "sanne.gemeente@example.test"
BOARD = "bea.bestuur@example.test"
# A police officer for Amsterdam, approved by the board, who logs in with a code too.
POLICE = "pieter.agent@politie.nl"
# A municipality employee who set up two-factor login and has entered only her password: she
# sees the code step. (STAFF and BOARD also set up the app, and log in with a code.)
CODE_STEP = "carla.codestap@example.test"
PASSWORD_ONLY = {CODE_STEP}
ANONYMOUS = ""

COURSE_SLUG = "normafwijkend-gedrag-herkennen"


@dataclass(frozen=True)
class Page:
    """A page as one persona sees it; `data` makes it the answer to a POST.

    A browser posts `data` from the form on `via` (default: `path` itself).
    """

    label: str
    path: str
    persona: str = ANONYMOUS
    data: dict | None = field(default=None, hash=False)
    via: str = ""


def build_world() -> SimpleNamespace:
    """The realistic data set; works under `db` and `transactional_db`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from elearning.models import Course
    from groups.models import (
        GroupAdmin,
        Invitation,
        PoliceRequest,
        RegisterEntry,
        SignRequest,
        StaffRequestStatus,
        WaitingListEntry,
    )
    from groups.tokens import claim_token, reconfirm_token
    from panels.models import PanelInvitation, Participation, Response
    from postcodes.models import Municipality
    from tests.groups.conftest import load_areas, make_group, make_join_request
    from tests.panels.conftest import add_member, admins_panel, answer_data, make_round
    from wabp.models import Consent, User
    from wabp.two_factor.devices import new_recovery_codes

    call_command("load_courses", verbosity=0)
    call_command("load_pages", verbosity=0)
    call_command("load_tips", verbosity=0)  # Prevention tips (issue #17, part 3)

    areas = load_areas(["1011", "1012", "1013", "1015", "3511"])
    admin = make_user(ADMIN, first_name="Anna", last_name="Beheerder", phone="0612345678")
    other_admin = make_user(OTHER_ADMIN, first_name="Bert", last_name="Beheerder")
    learner = make_user(LEARNER, first_name="Lotte", last_name="Leerling")
    member = make_user(MEMBER, first_name="Paula", last_name="Panel")
    amsterdam = Municipality.objects.get(slug="amsterdam")
    staff = make_user(STAFF, first_name="Sanne", last_name="Gemeente", municipality=amsterdam)
    board = make_user(BOARD, first_name="Bea", is_staff=True, is_superuser=True)
    code_step = make_user(CODE_STEP, first_name="Carla", municipality=amsterdam)
    police = make_user(POLICE, first_name="Pieter", last_name="Agent", is_police=True)
    police_request = PoliceRequest.objects.create(
        first_name="Pieter",
        last_name="Agent",
        email=POLICE,
        team="Basisteam Amsterdam-Centrum",
        job_title="Wijkagent",
        status=StaffRequestStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=board,
        user=police,
    )
    police_request.municipalities.set([amsterdam])
    for user in (admin, other_admin, learner, member, staff, board, code_step, police):
        Consent.objects.create(user=user, document=Consent.Document.PRIVACY, version="2026-1")
    for user in (staff, board, code_step, police):
        TOTPDevice.objects.create(user=user, name="Authenticator-app")
        new_recovery_codes(user)

    group = make_group(
        "Buurtpreventie Nieuwmarkt",
        areas["1011"],
        postcodes=["1011AB", "1011AC", "1011AD", "1011AE"],
        admins=[admin],
        description="Wij letten samen op rond de **Nieuwmarkt**.\n\n- 112 bij spoed\n- geen ruzie",
        street="Nieuwmarkt",
        registered_with_municipality=True,
        member_count=80,
        municipality=amsterdam,
    )
    neighbour = make_group(
        "Buurtwacht Dam",
        areas["1012"],
        postcodes=["1012AB"],
        admins=[other_admin],
        registered_with_police=True,
        municipality=amsterdam,
    )
    wallen = make_group(
        "WhatsApp Wallen", areas["1012"], admins=[other_admin], municipality=amsterdam
    )
    # Issue 16: the police confirmed its registration (the workspace shows both states).
    wallen.confirm_police_registration(by=police)
    make_group("Utrecht Centrum Alert", areas["3511"], platform="signal")
    suspended = make_group("Geschorste Buurtgroep", areas["1013"], admins=[admin])
    suspended.suspend()
    make_join_request(group, name="Rita Bewoner", email="rita@example.test")
    make_join_request(group, status="accepted", name="Karel Bewoner", email="karel@example.test")
    unconfirmed = make_join_request(
        group, status="unconfirmed", name="Piet Bewoner", email="piet@example.test"
    )
    waiting = WaitingListEntry.objects.add(area=areas["1015"], email="wacht@example.test")
    invitation = Invitation.objects.create(
        group=group, email="nieuw.beheerder@example.test", invited_by=admin
    )
    SignRequest.objects.create(
        group=group,
        requested_by=admin,
        municipality=amsterdam,
        street="Nieuwmarkt, bij de Waag",
        reason="Hier komen de meeste mensen de buurt in.",
    )
    GroupAdmin.objects.get_or_create(group=group, user=admin)
    # A co-admin, so the pages for removing an admin and stepping down ask for confirmation.
    co_admin = make_user("cas.mede@example.test", first_name="Cas", last_name="Medebeheerder")
    co_membership = GroupAdmin.objects.create(group=group, user=co_admin)

    # E-learning: the admin holds a certificate; the learner failed the quiz once.
    course = Course.objects.get(slug=COURSE_SLUG)
    right = {
        str(q.pk): sorted(c.pk for c in q.choices.all() if c.is_correct)
        for q in course.questions.prefetch_related("choices")
    }
    for lesson in course.lessons.all():
        lesson.mark_done(admin)
    attempt = course.submit_attempt(admin, right)
    certificate = admin.certificates.get(course=course)
    wrong = {
        str(q.pk): [next(c.pk for c in q.choices.all() if not c.is_correct)]
        for q in course.questions.prefetch_related("choices")
    }
    failed_attempt = course.submit_attempt(learner, wrong)

    # Panels: the member answers in an open named round, an anonymous round is open too,
    # and last month's round is closed with results published.
    panel = admins_panel()
    add_member(panel, member)
    add_member(panel, admin)
    open_round = make_round(panel)
    anonymous_round = make_round(panel, anonymous=True, slug="anoniem", title="Anonieme ronde")
    now = timezone.now()
    past_round = make_round(
        panel,
        slug="vorige-maand",
        title="Vorige maand",
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
    )
    open_round.record_answers(admin, _answers(open_round, answer_data))
    # The round has closed: its answers are stored as record_answers() did while it was open.
    Response.objects.create(
        round=past_round, user=member, answers=_answers(past_round, answer_data)
    )
    Participation.objects.create(round=past_round, user=member)
    past_round.results_published_at = now - timedelta(days=5)
    past_round.board_response = "Dank voor uw antwoorden. We gaan **zo** verder."
    past_round.save()
    panel_token = PanelInvitation(panel=panel, email="nieuw.panellid@example.test").issue_token()

    # Taken over from the old register, not yet claimed by its admin.
    imported_admin = User.objects.create_user(
        "oud.register@example.test", first_name="Olga", is_active=False
    )
    # Not in 1015: that area has no group, so its search shows the waiting-list form.
    imported = make_group(
        "Buurtwacht uit het register",
        areas["1013"],
        admins=[imported_admin],
        municipality=amsterdam,
        last_confirmed_at=None,
    )
    RegisterEntry.objects.create(group=imported, key="nr:1", admin=imported_admin, fingerprint="-")
    # Staff onboarding: Amsterdam's mail domain, and a request waiting for its verification.
    from groups.models import MunicipalityMailDomain, StaffRequest
    from groups.tokens import staff_request_token

    MunicipalityMailDomain.objects.create(municipality=amsterdam, domain="amsterdam.nl")
    staff_request = StaffRequest.objects.create(
        municipality=amsterdam,
        email="m.dewijk@amsterdam.nl",
        first_name="Mila",
        last_name="de Wijk",
        job_title="Wijkcoördinator",
    )

    # Area messages (issue #16, part 3): the officer sent one to the groups of 1011 and 1012.
    from groups.areamessages.delivery import send_area_message, sender_for

    send_area_message(
        sender_for(police),
        subject="Inbraken rond de Nieuwmarkt",
        body="Let op open ramen en deuren.",
        reason="Drie woninginbraken in vijf dagen",
        reference="BVH/2026/123456",
        valid_until=timezone.now() + timedelta(hours=24),
        area_codes=["1011", "1012"],
    )
    # Police access (groups.policeaccess): an officer's request waiting for its verification.
    from groups.tokens import police_request_token

    unverified_police_request = PoliceRequest.objects.create(
        first_name="Anouk",
        last_name="Aanvrager",
        email="a.aanvrager@politie.nl",
        team="Basisteam Amsterdam-Centrum",
        job_title="Wijkagent",
    )
    unverified_police_request.municipalities.set([amsterdam])

    return SimpleNamespace(
        police_request_token=police_request_token(unverified_police_request),
        admin=admin,
        learner=learner,
        member=member,
        staff=staff,
        board=board,
        group=group,
        neighbour=neighbour,
        wallen=wallen,
        suspended=suspended,
        municipality=amsterdam,
        unconfirmed=unconfirmed,
        status_token=group.join_requests.filter(status="pending").get().token,
        waiting=waiting,
        invitation=invitation,
        co_membership=co_membership,
        reconfirm_token=reconfirm_token(group),
        course=course,
        attempt=attempt,
        failed_attempt=failed_attempt,
        certificate=certificate,
        open_round=open_round,
        anonymous_round=anonymous_round,
        past_round=past_round,
        panel_token=panel_token,
        imported=imported,
        claim_token=claim_token(imported_admin),
        claimed_token=claim_token(learner),
        staff_request_token=staff_request_token(staff_request),
        password=PASSWORD,
    )


def _answers(round, answer_data) -> dict:
    """The cleaned answers of a typical member, as the round's form gives them."""
    from panels.forms import AnswerForm

    form = AnswerForm(
        answer_data(round, multiple=["E-learning"], text="Meer avonden met de wijkagent."),
        round=round,
        questions=round.questions.prefetch_related("options"),
    )
    assert form.is_valid(), form.errors
    return form.answers()


def pages(world) -> list[Page]:
    """Every page to check, with the persona who sees it."""
    from wabp.models import Page as ContentPage

    group, course = world.group.slug, world.course.slug
    pc = [
        Page("home", "/"),
        Page("zoeken", "/zoeken/"),
        Page("meldhulp", "/melden/"),
        Page(
            "meldhulp: het bericht",
            "/melden/",
            data={
                "urgency": "now",
                "called": "no",
                "behaviour": "Voelt aan de portieren van geparkeerde auto's",
                "place": "Dorpsstraat bij nummer 12",
                "time": "21:40",
                "vehicle": "Blauwe Opel, GZ-41",
            },
        ),
        Page("meldhulp: afkomst genoemd", "/melden/", data={"behaviour": "Getinte man"}),
        Page("zoeken op postcode", "/zoeken/?postcode=1011+AB"),
        Page("zoeken op gebied", "/zoeken/?postcode=1012"),
        Page("zoeken zonder groep (wachtlijst)", "/zoeken/?postcode=1015"),
        Page("zoeken onbekende postcode", "/zoeken/?postcode=1011ZZ"),
        Page("zoeken met fout", "/zoeken/?postcode=abc"),
        Page("zoeken op naam", "/zoeken/?q=Nieuwmarkt"),
        Page("zoeken op naam met fout", "/zoeken/?q=x"),
        Page("zoeken op plaatsnaam", "/zoeken/?q=Amsterdam"),
        Page("zoeken op plaats", "/zoeken/?plaats=Amsterdam"),
        Page("zoeken onbekende plaats", "/zoeken/?plaats=Nergenshuizen"),
        Page("groep", f"/groepen/{group}/"),
        Page("aanmelden", f"/groepen/{group}/aanmelden/"),
        Page(
            "aanmelden met fouten",
            f"/groepen/{group}/aanmelden/",
            data={"name": "", "email": "geen-adres", "phone": "12", "postcode": "abc"},
        ),
        Page("aanmelden verzonden", f"/groepen/{group}/aanmelden/verzonden/"),
        Page("aanmelding bevestigen", f"/aanmelding/{world.unconfirmed.token}/bevestigen/"),
        Page("aanmelding status", f"/aanmelding/{world.status_token}/"),
        Page("registreren", "/groep-registreren/"),
        Page(
            "registreren met fouten",
            "/groep-registreren/",
            data={"email": "geen-adres", "phone": "1", "postcode": "0000", "password1": "a"},
        ),
        Page("registreren verzonden", "/groep-registreren/verzonden/"),
        Page("registreren link ongeldig", "/groep-registreren/bevestigen/ongeldig/"),
        Page("kaart", "/kaart/"),
        Page("kaart met filters", "/kaart/?postcode=1011&platform=whatsapp&trained=on"),
        Page("kaart met fout", "/kaart/?postcode=abc&province=Nergens"),
        Page("kaart embed", "/kaart/embed/?gemeente=amsterdam"),
        Page("gemeenten", "/gemeenten/"),
        Page("gemeente", "/gemeenten/amsterdam/"),
        Page("cijfers", "/cijfers/"),
        Page(
            "wachtlijst met fout",
            "/wachtlijst/",
            data={"postcode": "1015", "email": "geen-adres"},
            via="/wachtlijst/?postcode=1015",
        ),
        Page("wachtlijst formulier", "/wachtlijst/?postcode=1015AA"),
        Page("wachtlijst verstuurd", "/wachtlijst/verstuurd/"),
        Page("medewerker aanvragen", "/gemeente-medewerkers/aanvragen/?gemeente=amsterdam"),
        Page(
            "medewerker aanvragen met fouten",
            "/gemeente-medewerkers/aanvragen/",
            data={"municipality": "amsterdam", "email": "mila@gmail.com", "first_name": ""},
        ),
        Page("medewerker aanvraag verstuurd", "/gemeente-medewerkers/aanvragen/verstuurd/"),
        Page(
            "medewerker aanvraag bevestigen",
            f"/gemeente-medewerkers/bevestigen/{world.staff_request_token}/",
        ),
        # Police access requests (groups.policeaccess)
        Page("politie toegang aanvragen", "/politie/toegang-aanvragen/"),
        Page(
            "politie toegang aanvragen met fouten",
            "/politie/toegang-aanvragen/",
            data={"email": "pieter@politie.nl.evil.com", "first_name": "", "municipalities": []},
        ),
        Page(
            "politie toegang aanvragen met gebied",
            "/politie/toegang-aanvragen/",
            data={"email": "pieter@politie.nl", "municipalities": ["amsterdam"]},
        ),
        Page("politie aanvraag verstuurd", "/politie/toegang-aanvragen/verstuurd/"),
        Page(
            "politie aanvraag bevestigen",
            f"/politie/toegang-bevestigen/{world.police_request_token}/",
        ),
        Page("wachtlijst bevestigen", f"/wachtlijst/bevestigen/{world.waiting.token}/"),
        Page("wachtlijst afmelden", f"/wachtlijst/afmelden/{world.waiting.token}/"),
        Page("nog actief", f"/beheer/nog-actief/{world.reconfirm_token}/"),
        Page("groep uit het register", world.imported.get_absolute_url()),
        Page("groep bevestigen", f"/groep-bevestigen/{world.claim_token}/"),
        Page(
            "groep bevestigen met fouten",
            f"/groep-bevestigen/{world.claim_token}/",
            data={"password1": "a", "password2": "b"},
        ),
        Page("groep bevestigen al gedaan", f"/groep-bevestigen/{world.claimed_token}/"),
        Page("groep bevestigen ongeldig", "/groep-bevestigen/ongeldig/"),
        Page("uitnodiging beheerder", f"/beheer/uitnodiging/{world.invitation.token}/"),
        Page(
            "uitnodiging beheerder ander adres",
            f"/beheer/uitnodiging/{world.invitation.token}/",
            LEARNER,
        ),
        Page("uitnodiging beheerder ongeldig", "/beheer/uitnodiging/ongeldig/"),
        Page("e-learning", "/e-learning/"),
        Page("cursus", f"/e-learning/{course}/"),
        Page("certificaat controleren", f"/e-learning/certificaat/{world.certificate.code}/"),
        Page("certificaat onbekende code", "/e-learning/certificaat/bestaat-niet-123/"),
        Page("certificaat code intypen", "/e-learning/certificaat/"),
        Page(
            "certificaat controleren (Engels)",
            f"/en/e-learning/certificaat/{world.certificate.code}/",
        ),
        Page("panel uitnodiging", f"/panels/uitnodiging/{world.panel_token}/"),
        Page("panel uitnodiging ongeldig", "/panels/uitnodiging/ongeldig/"),
        Page("inloggen", "/account/inloggen/"),
        Page(
            "inloggen mislukt",
            "/account/inloggen/",
            data={"username": "niemand@example.test", "password": "fout"},
        ),
        Page("account aanmaken", "/account/aanmaken/"),
        Page(
            "account aanmaken met fouten",
            "/account/aanmaken/",
            data={"email": "geen-adres", "password1": "a", "password2": "b"},
        ),
        Page("account aangemaakt", "/account/aanmaken/verzonden/"),
        Page("activeren ongeldig", "/account/activeren/MQ/ongeldig/"),
        Page("wachtwoord vergeten", "/account/wachtwoord-vergeten/"),
        Page("wachtwoord vergeten verzonden", "/account/wachtwoord-vergeten/verzonden/"),
        Page("wachtwoord herstellen ongeldig", "/account/wachtwoord-herstellen/MQ/ongeldig/"),
        Page("wachtwoord hersteld", "/account/wachtwoord-herstellen/klaar/"),
        Page("niet gevonden (404)", "/bestaat-echt-niet/"),
        Page("account verwijderd", "/account/verwijderd/"),
        Page(
            "afmelden bestuursberichten",
            f"/afmelden/bestuursberichten/{unsubscribe_token(world.admin)}/",
        ),
    ]
    pc += [
        Page(f"inhoud {p.slug}", p.get_absolute_url())
        for p in ContentPage.objects.published().order_by("slug")
    ]
    # Issue #16, parts 4 and 5: the open data docs and the accessibility statement (the Dutch
    # statement is a content page, above).
    pc += [
        Page("open data", "/open-data/"),
        Page("open data (Engels)", "/en/open-data/"),
        Page("toegankelijkheid (Engels)", "/en/toegankelijkheid/"),
    ]
    pc += [
        Page("mijn account", "/account/", ADMIN),
        Page("account verwijderen", "/account/verwijderen/", ADMIN),
        Page("wachtwoord wijzigen", "/account/wachtwoord-wijzigen/", ADMIN),
        Page("wachtwoord gewijzigd", "/account/wachtwoord-wijzigen/klaar/", ADMIN),
        Page("e-mailadres bevestigen ongeldig", "/account/e-mailadres-bevestigen/MQ/x/", ADMIN),
        Page("beheer", "/beheer/", ADMIN),
        Page("beheer groep", f"/beheer/groep/{group}/", ADMIN),
        Page("beheer gegevens", f"/beheer/groep/{group}/gegevens/", ADMIN),
        Page("wervingskit", f"/beheer/groep/{group}/werven/", ADMIN),
        Page("wervingskit deurbrief", f"/beheer/groep/{group}/werven/brief/?taal=nl", ADMIN),
        Page("wervingskit flyer (Engels)", f"/beheer/groep/{group}/werven/flyer/?taal=en", ADMIN),
        Page("wervingskit poster", f"/beheer/groep/{group}/werven/poster/", ADMIN),
        Page(
            "beheer gegevens met fouten",
            f"/beheer/groep/{group}/gegevens/",
            ADMIN,
            data={"name": "", "platform": "fax", "member_count": "-3"},
        ),
        Page("beheer postcodes", f"/beheer/groep/{group}/postcodes/", ADMIN),
        Page(
            "beheer postcodes toegevoegd",
            f"/beheer/groep/{group}/postcodes/",
            ADMIN,
            data={"postcodes": "1011AF-1011AH, 9999ZZ, onzin"},
        ),
        Page(
            "beheer postcodes naar het bestuur",
            f"/beheer/groep/{group}/postcodes/",
            ADMIN,
            data={"postcodes": "1011AF, 3511"},
        ),
        Page("beheer geschorste groep", f"/beheer/groep/{world.suspended.slug}/", ADMIN),
        Page("beheer aanmeldingen", f"/beheer/groep/{group}/aanmeldingen/", ADMIN),
        Page("beheer beheerders", f"/beheer/groep/{group}/beheerders/", ADMIN),
        Page("beheer stoppen", f"/beheer/groep/{group}/beheerders/stoppen/", ADMIN),
        Page(
            "beheer beheerder verwijderen",
            f"/beheer/groep/{group}/beheerders/{world.co_membership.pk}/verwijderen/",
            ADMIN,
        ),
        Page("beheer buren", f"/beheer/groep/{group}/buren/", ADMIN),
        # Issue 17, part 5: splitting a group (form, errors, confirmation, no postcodes yet).
        Page("splitsen", f"/beheer/groep/{group}/splitsen/", ADMIN),
        Page(
            "splitsen met fouten",
            f"/beheer/groep/{group}/splitsen/",
            ADMIN,
            data={"name": "", "platform": "whatsapp", "postcodes": "9999ZZ"},
        ),
        Page(
            "splitsen bevestigen",
            f"/beheer/groep/{group}/splitsen/",
            ADMIN,
            data={
                "name": "Buurtpreventie Waag",
                "platform": "signal",
                "postcodes": "1011AB",
                "admins": str(world.admin.pk),
                "invite_email": "nieuw@example.test",
            },
        ),
        Page(
            "splitsen zonder postcodes", f"/beheer/groep/{world.wallen.slug}/splitsen/", OTHER_ADMIN
        ),
        Page(
            "beheer bericht aan buren",
            f"/beheer/groep/{group}/buren/{world.neighbour.slug}/",
            ADMIN,
        ),
        Page("bord aanvragen", f"/borden/aanvragen/{group}/", ADMIN),
        Page("panels (beheerder)", "/panels/", ADMIN),
        Page("panel aanmelden", "/panels/aanmelden/", ADMIN),
        Page("les", f"/e-learning/{course}/les/1/", ADMIN),
        Page("toets", f"/e-learning/{course}/toets/", ADMIN),
        Page(
            "toets met fouten",
            f"/e-learning/{course}/toets/",
            LEARNER,
            data={"started": ""},
        ),
        Page("uitslag", f"/e-learning/{course}/toets/uitslag/{world.attempt.pk}/", ADMIN),
        Page(
            "uitslag niet geslaagd",
            f"/e-learning/{course}/toets/uitslag/{world.failed_attempt.pk}/",
            LEARNER,
        ),
        Page("les (Engels)", f"/en/e-learning/{course}/les/3/", ADMIN),
        Page("certificaat (Engels)", f"/en/e-learning/{course}/certificaat/", ADMIN),
        Page("certificaat", f"/e-learning/{course}/certificaat/", ADMIN),
        Page("cursus (leerling)", f"/e-learning/{course}/", LEARNER),
        Page("mijn account (leerling)", "/account/", LEARNER),
        Page("panels", "/panels/", MEMBER),
        Page("ronde", f"/panels/ronde/{world.open_round.slug}/", MEMBER),
        Page("ronde beantwoord", f"/panels/ronde/{world.open_round.slug}/", ADMIN),
        Page("anonieme ronde", f"/panels/ronde/{world.anonymous_round.slug}/", MEMBER),
        Page(
            "ronde met fouten",
            f"/panels/ronde/{world.anonymous_round.slug}/",
            MEMBER,
            data={"unknown": "1"},
        ),
        Page("ronde gesloten met resultaten", f"/panels/ronde/{world.past_round.slug}/", MEMBER),
        Page("gemeente (medewerker)", "/gemeenten/amsterdam/", STAFF),
        Page("account (politie)", "/account/", POLICE),
        Page("gemeente borden", "/gemeenten/amsterdam/borden/", STAFF),
        Page(
            "gemeente bericht aan groep",
            f"/gemeenten/amsterdam/contact/{group}/",
            STAFF,
        ),
        Page("geen toegang (geen medewerker)", "/gemeenten/amsterdam/borden/", LEARNER),
        # Area messages (issue #16, part 3)
        *_area_message_pages(world),
        *_monthly_test_pages(world),
        # Prevention tips (issue #17, part 3)
        *_tip_pages(world),
        Page("panel resultaten", f"/panels/resultaten/{world.past_round.slug}/", BOARD),
        Page("ronde (bestuur)", f"/panels/resultaten/{world.open_round.slug}/", BOARD),
        # Two-factor login
        Page("inloggen code", "/account/inloggen/code/", CODE_STEP),
        Page(
            "inloggen code met fout",
            "/account/inloggen/code/",
            CODE_STEP,
            data={"otp_token": "12a"},
        ),
        Page("inloggen herstelcode", "/account/inloggen/herstelcode/", CODE_STEP),
        Page("tweestapsverificatie uit", "/account/tweestapsverificatie/", ADMIN),
        Page("tweestapsverificatie instellen", "/account/tweestapsverificatie/instellen/", LEARNER),
        Page(
            "tweestapsverificatie instellen met fout",
            "/account/tweestapsverificatie/instellen/",
            LEARNER,
            data={"otp_token": "12"},
        ),
        Page("tweestapsverificatie aan (verplicht)", "/account/tweestapsverificatie/", BOARD),
        Page(
            "nieuwe herstelcodes",
            "/account/tweestapsverificatie/nieuwe-herstelcodes/",
            BOARD,
            data={},
            via="/account/tweestapsverificatie/",
        ),
        # Issue 16, the wijkagent's workspace.
        Page("werkplek politie", "/politie/", POLICE),
        Page("werkplek politie (Engels)", "/en/politie/", POLICE),
        Page("werkplek politie gefilterd", "/politie/?unconfirmed=on&sort=bevestigd", POLICE),
        Page("politie bericht aan groep", f"/politie/groepen/{group}/contact/", POLICE),
        Page(
            "politie bericht aan groep met fout",
            f"/politie/groepen/{group}/contact/",
            POLICE,
            data={"subject": "", "message": ""},
        ),
        Page("geen toegang (geen politie)", "/politie/", LEARNER),
    ]
    return pc


AREA_MESSAGE = {
    "action": "preview",
    "subject": "Inbraken in de buurt",
    "body": "Er is deze week drie keer ingebroken.\nLet op open ramen.",
    "reason": "Drie woninginbraken in vijf dagen",
    "reference": "BVH/2026/123456",
    "validity": "24",
    "area_mode": "areas",
    "areas": "1011, 1012",
}


def _area_message_pages(world) -> list[Page]:
    from groups.tokens import area_message_opt_out_token

    new = "/gebiedsberichten/nieuw/"
    wrong = {**AREA_MESSAGE, "reason": "", "areas": "1011, 3511", "validity": "999"}
    radius = {**AREA_MESSAGE, "area_mode": "radius", "centre_postcode": "1011AB", "radius_km": "1"}
    pages = []
    for who, label in ((POLICE, "politie"), (STAFF, "gemeente")):
        pages += [
            Page(f"gebiedsbericht nieuw ({label})", new, who),
            Page(f"gebiedsbericht met fouten ({label})", new, who, data=wrong),
            Page(f"gebiedsbericht voorbeeld ({label})", new, who, data=AREA_MESSAGE),
        ]
    token = area_message_opt_out_token(world.admin, "police")
    return [
        *pages,
        Page("gebiedsbericht voorbeeld straal", new, POLICE, data=radius),
        Page("gebiedsberichten (politie)", "/gebiedsberichten/", POLICE),
        Page("gebiedsberichten (gemeente, nog geen)", "/gebiedsberichten/", STAFF),
        Page("gebiedsbericht geen toegang", new, ADMIN),
        Page("gebiedsberichten instellingen", "/gebiedsberichten/instellingen/", ADMIN),
        Page("afmelden gebiedsberichten", f"/afmelden/gebiedsberichten/{token}/"),
    ]


def _monthly_test_pages(world) -> list[Page]:
    """Issue #17 part 4: the admin's test message page and the reminder's two links."""
    from django.utils import timezone

    from groups.models import GroupAdmin, first_of_month
    from groups.tokens import monthly_test_stop_token, monthly_test_token

    membership = GroupAdmin.objects.get(group=world.group, user=world.admin)
    month = first_of_month(timezone.localdate())
    return [
        Page("testbericht", f"/beheer/groep/{world.group.slug}/testbericht/", ADMIN),
        Page(
            "testbericht bevestigen",
            f"/beheer/testbericht/{monthly_test_token(membership, month)}/",
        ),
        Page(
            "testbericht herinnering stoppen",
            f"/beheer/testbericht-stoppen/{monthly_test_stop_token(membership)}/",
        ),
    ]


def _tip_pages(world) -> list[Page]:
    from groups.models import TipSubscription
    from groups.tokens import tip_unsubscribe_token
    from wabp.models import User

    TipSubscription.subscribe(User.objects.get(email=OTHER_ADMIN))
    tip = "/tips/babbeltruc-aan-de-deur/"
    token = tip_unsubscribe_token(world.admin)
    return [
        Page("preventietips", "/tips/"),
        Page("preventietips (Engels)", "/en/tips/"),
        Page("preventietip", tip),
        Page("preventietip (Engels)", f"/en{tip}"),
        Page("preventietip (beheerder)", tip, ADMIN),
        Page("maandelijkse tip aanmelden", "/tips/abonneren/", ADMIN),
        Page("maandelijkse tip aangemeld", "/tips/abonneren/", OTHER_ADMIN),
        Page("afmelden preventietips", f"/afmelden/preventietips/{token}/"),
        Page("afmelden preventietips: ongeldig", "/afmelden/preventietips/vals/"),
    ]
