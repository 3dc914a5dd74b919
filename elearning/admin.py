"""Board authoring: courses with their lessons and quiz, certificates, and per-course figures."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from elearning.models import Attempt, Certificate, Choice, Course, CourseStatus, Lesson, Question
from wabp.text import csv_cell


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = [
        "order",
        ("title", "title_en"),
        "body",
        "body_en",
        ("image", "image_static"),
        ("image_alt", "image_alt_en"),
    ]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "multiple"]
    show_change_link = True  # the answers are edited on the question's own page
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "order", "version", "lessons", "questions", "preview"]
    list_filter = ["status"]
    list_editable = ["order"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview", "created_at", "updated_at"]
    fields = [
        "title",
        "slug",
        "status",
        "preview",
        "summary",
        "audience",
        "title_en",
        "summary_en",
        "audience_en",
        ("order", "estimated_minutes", "version"),
        ("pass_mark", "max_attempts_per_day"),
        ("created_at", "updated_at"),
    ]
    inlines = [LessonInline, QuestionInline]
    actions = ["publish", "mark_in_development", "unpublish"]
    change_list_template = "elearning/admin/course_change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                lesson_total=Count("lessons", distinct=True),
                question_total=Count("questions", distinct=True),
            )
        )

    @admin.display(description=_("lessen"), ordering="lesson_total")
    def lessons(self, course: Course) -> int:
        return course.lesson_total

    @admin.display(description=_("vragen"), ordering="question_total")
    def questions(self, course: Course) -> int:
        return course.question_total

    @admin.display(description=_("bekijken als leerling"))
    def preview(self, course: Course) -> str:
        if not course.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', course.get_absolute_url(), _("Bekijk zoals een leerling")
        )

    def _set_status(self, request, queryset, method: str, done: str) -> None:
        for course in queryset:
            getattr(course, method)()
        self.message_user(request, done % {"count": len(queryset)}, messages.SUCCESS)

    @admin.action(description=_("Publiceren"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, "publish", _("%(count)s cursus(sen) gepubliceerd."))

    @admin.action(description=_("Tonen als 'binnenkort'"), permissions=["change"])
    def mark_in_development(self, request, queryset):
        updated = queryset.update(status=CourseStatus.IN_DEVELOPMENT, updated_at=timezone.now())
        self.message_user(
            request, _("%(count)s cursus(sen) op 'binnenkort' gezet.") % {"count": updated}
        )

    @admin.action(
        description=_("Publicatie intrekken (terug naar concept)"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._set_status(
            request, queryset, "unpublish", _("%(count)s cursus(sen) teruggezet naar concept.")
        )

    def get_urls(self):
        figures = self.admin_site.admin_view(self.figures_view)
        figures_csv = self.admin_site.admin_view(self.figures_csv_view)
        return [
            path("cijfers/", figures, name="elearning_course_figures"),
            path("cijfers.csv", figures_csv, name="elearning_course_figures_csv"),
            *super().get_urls(),
        ]

    def _figures(self) -> list[dict]:
        return [
            {
                "course": course,
                **course.figures(),
                "questions": course.question_figures(),
            }
            for course in Course.objects.all()
        ]

    def figures_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Cijfers per cursus"),
            "rows": self._figures(),
            "csv_url": reverse("admin:elearning_course_figures_csv"),
        }
        return TemplateResponse(request, "elearning/admin/figures.html", context)

    def figures_csv_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="e-learning-cijfers-{stamp}.csv"'
        response.write("\ufeff")  # lets spreadsheet programs read the file as UTF-8
        writer = csv.writer(response, delimiter=";")
        rows = self._figures()
        writer.writerow(
            [
                _("cursus"),
                _("status"),
                _("begonnen"),
                _("alle lessen gelezen"),
                _("toets gemaakt"),
                _("pogingen"),
                _("geslaagd"),
                _("slagingspercentage"),
                _("gemiddelde score"),
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    csv_cell(row["course"].title),
                    row["course"].get_status_display(),
                    row["started"],
                    row["completed"],
                    row["took_quiz"],
                    row["attempts"],
                    row["passed"],
                    _blank(row["pass_rate"]),
                    _blank(row["average_score"]),
                ]
            )
        writer.writerow([])
        writer.writerow(
            [_("cursus"), _("vraag nr."), _("vraag"), _("beantwoord"), _("goed"), _("% goed")]
        )
        for row in rows:
            for q in row["questions"]:
                writer.writerow(
                    [
                        csv_cell(row["course"].title),
                        q["number"],
                        csv_cell(q["question"].text),
                        q["answered"],
                        q["correct"],
                        _blank(q["share_correct"]),
                    ]
                )
        return response


def _blank(value) -> str:
    return "" if value is None else str(value)


class ChoiceFormSet(forms.BaseInlineFormSet):
    """At least one right answer; exactly one when the question has one right answer."""

    def clean(self):
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        correct = sum(1 for data in kept if data.get("is_correct"))
        if len(kept) < 2:
            raise ValidationError(_("Geef minstens twee antwoorden."))
        if correct == 0:
            raise ValidationError(_("Vink minstens één goed antwoord aan."))
        if correct > 1 and not self.instance.multiple:
            raise ValidationError(
                _("Er zijn meer antwoorden goed. Zet dan 'meer antwoorden goed' aan.")
            )


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 0
    min_num = 2
    fields = ["order", "text", "text_en", "is_correct"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course", "order", "multiple"]
    list_filter = ["course"]
    list_select_related = ["course"]
    search_fields = ["text"]
    fields = [
        "course",
        "order",
        "text",
        "multiple",
        "explanation",
        "lesson",
        "text_en",
        "explanation_en",
    ]
    inlines = [ChoiceInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "lesson" in form.base_fields:  # this course's lessons only
            form.base_fields["lesson"].queryset = obj.course.lessons.all()
        return form


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["course", "user", "course_version", "issued_at", "revoked_at", "verify_link"]
    list_filter = ["course", "revoked_at"]
    list_select_related = ["course", "user"]
    search_fields = ["code", "user__email", "user__last_name"]
    readonly_fields = [
        "user",
        "course",
        "course_version",
        "code",
        "issued_at",
        "revoked_at",
        "verify_link",
    ]
    fields = readonly_fields
    actions = ["revoke"]

    @admin.display(description=_("controlepagina"))
    def verify_link(self, certificate: Certificate) -> str:
        return format_html('<a href="{}">{}</a>', certificate.get_absolute_url(), _("bekijken"))

    @admin.action(description=_("Certificaat intrekken"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for certificate in queryset.select_related("user").filter(revoked_at__isnull=True):
            certificate.revoke()
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)s certificaat ingetrokken.", "%(count)s certificaten ingetrokken.", count
            )
            % {"count": count},
        )

    def has_add_permission(self, request) -> bool:
        return False  # certificates come from passing the quiz

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead, so the badge and the verification page stay right


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["course", "user", "score", "passed", "submitted_at"]
    list_filter = ["course", "passed"]
    list_select_related = ["course", "user"]
    search_fields = ["user__email"]
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
