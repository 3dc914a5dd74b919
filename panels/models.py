"""The board's panels: members, invitations, consultation rounds, answers and panel mail.

Anonymous rounds keep answers apart from people: a `Response` of an anonymous
round has no user, no timestamp and a random UUID key, and the separate
`Participation` mark ("has answered") has no link to it either. See
`Round.record_answers` and docs in panels/README.md.
"""

import secrets
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from panels.mail import send_panel_invitation, send_volunteer_approved
from wabp.contact import normalise_email
from wabp.signed import token_hash

# The two panels created by migration 0002; the board can add more in the admin.
ADMINS_PANEL = "beheerderspanel"
MUNICIPALITY_PANEL = "gemeentepanel"

INVITATION_VALID_FOR = timedelta(days=21)
# Invitations hold an e-mail address: they are deleted this long after they were made.
INVITATION_KEEP = timedelta(days=30)
REMINDER_BEFORE_CLOSE = timedelta(days=3)
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024


def validate_pdf(file) -> None:
    """An attachment must be a PDF (name and %PDF- magic bytes) of at most 5 MB."""
    if Path(file.name).suffix.lower() != ".pdf":
        raise ValidationError(_("Alleen een PDF-bestand (.pdf) is toegestaan."), code="extension")
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Het bestand is te groot: maximaal %(mb)s MB."),
            code="size",
            params={"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Dit bestand is geen geldige PDF."), code="content")


def attachment_path(instance, filename: str) -> str:
    # A random name: the uploaded file name may say more than the board meant to.
    return f"panels/rounds/{secrets.token_hex(12)}.pdf"


# Panels and members ----------------------------------------------------------------


class PanelQuerySet(models.QuerySet):
    def with_active_member(self, user):
        """Panels this user is an active member of."""
        return self.filter(memberships__user=user, memberships__status=MembershipStatus.ACTIVE)


class Panel(models.Model):
    name = models.CharField(_("naam"), max_length=100)
    slug = models.SlugField(_("adres"), unique=True)
    description = models.TextField(_("beschrijving"), blank=True)
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    description_en = models.TextField(_("beschrijving (Engels)"), blank=True)

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # What members read: the English text on English pages, where the board wrote one.
    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def display_description(self) -> str:
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("Uitgenodigd")
    REQUESTED = "requested", _("Aangemeld, wacht op het bestuur")
    ACTIVE = "active", _("Lid")
    LEFT = "left", _("Vertrokken")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        """Memberships that receive mail and may answer rounds."""
        return self.filter(status=MembershipStatus.ACTIVE, user__is_active=True)

    def requested(self):
        """Volunteers waiting for the board's approval."""
        return self.filter(status=MembershipStatus.REQUESTED)


