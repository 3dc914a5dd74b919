"""The learner's journey: catalogue, course, lessons, quiz, result and certificates."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from elearning.forms import QuizForm, VerifyForm
from elearning.models import (
    Attempt,
    AttemptLimitReached,
    Certificate,
    Course,
    Lesson,
    Progress,
)


def get_course(request: HttpRequest, slug: str, *, learning: bool = False) -> Course:
    """The course at `slug` as this visitor may see it, else 404.

    Learners see published courses, and courses in development as an outline only
    (`learning=True`: lessons and quiz, published only). Drafts are invisible to
    them. The board sees every course, to preview it as a learner would.
    """
    if request.user.is_authenticated and request.user.is_board:
        courses = Course.objects.all()
    elif learning:
        courses = Course.objects.published()
    else:
        courses = Course.objects.visible_in_catalogue()
    return get_object_or_404(courses, slug=slug)


def _lessons(course: Course, *, bodies: bool = False) -> list[Lesson]:
    lessons = course.lessons.all()
    return list(lessons if bodies else lessons.only("id", "course_id", "order", "title"))


def _done_ids(user, course: Course) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        Progress.objects.filter(user=user, lesson__course=course).values_list(
            "lesson_id", flat=True
        )
    )


def catalogue(request: HttpRequest) -> HttpResponse:
    courses = list(
        Course.objects.visible_in_catalogue()
        .with_progress(request.user)
        .prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.only("id", "course_id", "order", "title"))
        )
    )
    return render(
        request,
        "elearning/catalogue.html",
        {
            "published": [c for c in courses if c.is_published],
            "coming": [c for c in courses if c.is_in_development],
        },
    )


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_course(request, slug)
    lessons = _lessons(course)
    done = _done_ids(request.user, course)
    for number, lesson in enumerate(lessons, start=1):
        lesson.number = number
        lesson.is_done = lesson.pk in done
    next_lesson = next((lesson for lesson in lessons if not lesson.is_done), None)
    context = {
        "course": course,
        "lessons": lessons,
        "done_count": len(done & {lesson.pk for lesson in lessons}),
        "next_lesson": next_lesson,
        "question_count": course.questions.count(),
        # In-development courses reach learners too, as an outline; only the board previews.
        "preview": not course.is_published and getattr(request.user, "is_board", False),
    }
    if request.user.is_authenticated:
        context["certificate"] = (
            Certificate.objects.valid().filter(user=request.user, course=course).first()
        )
        context["last_attempt"] = (
            course.attempts.filter(user=request.user, submitted_at__isnull=False)
            .only("id", "course_id", "score", "passed", "submitted_at")
            .first()
        )
    return render(request, "elearning/course.html", context)


@login_required
def lesson_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    course = get_course(request, slug, learning=True)
    lessons = _lessons(course, bodies=True)
    if not 1 <= number <= len(lessons):
        raise Http404
    lesson = lessons[number - 1]
    done = _done_ids(request.user, course)
    return render(
        request,
        "elearning/lesson.html",
        {
            "course": course,
            "lesson": lesson,
            "number": number,
            "total": len(lessons),
            "is_done": lesson.pk in done,
            "done_count": len(done),
            "previous_number": number - 1 if number > 1 else None,
            "next_number": number + 1 if number < len(lessons) else None,
            "preview": not course.is_published,
        },
    )


@login_required
@require_POST
def lesson_done(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    course = get_course(request, slug, learning=True)
    lessons = _lessons(course)
    if not 1 <= number <= len(lessons):
        raise Http404
    lessons[number - 1].mark_done(request.user)
    if number < len(lessons):
        return redirect("elearning:lesson", slug=course.slug, number=number + 1)
    if course.questions.exists():
        return redirect("elearning:quiz", slug=course.slug)
    return redirect(course)


def _limit_message(course: Course) -> str:
    return _(
        "U heeft vandaag al %(count)s keer de toets gemaakt. Dat is het maximum per dag. "
        "Lees de lessen nog eens rustig door en probeer het morgen opnieuw."
    ) % {"count": course.max_attempts_per_day}


@login_required
def quiz(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_course(request, slug, learning=True)
    questions = list(course.questions.prefetch_related("choices"))
    preview = not course.is_published
    attempts_left = course.attempts_left_today(request.user)
    form = QuizForm(request.POST or None, questions=questions)
    if request.method == "POST":
        # The board may look at the quiz of an unpublished course, not take it.
        if preview or not questions:
            raise Http404
        if attempts_left != 0 and form.is_valid():
            try:
                attempt = course.submit_attempt(
                    request.user, form.answers(), started_at=form.started_at()
                )
            except AttemptLimitReached:
                attempts_left = 0
            else:
                return redirect(attempt)
    return render(
        request,
        "elearning/quiz.html",
        {
            "course": course,
            "form": form,
            "preview": preview,
            "attempts_left": attempts_left,
            "limit_message": _limit_message(course) if attempts_left == 0 else "",
        },
        status=429 if request.method == "POST" and attempts_left == 0 else 200,
    )


@never_cache
@login_required
def result(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    attempt = get_object_or_404(
        Attempt.objects.select_related("course"),
        pk=pk,
        user=request.user,
        course__slug=slug,
        submitted_at__isnull=False,
    )
    course = attempt.course
    certificate = Certificate.objects.valid().filter(user=request.user, course=course).first()
    # The right answers and their explanations only once the learner has passed: before
    # that, a retry would be copying them. A wrong answer points to its lesson instead.
    reveal = attempt.passed or certificate is not None
    lessons = _lessons(course)
    numbers = {lesson.pk: number for number, lesson in enumerate(lessons, start=1)}
    feedback = []
    for question in course.questions.prefetch_related("choices"):
        if str(question.pk) not in attempt.answers:
            continue  # added after this attempt
        chosen = set(attempt.answers[str(question.pk)])
        number = numbers.get(question.lesson_id)
        feedback.append(
            {
                "question": question,
                "correct": question.pk in attempt.correct_questions,
                "lesson": lessons[number - 1] if number else None,
                "lesson_number": number,
                "choices": [{"choice": c, "chosen": c.pk in chosen} for c in question.choices.all()]
                if reveal
                else [],
            }
        )
    attempts_left = course.attempts_left_today(request.user)
    return render(
        request,
        "elearning/result.html",
        {
            "course": course,
            "attempt": attempt,
            "feedback": feedback,
            "reveal": reveal,
            "wrong_count": sum(not item["correct"] for item in feedback),
            "certificate": certificate,
            "attempts_left": attempts_left,
            "limit_message": _limit_message(course) if attempts_left == 0 else "",
        },
    )


@never_cache
@login_required
def certificate(request: HttpRequest, slug: str) -> HttpResponse:
    """The learner's own certificate, to print on A4."""
    certificate = get_object_or_404(
        Certificate.objects.valid().select_related("course", "user"),
        user=request.user,
        course__slug=slug,
    )
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    return render(
        request,
        "elearning/certificate.html",
        {"certificate": certificate, "course": certificate.course, "verify_url": verify_url},
    )


def verify_form(request: HttpRequest) -> HttpResponse:
    """Type in the code from a printed certificate; on to its check page."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("elearning:verify", code=form.cleaned_data["code"])
    return render(request, "elearning/verify.html", {"form": form})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public check of a certificate: initials, course and date only.

    The code may be typed in any case, with or without dashes and spaces; the page then
    moves to the code as printed. An unknown code (often a typing error) answers 404 with
    the check page saying so, and a form to try again.
    """
    certificate = Certificate.objects.select_related("course", "user").with_code(code)
    if certificate is None:
        form = VerifyForm(initial={"code": code})
        return render(request, "elearning/verify.html", {"code": code, "form": form}, status=404)
    if certificate.code != code:
        return redirect(certificate)
    return render(request, "elearning/verify.html", {"certificate": certificate})
