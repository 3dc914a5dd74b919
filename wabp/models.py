"""Portal-wide models: the user, the board's content pages and the mail outbox."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: group admins, learners, panel members, municipality staff, the board.

    Roles: the board is `is_staff`; municipality staff have a `municipality`;
    a group admin is whoever the groups app lists as admin of a group.
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
        self.email = self.email.strip().lower()
        if self.is_active and self.activated_at is None:
            self.activated_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "activated_at"}
        super().save(*args, **kwargs)

    @property
    def never_activated(self) -> bool:
        """Signed up but never confirmed the address (not: deactivated by the board)."""
        return self.activated_at is None

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


class PageQuerySet(models.QuerySet):
    def published(self):
        """Pages visible on the site."""
        return self.filter(is_published=True)


class Page(models.Model):
    """A content page the board edits in the admin (Markdown, sanitised on display)."""

    slug = models.SlugField(_("adres"), unique=True, help_text=_("Vast; bepaalt de URL."))
    title = models.CharField(_("titel"), max_length=200)
    intro = models.CharField(_("inleiding"), max_length=300, blank=True)
    body = models.TextField(_("tekst (Markdown)"))
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    intro_en = models.CharField(_("inleiding (Engels)"), max_length=300, blank=True)
    body_en = models.TextField(_("tekst (Engels, Markdown)"), blank=True)
    is_published = models.BooleanField(_("gepubliceerd"), default=True)
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
    headers = models.JSONField(default=dict, blank=True)
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


class Consent(models.Model):
    """A record that someone agreed to a document, with its version and when."""

    class Document(models.TextChoices):
        PRIVACY = "privacy", _("privacyverklaring")
        HOUSE_RULES = "house_rules", _("huisregels")

    user = models.ForeignKey(
        "wabp.User", on_delete=models.CASCADE, related_name="consents", verbose_name=_("gebruiker")
    )
    document = models.CharField(_("document"), max_length=20, choices=Document.choices)
    version = models.CharField(_("versie"), max_length=20)
    given_at = models.DateTimeField(_("gegeven op"), default=timezone.now)

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