class Membership(models.Model):
    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("panel")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="panel_memberships",
        verbose_name=_("gebruiker"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus,
        default=MembershipStatus.INVITED,
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    requested_at = models.DateTimeField(_("aangemeld op"), null=True, blank=True)
    joined_at = models.DateTimeField(_("lid sinds"), null=True, blank=True)
    left_at = models.DateTimeField(_("vertrokken op"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["panel", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panel_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.panel}"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    def activate(self) -> None:
        """Accepted invitation or approved volunteer: a full member from now on."""
        self.status = MembershipStatus.ACTIVE
        self.joined_at = timezone.now()
        self.left_at = None
        self.save(update_fields=["status", "joined_at", "left_at"])

    def approve(self) -> bool:
        """The board approves a volunteer; returns False if there was nothing to approve."""
        if self.status != MembershipStatus.REQUESTED:
            return False
        with transaction.atomic():
            self.activate()
            send_volunteer_approved(self)
        return True

    def leave(self) -> None:
        """Leave the panel: no more rounds, no more mail, including mail still in the outbox."""
        from wabp.models import OutboundEmail

        with transaction.atomic():
            self.status = MembershipStatus.LEFT
            self.left_at = timezone.now()
            self.save(update_fields=["status", "left_at"])
            still_member = Membership.objects.active().filter(user=self.user_id).exists()
            if not still_member:
                OutboundEmail.objects.pending().filter(
                    to=self.user.email, kind__startswith="panels_"
                ).delete()

    @classmethod
    def volunteer(cls, panel: Panel, user) -> "Membership":
        """Ask to join a panel; the board approves in the admin. Members stay members."""
        membership, created = cls.objects.get_or_create(
            panel=panel,
            user=user,
            defaults={"status": MembershipStatus.REQUESTED, "requested_at": timezone.now()},
        )
        if not created and membership.status in (MembershipStatus.LEFT, MembershipStatus.INVITED):
            membership.status = MembershipStatus.REQUESTED
            membership.requested_at = timezone.now()
            membership.save(update_fields=["status", "requested_at"])
        return membership


def volunteer_panels(user):
    """Panels this user may ask to join: group admins the admins' panel, municipality staff theirs."""
    from groups.models import Group

    slugs = []
    if Group.objects.administered_by(user).exists():
        slugs.append(ADMINS_PANEL)
    if user.is_municipality_staff:
        slugs.append(MUNICIPALITY_PANEL)
    return Panel.objects.filter(slug__in=slugs)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        """Invitations not yet accepted and not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())

    def expired(self):
        """Invitations past their retention: made over INVITATION_KEEP ago and no longer
        usable (accepted, expired or never sent). A re-sent one stays while its link works."""
        now = timezone.now()
        return self.filter(created_at__lt=now - INVITATION_KEEP).exclude(
            accepted_at__isnull=True, expires_at__gt=now
        )


class PanelInvitation(models.Model):
    """An e-mailed invitation to join a panel; the token is single use and expires."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("panel")
    )
    email = models.EmailField(_("e-mailadres"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd"), null=True, blank=True)
    expires_at = models.DateTimeField(_("verloopt"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("geaccepteerd"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geaccepteerd door"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging voor een panel")
        verbose_name_plural = _("uitnodigingen voor een panel")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} · {self.panel}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        if not self.token_hash:
            # Placeholder until send() sets the real one; never mailed, never guessable.
            self.token_hash = token_hash(secrets.token_urlsafe(32))
        super().save(*args, **kwargs)

    @classmethod
    def find(cls, token: str) -> "PanelInvitation | None":
        """The usable invitation for this token, or None."""
        return (
            cls.objects.usable()
            .select_related("panel")
            .filter(token_hash=token_hash(token))
            .first()
        )

    def issue_token(self) -> str:
        """A fresh link token, valid from now; stored only as a hash. An older link stops working."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        self.token_hash = token_hash(token)
        self.sent_at = now
        self.expires_at = now + INVITATION_VALID_FOR
        self.save()
        return token

    def send(self) -> None:
        """(Re)send the invitation with a fresh token; an older link stops working."""
        from wabp.models import User

        with transaction.atomic():
            token = self.issue_token()
            now = self.sent_at
            user = User.objects.filter(email__iexact=self.email).first()
            if user is not None:
                membership, created = Membership.objects.get_or_create(
                    panel=self.panel,
                    user=user,
                    defaults={"status": MembershipStatus.INVITED, "invited_at": now},
                )
                if not created and membership.status != MembershipStatus.ACTIVE:
                    membership.status = MembershipStatus.INVITED
                    membership.invited_at = now
                    membership.save(update_fields=["status", "invited_at"])
            send_panel_invitation(self, token, user)

    def accept(self, user) -> Membership | None:
        """Use the invitation once: `user` becomes an active member. None if already used."""
        with transaction.atomic():
            used = (
                PanelInvitation.objects.usable()
                .filter(pk=self.pk)
                .update(accepted_at=timezone.now(), accepted_by=user)
            )
            if not used:
                return None
            membership, _created = Membership.objects.get_or_create(
                panel=self.panel, user=user, defaults={"invited_at": self.sent_at}
            )
            membership.activate()
            return membership


# Rounds and questions -----------------------------------------------------------------


class RoundQuerySet(models.QuerySet):
    def for_member(self, user):
        """Rounds of panels this user is an active member of, once they have opened."""
        return self.filter(
            Exists(Membership.objects.active().filter(user=user, panel__rounds=OuterRef("pk"))),
            opens_at__lte=timezone.now(),
        )

    def open(self):
        """Rounds accepting answers now."""
        now = timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self):
        """Rounds whose closing time has passed."""
        return self.filter(closes_at__lte=timezone.now())

    def published(self):
        """Rounds whose results the board has published."""
        return self.filter(results_published_at__isnull=False)

    def with_answered_by(self, user):
        """Annotate `has_answered` for this user."""
        return self.annotate(
            has_answered=Exists(Participation.objects.filter(round=OuterRef("pk"), user=user))
        )


class AlreadyAnswered(Exception):
    """A second response to an anonymous round without the edit key."""


class RoundClosed(Exception):
    """Answers after the round has closed (or before it opened)."""


class Round(models.Model):
    """A consultation round: the board presents something and asks the panel(s) about it."""

    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("adres"), max_length=120, unique=True)
    introduction = models.TextField(
        _("inleiding (Markdown)"),
        help_text=_("De werkwijze, het idee of de training die u voorlegt."),
    )
    attachment = models.FileField(
        _("bijlage (PDF)"),
        upload_to=attachment_path,
        blank=True,
        validators=[validate_pdf],
        help_text=_("Niet verplicht. Alleen PDF, maximaal 5 MB."),
    )
    panels = models.ManyToManyField(Panel, related_name="rounds", verbose_name=_("panels"))
    opens_at = models.DateTimeField(_("opent op"))
    closes_at = models.DateTimeField(_("sluit op"))
    is_anonymous = models.BooleanField(
        _("anoniem"),
        default=True,
        help_text=_(
            "Antwoorden worden zonder naam bewaard; ook het bestuur ziet niet wie wat zei."
        ),
    )
    results_published_at = models.DateTimeField(_("resultaten gepubliceerd"), null=True, blank=True)
    board_response = models.TextField(
        _("reactie van het bestuur (Markdown)"),
        blank=True,
        help_text=_("Wat het bestuur met de inbreng doet. Leden zien dit na publicatie."),
    )
    shuffled_at = models.DateTimeField(_("geschud"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("panels:round", kwargs={"slug": self.slug})

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("De ronde moet sluiten na het openen.")})

    def get_results_url(self) -> str:
        return reverse("panels:results", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def is_closed(self) -> bool:
        return self.closes_at <= timezone.now()

    @property
    def is_published(self) -> bool:
        return self.results_published_at is not None

    def active_memberships(self):
        """Active memberships of the target panels (one row per user and panel)."""
        return Membership.objects.active().filter(panel__in=self.panels.all())

    def audience(self):
        """Users who may answer: active members of a target panel."""
        from wabp.models import User

        return User.objects.filter(Exists(self.active_memberships().filter(user=OuterRef("pk"))))

    def publish_results(self) -> bool:
        """Publish results and the board's response; members are told by mail (once)."""
        if self.is_published:
            return False
        self.results_published_at = timezone.now()
        self.save(update_fields=["results_published_at"])
        return True

    # Answers --------------------------------------------------------------------------

    def record_answers(self, user, answers: dict, edit_key: str | None = None) -> str | None:
        """Store `user`'s answers: one response per member, editable until the close.

        Named rounds: the response belongs to the user; a second submission (also
        a concurrent one) updates it. Anonymous rounds: a new response gets a
        fresh edit key, returned once and stored only as a hash; changing needs
        that key. Returns the new edit key, or None.
        """
        if not self.is_open:
            raise RoundClosed
        if self.is_anonymous:
            return self._record_anonymous_answers(user, answers, edit_key)
        try:
            with transaction.atomic():
                # The unique constraint on (round, user) makes the second of two
                # concurrent submissions fail here, before any response exists.
                Participation.objects.create(round=self, user=user)
                Response.objects.create(
                    round=self, user=user, answers=answers, submitted_on=timezone.localdate()
                )
        except IntegrityError:
            with transaction.atomic():
                response = Response.objects.select_for_update().get(round=self, user=user)
                response.answers = answers
                response.submitted_on = timezone.localdate()
                response.save(update_fields=["answers", "submitted_on"])
        return None

    def _record_anonymous_answers(self, user, answers: dict, edit_key: str | None) -> str | None:
        """Add or change one anonymous response by rewriting all of the round's responses.

        A row's hidden data (xmin: the transaction that wrote it; ctid: its place,
        which follows insert order) would tie a response to the participation
        written with it. Every write therefore replaces all responses at once, in
        random order with new keys: they all share the latest writer's xmin, and
        neither place nor key follows the order of submission. The lock on the
        round makes concurrent writers take turns.
        """
        key = None if edit_key else new_edit_key()
        try:
            with transaction.atomic():
                self._lock()
                if not self.is_open:  # it may have closed while waiting for the lock
                    raise RoundClosed
                rows = list(self.responses.values_list("edit_key_hash", "answers"))
                if edit_key:
                    key_hash = token_hash(normalise_key(edit_key))
                    hashes = [stored_hash for stored_hash, _answers in rows]
                    answered = Participation.objects.filter(round=self, user=user).exists()
                    if key_hash not in hashes or not answered:
                        raise AlreadyAnswered
                    rows[hashes.index(key_hash)] = (key_hash, answers)
                else:
                    # The unique constraint on (round, user) refuses a second first answer.
                    Participation.objects.create(round=self, user=user)
                    rows.append((token_hash(key), answers))
                self._rewrite_anonymous_responses(rows)
        except IntegrityError:
            raise AlreadyAnswered from None
        return key

    def named_response_of(self, user) -> "Response | None":
        if self.is_anonymous:
            return None
        return self.responses.filter(user=user).first()

    def shuffle_anonymous_responses(self) -> int:
        """Rewrite a closed anonymous round's responses once more, without the edit keys.

        Every answer already rewrote them all (see `_record_anonymous_answers`);
        this last rewrite drops the edit keys, because nobody may edit any more.
        """
        if not self.is_anonymous or self.shuffled_at or not self.is_closed:
            return 0
        with transaction.atomic():
            self._lock()
            rows = [("", answers) for answers in self.responses.values_list("answers", flat=True)]
            self._rewrite_anonymous_responses(rows)
            self.shuffled_at = timezone.now()
            self.save(update_fields=["shuffled_at"])
        return len(rows)

    def _lock(self) -> None:
        """Lock the round's row until the transaction ends: its answers have one writer at a time."""
        Round.objects.select_for_update().only("pk").get(pk=self.pk)

    def _rewrite_anonymous_responses(self, rows: list[tuple[str, dict]]) -> None:
        """Replace the round's responses by `rows` (edit key hash, answers): new keys, random order."""
        rows = list(rows)
        secrets.SystemRandom().shuffle(rows)
        self.responses.all().delete()
        Response.objects.bulk_create(
            Response(id=uuid.uuid4(), round=self, answers=answers, edit_key_hash=key_hash)
            for key_hash, answers in rows
        )


EDIT_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I look-alikes


def new_edit_key() -> str:
    """A key of 16 characters (80 bits) in groups of four: ABCD-EFGH-JKLM-NPQR."""
    chars = "".join(secrets.choice(EDIT_KEY_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def normalise_key(value: str) -> str:
    chars = "".join(c for c in value.upper() if c.isalnum())
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Schaal 1 tot 5")
    SINGLE = "single", _("Eén keuze")
    MULTIPLE = "multiple", _("Meer keuzes mogelijk")
    OPEN = "open", _("Open vraag")


class Question(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="questions", verbose_name=_("ronde")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=20, choices=QuestionKind)
    text = models.CharField(_("vraag"), max_length=500)
    required = models.BooleanField(_("verplicht"), default=True)
    low_label = models.CharField(
        _("label bij 1"), max_length=60, blank=True, help_text=_("Alleen bij een schaal.")
    )
    high_label = models.CharField(
        _("label bij 5"), max_length=60, blank=True, help_text=_("Alleen bij een schaal.")
    )
    allow_other = models.BooleanField(
        _("'anders, namelijk' toestaan"), default=False, help_text=_("Alleen bij meer keuzes.")
    )

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def other_field_name(self) -> str:
        return f"q{self.pk}_other"

    @property
    def has_options(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    def set_options(self, texts: list[str]) -> None:
        """Make the options these texts, in this order. An option whose text stays keeps
        its row (answers refer to option ids); one no longer listed is deleted."""
        existing: dict[str, list[Option]] = {}
        for option in self.options.all():
            existing.setdefault(option.text, []).append(option)
        kept = []
        for order, text in enumerate(texts, start=1):
            same = existing.get(text)
            option = same.pop(0) if same else Option(question=self, text=text)
            option.order = order
            option.save()
            kept.append(option.pk)
        self.options.exclude(pk__in=kept).delete()


class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("vraag")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    text = models.CharField(_("keuze"), max_length=200)

    class Meta:
        verbose_name = _("keuze")
        verbose_name_plural = _("keuzes")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


# Answers -----------------------------------------------------------------------------


class Response(models.Model):
    """One member's answers to one round.

    `answers` maps question field names to values: `q7` -> 4 (scale), an option
    id (one choice), a list of option ids (more choices), text (open);
    `q7_other` -> the "other" text. In an anonymous round `user`, `submitted_on`
    stay empty; every answer rewrites all the round's responses with new random
    keys in random order (`Round._record_anonymous_answers`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="responses", verbose_name=_("ronde")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lid (alleen bij rondes op naam)"),
    )
    answers = models.JSONField(_("antwoorden"), default=dict)
    submitted_on = models.DateField(_("ingevuld op"), null=True, blank=True)
    edit_key_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=Q(user__isnull=False),
                name="panel_response_one_per_member",
            ),
        ]
        indexes = [models.Index(fields=["round", "edit_key_hash"], name="panel_response_key_idx")]

    def __str__(self) -> str:
        return str(self.round)


class Participation(models.Model):
    """The "has answered" mark, with no link to the answers (and no time)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="participations", verbose_name=_("ronde")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="panel_participations",
        verbose_name=_("lid"),
    )

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="panel_participation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.round}"


class PanelMailKind(models.TextChoices):
    INVITATION = "invitation", _("Uitnodiging voor de ronde")
    REMINDER = "reminder", _("Herinnering")
    RESULTS = "results", _("Resultaten gepubliceerd")


class PanelMail(models.Model):
    """A round mail sent to a member: each kind goes out once per round and member."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="mails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("soort"), max_length=20, choices=PanelMailKind)
    sent_at = models.DateTimeField(_("verstuurd"), default=timezone.now)

    class Meta:
        verbose_name = _("panelmail")
        verbose_name_plural = _("panelmails")
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "kind"], name="panel_mail_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.round}"
