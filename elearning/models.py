"""E-learning: courses with lessons and a final quiz, progress, attempts and certificates.

A learner reads the lessons of a published course, takes its quiz and, on
passing, gets a certificate with an unguessable code that anyone can verify.
While a user holds a valid certificate, `User.trained_at` is set; the groups app
reads that field for the "trained admin" badge without knowing about courses.
"""

import re
import secrets
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Avg, Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wabp.content import Action, Loaded, decide

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]  # no SVG: it can carry scripts


class AttemptLimitReached(Exception):
    """The learner used today's quiz attempts for this course."""


# Read from paper and typed in by hand: no l, I, 1, 0 or O to mix up.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")


def new_certificate_code() -> str:
    """Three groups of four, e.g. `K7QM-3XWP-9RTD`: about 59 random bits, far too many
    to guess or count up to, and short enough to type from a printed certificate."""
    return "-".join(
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )


def normalise_certificate_code(typed: str) -> str | None:
    """A typed code in its stored form (`k7qm 3xwp9rtd` -> `K7QM-3XWP-9RTD`), or None
    when it cannot be one of today's codes."""
    letters = _CODE_SEPARATORS.sub("", typed).upper()
    if len(letters) != CODE_GROUPS * CODE_GROUP_LENGTH or not set(letters) <= set(CODE_ALPHABET):
        return None
    n = CODE_GROUP_LENGTH
    return "-".join(letters[i : i + n] for i in range(0, len(letters), n))


class Localised:
    """English text beside the Dutch: `field_en` is shown under /en/ when it is filled in.

    The course, its lessons, questions and answers are one set of rows in both languages,
    so a learner's progress, attempts and certificate do not depend on the language.
    """

    def localised(self, field: str) -> str:
        if get_language() == "en" and (english := getattr(self, f"{field}_en")):
            return english
        return getattr(self, field)


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    IN_DEVELOPMENT = "in_development", _("in ontwikkeling")
    PUBLISHED = "published", _("gepubliceerd")


