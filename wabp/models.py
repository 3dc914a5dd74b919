"""Portal-wide models: the user, the board's content pages and the mail outbox."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wabp.contact import normalise_email
from wabp.content import Action, Loaded, decide


def current_language() -> str:
    """The language of the page being served (the URL decides: /en/ is English), or Dutch
    outside a request: the default of every `language` field."""
    language = get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def language_field() -> models.CharField:
    """The language a person chose when they acted (signed up, asked, subscribed): the mail
    about it is written in it, and its links lead to pages in it."""
    return models.CharField(
        _("taal"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=current_language,
        editable=False,
    )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_account(
        self,
        *,
        email: str,
        password: str,
        first_name: str,
        last_name: str = "",
        phone: str = "",
        agreed_to: list[str],
        is_active: bool = False,
    ) -> "User":
        """A new person's own account, with their consent to `agreed_to` (Consent.Document
        values) at CONSENT_VERSION, all or nothing.

        Signing up, registering a group and accepting a panel invitation all create
        accounts here; an account that still has to confirm its address starts inactive.

        An account with this address that was never activated is taken over: its password
        and names become the new ones (which also invalidates the links mailed for it
        before, their hash covers the password). Whoever typed the address first does not
        get to keep a password in somebody else's mailbox.
        """
        with transaction.atomic(using=self._db):
            user = (
                self.select_for_update()
                .filter(email__iexact=normalise_email(email), activated_at__isnull=True)
                .first()
            )
            if user is None:
                user = self.create_user(
                    email=email,
                    password=password,
                    first_name=first_name,
                    last_name=last_name,
                    phone=phone,
                    is_active=is_active,
                )
            else:
                user.set_password(password)
                user.first_name, user.last_name, user.phone = first_name, last_name, phone
                user.is_active = is_active
                user.save()
            Consent.objects.db_manager(self._db).record(user, agreed_to)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: group admins, learners, panel members, municipality staff, the board.

    Roles: the board is `is_staff`; municipality staff have a `municipality`; police
    officers are `is_police` (their area is in groups.PoliceRequest); a group admin is
    whoever the groups app lists as admin of a group.
    """

    # Stored lower-cased (see save), so uniqueness is case-insensitive.
    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    phone = models.CharField(_("mobiel nummer"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        "postcodes.Municipality",
        verbose_name=_("gemeente (medewerker van)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Alleen voor medewerkers van een gemeente."),
    )
    share_email_with_municipality = models.BooleanField(
        _("e-mailadres delen met mijn gemeente"), default=False
    )
    # Set by the e-learning app while the user holds a valid certificate; the
    # groups app reads it for the "trained admin" badge without knowing courses.
    trained_at = models.DateTimeField(_("getraind sinds"), null=True, blank=True)
    # Set while the board's approval of a police access request stands (groups.PoliceRequest):
    # a police officer, who sees the groups of their area in /politie/.
    is_police = models.BooleanField(_("politie"), default=False, editable=False)
    is_staff = models.BooleanField(
        _("bestuur"),
        default=False,
        help_text=_("Bestuursleden kunnen inloggen in het beheer van het portaal."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    # Set the first time the account is active (see save): an inactive account with it was
    # deactivated (by the board), one without it never confirmed its address. Only the latter
    # may be activated by a mailed link.
    activated_at = models.DateTimeField(_("geactiveerd"), null=True, blank=True)
    # A new address the user asked for; it replaces `email` only once the link mailed to it
    # is followed (see request_email_change and confirm_email_change).
    pending_email = models.EmailField(_("nieuw e-mailadres (onbevestigd)"), blank=True)
    pending_email_requested_at = models.DateTimeField(
        _("nieuw e-mailadres aangevraagd"), null=True, blank=True
    )
    # The language of the pages the user signed up or last logged in on (see wabp.apps).
    language = language_field()

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        if self.is_active and self.activated_at is None:
            self.activated_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "activated_at"}
        super().save(*args, **kwargs)

    @property
    def never_activated(self) -> bool:
        """Signed up but never confirmed the address (not: deactivated by the board)."""
        return self.activated_at is None

    @property
    def verified_email(self) -> str:
        """The address by which data made without logging in (join requests, waiting-list
        entries, invitations) belongs to this account; "" while it is not verified.

        An account's address counts as verified once the account was activated: through a
        mailed link (activation, group registration, password reset, panel invitation) or
        by the board. From then on the address changes only through a link mailed to the
        new address (confirm_email_change), or by the board.
        """
        return "" if self.never_activated else self.email

    def request_email_change(self, email: str) -> None:
        """Ask to move the account to `email`; nothing changes until the link mailed to it
        is followed. A newer request replaces an older one (and its link)."""
        self.pending_email = normalise_email(email)
        self.pending_email_requested_at = timezone.now()
        self.save(update_fields=["pending_email", "pending_email_requested_at"])

    def email_change_is_open(self, max_age: timedelta) -> bool:
        """Whether a change of address was asked for less than `max_age` ago."""
        requested = self.pending_email_requested_at
        return (
            bool(self.pending_email)
            and requested is not None
            and (timezone.now() - requested <= max_age)
        )

    def confirm_email_change(self) -> bool:
        """Make the pending address the account's own. False (and nothing changes) when
        another account holds it by now."""
        email = self.pending_email
        if User.objects.filter(email__iexact=email).exclude(pk=self.pk).exists():
            return False
        self.email = email
        self.pending_email, self.pending_email_requested_at = "", None
        try:
            with transaction.atomic():
                self.save(update_fields=["email", "pending_email", "pending_email_requested_at"])
        except IntegrityError:  # taken by another account at this very moment
            self.refresh_from_db()
            return False
        return True

    def note_language(self, language: str) -> None:
        """The user logged in on pages in `language`: their mail is written in it from now on."""
        if language != self.language:
            self.language = language
            self.save(update_fields=["language"])

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def initials(self) -> str:
        parts = [self.first_name, *self.last_name.split()]
        return "".join(f"{p[0].upper()}." for p in parts if p and p[0].isalpha())

    @property
    def is_board(self) -> bool:
        return self.is_active and self.is_staff

    @property
    def is_municipality_staff(self) -> bool:
        return self.is_active and self.municipality_id is not None

    @property
    def is_police_officer(self) -> bool:
        return self.is_active and self.is_police

    @property
    def needs_second_factor(self) -> bool:
        """The board, municipality staff and the police see what others do not: they log in
        with a code."""
        return (
            self.is_staff or self.is_superuser or self.municipality_id is not None or self.is_police
        )


class PageQuerySet(models.QuerySet):
    def published(self):
        """Pages visible on the site."""
        return self.filter(is_published=True)

    def load_from_content(self, spec: dict, *, update: bool = False, dry_run: bool = False):
        """Create a page from its content files (see wabp/content), or update it with `update`
        when the files' version is higher. Returns what happened, as a `wabp.content.Loaded`."""
        fields = {field: spec[field] for field in Page.CONTENT_FIELDS}
        page = self.filter(slug=spec["slug"]).first()
        database_version = page.version if page else None
        action = decide(
            database_version,
            spec["version"],
            page is not None and all(getattr(page, k) == v for k, v in fields.items()),
        )
        if action is Action.OUTDATED and update:
            action = Action.UPDATED
        if not dry_run and action is Action.CREATED:
            self.create(slug=spec["slug"], version=spec["version"], **fields)
        elif not dry_run and action is Action.UPDATED:
            for field, value in fields.items():
                setattr(page, field, value)
            page.version = spec["version"]
            page.save()
        if not dry_run and action in (Action.CREATED, Action.UPDATED) and spec.get("updated"):
            # The day the text was written, not the day it was loaded (auto_now on save).
            self.filter(slug=spec["slug"]).update(
                updated_at=timezone.make_aware(datetime.combine(spec["updated"], time(12)))
            )
        return Loaded(spec["slug"], action, database_version, spec["version"])


class Page(models.Model):
    """A content page (Markdown, sanitised on display), loaded from wabp/content by
    `manage.py load_pages`; the board may edit it in the admin."""

    CONTENT_FIELDS = ["title", "intro", "body", "title_en", "intro_en", "body_en"]

    slug = models.SlugField(_("adres"), unique=True, help_text=_("Vast; bepaalt de URL."))
    title = models.CharField(_("titel"), max_length=200)
    intro = models.CharField(_("inleiding"), max_length=300, blank=True)
    body = models.TextField(_("tekst (Markdown)"))
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    intro_en = models.CharField(_("inleiding (Engels)"), max_length=300, blank=True)
    body_en = models.TextField(_("tekst (Engels, Markdown)"), blank=True)
    is_published = models.BooleanField(_("gepubliceerd"), default=True)
    version = models.PositiveSmallIntegerField(
        _("versie"),
        default=1,
        help_text=_("De versie van de tekst in de bestanden die het laatst is ingeladen."),
    )
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("pagina")
        verbose_name_plural = _("pagina's")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("page", kwargs={"slug": self.slug})

    def _localised(self, field: str) -> str:
        if get_language() == "en" and getattr(self, f"{field}_en"):
            return getattr(self, f"{field}_en")
        return getattr(self, field)

    @property
    def display_title(self) -> str:
        return self._localised("title")

    @property
    def display_intro(self) -> str:
        return self._localised("intro")

    @property
    def display_body(self) -> str:
        return self._localised("body")


class OutboundEmailQuerySet(models.QuerySet):
    def pending(self):
        """Mail not yet delivered."""
        return self.filter(sent_at__isnull=True)


class OutboundEmail(models.Model):
    """One e-mail to one recipient: the outbox row a delivery task works from.

    The row is written in the same transaction as the change that causes the
    mail, so a rolled-back change sends nothing and a committed one is never
    lost; delivery is retried with backoff while the mail server is down, and
    `sent_at` makes sure it is sent once.
    """

    to = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("kopregels"), default=dict, blank=True)
    kind = models.CharField(_("soort"), max_length=50, db_index=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbound_pending_idx",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.subject


# The version of the privacy statement people agree to now ("versie 2026-1" on the
# privacy page). The house rules are agreed to together with it and share the number.
# Recorded as Consent.version and JoinRequest.consent_version.
CONSENT_VERSION = "2026-1"


class ConsentManager(models.Manager):
    def record(self, user: "User", documents) -> list["Consent"]:
        """`user` agrees, now, to these documents (Consent.Document values) at CONSENT_VERSION."""
        return self.bulk_create(
            [
                self.model(user=user, document=document, version=CONSENT_VERSION)
                for document in documents
            ]
        )


class Consent(models.Model):
    """A record that someone agreed to a document, with its version (CONSENT_VERSION) and when."""

    class Document(models.TextChoices):
        PRIVACY = "privacy", _("privacyverklaring")
        HOUSE_RULES = "house_rules", _("huisregels")

    user = models.ForeignKey(
        "wabp.User", on_delete=models.CASCADE, related_name="consents", verbose_name=_("gebruiker")
    )
    document = models.CharField(_("document"), max_length=20, choices=Document.choices)
    version = models.CharField(_("versie"), max_length=20)
    given_at = models.DateTimeField(_("gegeven op"), default=timezone.now)

    objects = ConsentManager()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.version}"


class RateLimitWindow(models.Model):
    """Hits per key per fixed time window; see wabp.ratelimit. Keys are HMACs, never raw IPs."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.window_start:%H:%M} {self.hits}"


class ScheduledRunQuerySet(models.QuerySet):
    def with_outcome(self):
        """Annotated with the status, end and return value of the task each run enqueued."""
        from django_tasks_db.models import DBTaskResult

        result = DBTaskResult.objects.filter(id=models.OuterRef("task_result_id"))
        return self.annotate(
            task_status=models.Subquery(result.values("status")[:1]),
            task_finished_at=models.Subquery(result.values("finished_at")[:1]),
            task_return_value=models.Subquery(result.values("return_value")[:1]),
        )

    def latest_per_job(self):
        """The latest run of each job."""
        return self.order_by("job", "-slot").distinct("job")


class ScheduledRun(models.Model):
    """One slot of a periodic job, enqueued once (wabp.schedule): the unique (job, slot) pair
    lets only one scheduler enqueue it."""

    job = models.CharField(_("taak"), max_length=50)
    slot = models.DateTimeField(_("gepland om"))
    enqueued_at = models.DateTimeField(_("in de wachtrij gezet"))
    # The django-tasks-db row (DBTaskResult) with the run's status and return value.
    task_result_id = models.UUIDField(_("taak-id"), null=True, blank=True)

    objects = ScheduledRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("geplande taak")
        verbose_name_plural = _("geplande taken")
        ordering = ["-slot", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} {timezone.localtime(self.slot):%Y-%m-%d %H:%M}"

    @property
    def result_summary(self) -> str:
        """The task's return value (from `with_outcome()`) as one short line."""
        value = getattr(self, "task_return_value", None)
        if value is None:
            return "—"
        if isinstance(value, dict):
            return ", ".join(f"{key} {count}" for key, count in value.items())
        if isinstance(value, list):
            return "; ".join(str(item) for item in value)
        return str(value)