class CourseQuerySet(models.QuerySet):
    def published(self):
        """Courses learners can follow."""
        return self.filter(status=CourseStatus.PUBLISHED)

    def visible_in_catalogue(self):
        """Published courses and, as "binnenkort", courses in development."""
        return self.filter(status__in=[CourseStatus.PUBLISHED, CourseStatus.IN_DEVELOPMENT])

    def with_progress(self, user):
        """Annotate `lesson_count`, and for a logged-in user `done_count` and `has_certificate`."""
        qs = self.annotate(lesson_count=Count("lessons", distinct=True))
        if not user.is_authenticated:
            return qs
        done = (
            Progress.objects.filter(user=user, lesson__course=OuterRef("pk"))
            .order_by()
            .values("lesson__course")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return qs.annotate(
            done_count=Coalesce(Subquery(done), 0),
            has_certificate=Exists(
                Certificate.objects.valid().filter(user=user, course=OuterRef("pk"))
            ),
        )

    def create_from_content(self, spec: dict) -> "Course":
        """Create a course with its lessons and quiz from a content spec (see elearning/content)."""
        content = course_content(spec)
        with transaction.atomic():
            course = self.create(
                slug=spec["slug"],
                version=spec.get("version", 1),
                **{field: content[field] for field in Course.CONTENT_FIELDS},
            )
            lessons = [
                course.lessons.create(order=order, **lesson)
                for order, lesson in enumerate(content["lessons"], start=1)
            ]
            for order, question in enumerate(content["questions"], start=1):
                choices = question.pop("choices")
                question["lesson"] = _lesson_numbered(lessons, question["lesson"])
                q = course.questions.create(order=order, **question)
                for choice_order, (text, is_correct, english) in enumerate(choices, start=1):
                    q.choices.create(
                        order=choice_order, text=text, is_correct=is_correct, text_en=english
                    )
        return course

    def load_from_content(self, spec: dict, *, update: bool = False, dry_run: bool = False):
        """Create a course from its content folder, or update it with `update` when the
        folder's version is higher. Returns what happened, as a `wabp.content.Loaded`."""
        course = self.filter(slug=spec["slug"]).first()
        database_version = course.version if course else None
        action = decide(
            database_version,
            spec["version"],
            course is not None and course.content() == course_content(spec),
        )
        if action is Action.OUTDATED and update:
            action = Action.UPDATED
        if not dry_run and action is Action.CREATED:
            self.create_from_content(spec)
        elif not dry_run and action is Action.UPDATED:
            course.update_from_content(spec)
        return Loaded(spec["slug"], action, database_version, spec["version"])


def course_content(spec: dict) -> dict:
    """A course spec with every default filled in, comparable with `Course.content()`."""
    return {
        "title": spec["title"],
        "summary": spec["summary"],
        "audience": spec.get("audience", ""),
        "status": spec["status"],
        "order": spec.get("order", 0),
        "estimated_minutes": spec.get("estimated_minutes", 30),
        "pass_mark": spec.get("pass_mark", 80),
        "max_attempts_per_day": spec.get("max_attempts_per_day"),
        **{field: spec.get(field, "") for field in Course.ENGLISH_FIELDS},
        "lessons": [
            {
                "title": lesson["title"],
                "body": lesson.get("body", ""),
                "image_static": lesson.get("image_static", ""),
                "image_alt": lesson.get("image_alt", ""),
                **{field: lesson.get(field, "") for field in Lesson.ENGLISH_FIELDS},
            }
            for lesson in spec.get("lessons", [])
        ],
        "questions": [
            {
                "text": question["text"],
                "explanation": question["explanation"],
                "multiple": question.get("multiple", False),
                "lesson": question.get("lesson"),
                **{field: question.get(field, "") for field in Question.ENGLISH_FIELDS},
                "choices": [
                    [text, is_correct, english]
                    for (text, is_correct), english in zip(
                        question["choices"],
                        question.get("choices_en") or [""] * len(question["choices"]),
                        strict=True,
                    )
                ],
            }
            for question in spec.get("questions", [])
        ],
    }


def _lesson_numbered(lessons: list, number: int | None):
    """The lesson a question refers to by its number in the course (1 is the first)."""
    return lessons[number - 1] if number else None


def _matched(objects, key: str) -> dict[str, list]:
    """Existing lessons, questions or choices by their text, to keep the ones a new text keeps."""
    by_key: dict[str, list] = {}
    for obj in objects:
        by_key.setdefault(getattr(obj, key), []).append(obj)
    return by_key


class Course(Localised, models.Model):
    ENGLISH_FIELDS = ["title_en", "summary_en", "audience_en"]
    CONTENT_FIELDS = [
        "title", "summary", "audience", "status", "order", "estimated_minutes", "pass_mark",
        "max_attempts_per_day", *ENGLISH_FIELDS,
    ]  # fmt: skip

    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("adres"), max_length=100, unique=True)
    summary = models.TextField(_("samenvatting"), max_length=1000)
    audience = models.CharField(
        _("voor wie"), max_length=300, blank=True, help_text=_("Bijvoorbeeld: beheerders.")
    )
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    summary_en = models.TextField(_("samenvatting (Engels)"), max_length=1000, blank=True)
    audience_en = models.CharField(_("voor wie (Engels)"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CourseStatus, default=CourseStatus.DRAFT
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    estimated_minutes = models.PositiveSmallIntegerField(_("duur in minuten"), default=30)
    version = models.PositiveSmallIntegerField(
        _("versie"),
        default=1,
        help_text=_("Verhoog dit na een grote wijziging. Het certificaat vermeldt de versie."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("geslaagd vanaf (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts_per_day = models.PositiveSmallIntegerField(
        _("pogingen per dag"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leeg: onbeperkt."),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("cursus")
        verbose_name_plural = _("cursussen")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("elearning:course", kwargs={"slug": self.slug})

    @property
    def display_title(self) -> str:
        return self.localised("title")

    @property
    def display_summary(self) -> str:
        return self.localised("summary")

    @property
    def display_audience(self) -> str:
        return self.localised("audience")

    @property
    def is_published(self) -> bool:
        return self.status == CourseStatus.PUBLISHED

    @property
    def is_in_development(self) -> bool:
        return self.status == CourseStatus.IN_DEVELOPMENT

    def publish(self) -> None:
        self.status = CourseStatus.PUBLISHED
        self.save(update_fields=["status", "updated_at"])

    def unpublish(self) -> None:
        """Back to draft: invisible to learners; progress and certificates stay."""
        self.status = CourseStatus.DRAFT
        self.save(update_fields=["status", "updated_at"])

    def content(self) -> dict:
        """The course as written in its content folder (see `course_content`), without version."""
        lessons = list(self.lessons.all())
        numbers = {lesson.pk: number for number, lesson in enumerate(lessons, start=1)}
        return {field: getattr(self, field) for field in self.CONTENT_FIELDS} | {
            "lessons": [
                {
                    field: getattr(lesson, field)
                    for field in (
                        "title",
                        "body",
                        "image_static",
                        "image_alt",
                        *Lesson.ENGLISH_FIELDS,
                    )
                }
                for lesson in lessons
            ],
            "questions": [
                {
                    "text": question.text,
                    "explanation": question.explanation,
                    "multiple": question.multiple,
                    "lesson": numbers.get(question.lesson_id),
                    **{field: getattr(question, field) for field in Question.ENGLISH_FIELDS},
                    "choices": [[c.text, c.is_correct, c.text_en] for c in question.choices.all()],
                }
                for question in self.questions.prefetch_related("choices")
            ],
        }

    def update_from_content(self, spec: dict) -> None:
        """Replace the course's text, lessons and quiz with a newer version from its folder.

        Learners' attempts and certificates stay. A lesson, question or answer whose title or
        text the new version keeps is updated in place, so reading progress and earlier
        answers still point to it; only what the new version drops is deleted.
        """
        content = course_content(spec)
        with transaction.atomic():
            for field in self.CONTENT_FIELDS:
                setattr(self, field, content[field])
            self.version = spec["version"]
            self.save()
            lessons = _matched(self.lessons.all(), "title")
            saved = []
            for order, fields in enumerate(content["lessons"], start=1):
                same = lessons.get(fields["title"])
                lesson = same.pop(0) if same else Lesson(course=self)
                for field, value in (fields | {"order": order}).items():
                    setattr(lesson, field, value)
                lesson.save()
                saved.append(lesson)
            self.lessons.exclude(pk__in=[lesson.pk for lesson in saved]).delete()
            questions = _matched(self.questions.prefetch_related("choices"), "text")
            kept = []
            for order, fields in enumerate(content["questions"], start=1):
                choices = fields.pop("choices")
                fields["lesson"] = _lesson_numbered(saved, fields["lesson"])
                same = questions.get(fields["text"])
                question = same.pop(0) if same else Question(course=self)
                for field, value in (fields | {"order": order}).items():
                    setattr(question, field, value)
                question.save()
                kept.append(question.pk)
                question.update_choices(choices)
            self.questions.exclude(pk__in=kept).delete()

    def passes(self, correct: int, total: int) -> bool:
        """Exact comparison, so 8 of 10 passes at 80% without rounding surprises."""
        return total > 0 and correct * 100 >= self.pass_mark * total

    def attempts_today(self, user) -> int:
        today = timezone.localdate()
        return self.attempts.filter(
            user=user, submitted_at__date=today, submitted_at__isnull=False
        ).count()

    def attempts_left_today(self, user) -> int | None:
        """None when unlimited."""
        if self.max_attempts_per_day is None:
            return None
        return max(0, self.max_attempts_per_day - self.attempts_today(user))

    def submit_attempt(self, user, answers: dict, started_at: datetime | None = None) -> "Attempt":
        """Record and grade one go at the quiz, within the daily limit."""
        with transaction.atomic():
            # Lock the learner's row so two quick submissions can't both pass the limit check.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            if self.attempts_left_today(user) == 0:
                raise AttemptLimitReached
            attempt = Attempt(
                user=user, course=self, answers=answers, started_at=started_at or timezone.now()
            )
            attempt.grade()
        return attempt

    def figures(self) -> dict:
        """The board's figures: learners who started, completed, passed; pass rate; average score."""
        lesson_count = self.lessons.count()
        readers = (
            Progress.objects.filter(lesson__course=self)
            .values("user")
            .annotate(n=Count("lesson"))
            .order_by()
        )
        reader_ids, completed = set(), 0
        for row in readers:
            reader_ids.add(row["user"])
            completed += bool(lesson_count) and row["n"] >= lesson_count
        attempts = self.attempts.filter(submitted_at__isnull=False)
        takers = set(attempts.values_list("user", flat=True).distinct())
        passed = set(attempts.filter(passed=True).values_list("user", flat=True).distinct())
        average = attempts.aggregate(average=Avg("score"))["average"]
        return {
            "started": len(reader_ids | takers),
            "completed": completed,
            "took_quiz": len(takers),
            "attempts": attempts.count(),
            "passed": len(passed),
            "pass_rate": round(100 * len(passed) / len(takers)) if takers else None,
            "average_score": round(average) if average is not None else None,
        }

    def question_figures(self) -> list[dict]:
        """Per question: how often answered and the share answered right, hardest first."""
        answered, right = Counter(), Counter()
        attempts = self.attempts.filter(submitted_at__isnull=False).values_list(
            "answers", "correct_questions"
        )
        for answers, correct in attempts.iterator():
            answered.update(answers.keys())
            right.update(str(pk) for pk in correct)
        rows = []
        for number, question in enumerate(self.questions.all(), start=1):
            n = answered[str(question.pk)]
            share = round(100 * right[str(question.pk)] / n) if n else None
            rows.append(
                {
                    "number": number,
                    "question": question,
                    "answered": n,
                    "correct": right[str(question.pk)],
                    "share_correct": share,
                }
            )
        # Unanswered questions last: they tell nothing yet.
        return sorted(rows, key=lambda r: (r["share_correct"] is None, r["share_correct"] or 0))


class Lesson(Localised, models.Model):
    ENGLISH_FIELDS = ["title_en", "body_en", "image_alt_en"]

    course = models.ForeignKey(
        Course, verbose_name=_("cursus"), on_delete=models.CASCADE, related_name="lessons"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(
        _("tekst (Markdown)"),
        blank=True,
        help_text=_("Korte zinnen, gewone woorden. Kopjes met ##, opsommingen met -."),
    )
    image = models.FileField(
        _("afbeelding (upload)"),
        upload_to="elearning/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
        help_text=_("JPG, PNG, GIF of WebP."),
    )
    image_static = models.CharField(
        _("afbeelding (vast bestand)"),
        max_length=200,
        blank=True,
        help_text=_("Pad in de statische bestanden, bijvoorbeeld elearning/saar.png."),
    )
    image_alt = models.CharField(
        _("beschrijving van de afbeelding"),
        max_length=300,
        blank=True,
        help_text=_("Voor wie de afbeelding niet kan zien. Verplicht bij een afbeelding."),
    )
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    body_en = models.TextField(_("tekst (Engels, Markdown)"), blank=True)
    image_alt_en = models.CharField(
        _("beschrijving van de afbeelding (Engels)"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("les")
        verbose_name_plural = _("lessen")
        ordering = ["course", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (self.image or self.image_static) and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Beschrijf wat er op de afbeelding staat.")})
        if self.image and self.image_static:
            raise ValidationError(
                {"image_static": _("Kies een upload of een vast bestand, niet allebei.")}
            )

    @property
    def display_title(self) -> str:
        return self.localised("title")

    @property
    def display_body(self) -> str:
        return self.localised("body")

    @property
    def display_image_alt(self) -> str:
        return self.localised("image_alt")

    @property
    def image_url(self) -> str:
        if self.image:
            return self.image.url
        if self.image_static:
            try:
                return static(self.image_static)
            except ValueError:  # not in the static manifest: show no image rather than fail
                return ""
        return ""

    def mark_done(self, user) -> "Progress":
        progress, _created = Progress.objects.get_or_create(user=user, lesson=self)
        return progress


class Question(Localised, models.Model):
    ENGLISH_FIELDS = ["text_en", "explanation_en"]

    course = models.ForeignKey(
        Course, verbose_name=_("cursus"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    text = models.TextField(_("vraag"), max_length=1000)
    explanation = models.TextField(
        _("uitleg"), max_length=2000, help_text=_("Na het inleveren te zien bij deze vraag.")
    )
    multiple = models.BooleanField(
        _("meer antwoorden goed"),
        default=False,
        help_text=_("De leerling kiest dan met vinkjes. Alle goede antwoorden moeten gekozen."),
    )
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("les met de uitleg"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text=_("Wie de vraag fout heeft, krijgt een link naar deze les."),
    )
    text_en = models.TextField(_("vraag (Engels)"), max_length=1000, blank=True)
    explanation_en = models.TextField(_("uitleg (Engels)"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["course", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.lesson_id and self.lesson.course_id != self.course_id:
            raise ValidationError({"lesson": _("Kies een les van deze cursus.")})

    @property
    def display_text(self) -> str:
        return self.localised("text")

    @property
    def display_explanation(self) -> str:
        return self.localised("explanation")

    def update_choices(self, choices: list) -> None:
        """Make the answers these [text, is_correct, English text] triples, keeping those
        whose text stays."""
        existing = _matched(self.choices.all(), "text")
        kept = []
        for order, (text, is_correct, english) in enumerate(choices, start=1):
            same = existing.get(text)
            choice = same.pop(0) if same else Choice(question=self, text=text)
            choice.order, choice.is_correct, choice.text_en = order, is_correct, english
            choice.save()
            kept.append(choice.pk)
        self.choices.exclude(pk__in=kept).delete()

    def correct_choice_ids(self) -> set[int]:
        return {c.pk for c in self.choices.all() if c.is_correct}


class Choice(Localised, models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("vraag"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    text = models.CharField(_("antwoord"), max_length=500)
    is_correct = models.BooleanField(_("goed"), default=False)
    text_en = models.CharField(_("antwoord (Engels)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def display_text(self) -> str:
        return self.localised("text")


class Progress(models.Model):
    """A lesson a user has marked as read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    done_at = models.DateTimeField(_("gelezen op"), default=timezone.now)

    class Meta:
        verbose_name = _("voortgang")
        verbose_name_plural = _("voortgang")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="progress_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.lesson}"


class Attempt(models.Model):
    """One go at a course's quiz. `answers` maps question id -> chosen choice ids."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("cursus"), on_delete=models.CASCADE, related_name="attempts"
    )
    course_version = models.PositiveSmallIntegerField(_("cursusversie"), default=1)
    answers = models.JSONField(_("antwoorden"), default=dict)
    # Ids of the questions answered fully right, for feedback and the board's figures.
    correct_questions = models.JSONField(default=list)
    question_count = models.PositiveSmallIntegerField(_("vragen"), default=0)
    correct_count = models.PositiveSmallIntegerField(_("goed"), default=0)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("geslaagd"), null=True)
    started_at = models.DateTimeField(_("begonnen"), default=timezone.now)
    submitted_at = models.DateTimeField(_("ingeleverd"), null=True, blank=True)

    class Meta:
        verbose_name = _("toetspoging")
        verbose_name_plural = _("toetspogingen")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["course", "user", "submitted_at"], name="attempt_course_user_idx")
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.score}%"

    def get_absolute_url(self) -> str:
        return reverse("elearning:result", kwargs={"slug": self.course.slug, "pk": self.pk})

    def grade(self, at: datetime | None = None) -> "Certificate | None":
        """Score the answers, all-or-nothing per question; on passing, certify the learner.

        Returns the learner's valid certificate for the course when they passed.
        """
        questions = list(self.course.questions.prefetch_related("choices"))
        correct = []
        for question in questions:
            chosen = {int(c) for c in self.answers.get(str(question.pk), [])}
            if chosen and chosen == question.correct_choice_ids():
                correct.append(question.pk)
        self.question_count = len(questions)
        self.correct_count = len(correct)
        self.correct_questions = correct
        self.score = (100 * len(correct)) // len(questions) if questions else 0
        self.passed = self.course.passes(len(correct), len(questions))
        self.course_version = self.course.version
        self.submitted_at = at or timezone.now()
        with transaction.atomic():
            self.save()
            if self.passed:
                return Certificate.issue(self)
        return None


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        """Certificates that have not been revoked."""
        return self.filter(revoked_at__isnull=True)

    def with_code(self, typed: str) -> "Certificate | None":
        """The certificate with this code as typed: in any case, with or without dashes and
        spaces. Codes from before the short format (22 case-sensitive characters) match
        exactly, so certificates printed then keep verifying."""
        typed = typed.strip()
        if "\x00" in typed:  # PostgreSQL cannot compare it, and no code holds one
            return None
        codes = {typed, normalise_certificate_code(typed)} - {None, ""}
        return self.filter(code__in=codes).first()


class Certificate(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    # PROTECT: deleting a course must not silently drop certificates (and badges).
    course = models.ForeignKey(
        Course, verbose_name=_("cursus"), on_delete=models.PROTECT, related_name="certificates"
    )
    course_version = models.PositiveSmallIntegerField(_("cursusversie"))
    attempt = models.ForeignKey(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    code = models.CharField(
        _("controlecode"), max_length=32, unique=True, default=new_certificate_code, editable=False
    )
    issued_at = models.DateTimeField(_("uitgereikt op"), default=timezone.now)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificaat")
        verbose_name_plural = _("certificaten")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.user.initials}"

    def get_absolute_url(self) -> str:
        return reverse("elearning:verify", kwargs={"code": self.code})

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, attempt: Attempt) -> "Certificate":
        """The learner's valid certificate for the course; a new one if they hold none."""
        # Lock the learner's row: two passes at once must not make two certificates.
        get_user_model().objects.select_for_update().filter(pk=attempt.user_id).first()
        existing = cls.objects.valid().filter(user=attempt.user, course=attempt.course).first()
        if existing:
            return existing
        certificate = cls.objects.create(
            user=attempt.user,
            course=attempt.course,
            course_version=attempt.course_version,
            attempt=attempt,
            issued_at=attempt.submitted_at or timezone.now(),
        )
        sync_trained_at(attempt.user)
        return certificate

    def revoke(self) -> None:
        if self.revoked_at is not None:
            return
        with transaction.atomic():
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
            sync_trained_at(self.user)


def sync_trained_at(user) -> None:
    """Set `trained_at` to the first valid certificate's date, or clear it when none is left."""
    first = Certificate.objects.valid().filter(user=user).aggregate(first=Min("issued_at"))["first"]
    get_user_model().objects.filter(pk=user.pk).update(trained_at=first)
    user.trained_at = first
