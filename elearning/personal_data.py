"""The e-learning app's personal data, for wabp.registry: progress, attempts, certificates.

Certificates are deleted with the account, not anonymised: the public verification page
shows the holder's initials, so a certificate without a holder would vouch for nobody. Its
verification link then answers "not found". Everything here is kept as long as the account.
"""

from typing import Any

from django.http import HttpRequest

from elearning.models import Attempt, Certificate, Progress
from wabp import registry
from wabp.links import absolute


def elearning_data(user) -> dict[str, Any]:
    return {
        "elearning": {
            "lessons_read": [
                {
                    "course": progress.lesson.course.title,
                    "lesson": progress.lesson.title,
                    "done_at": progress.done_at,
                }
                for progress in Progress.objects.filter(user=user)
                .select_related("lesson__course")
                .order_by("done_at")
            ],
            "quiz_attempts": [
                {
                    "course": attempt.course.title,
                    "course_version": attempt.course_version,
                    "questions": attempt.question_count,
                    "correct": attempt.correct_count,
                    "score": attempt.score,
                    "passed": attempt.passed,
                    "started_at": attempt.started_at,
                    "submitted_at": attempt.submitted_at,
                }
                for attempt in Attempt.objects.filter(user=user)
                .select_related("course")
                .order_by("started_at")
            ],
            "certificates": [
                {
                    "course": certificate.course.title,
                    "course_version": certificate.course_version,
                    "code": certificate.code,
                    "verify_url": absolute(certificate.get_absolute_url()),
                    "issued_at": certificate.issued_at,
                    "revoked_at": certificate.revoked_at,
                }
                for certificate in Certificate.objects.filter(user=user)
                .select_related("course")
                .order_by("issued_at")
            ],
        }
    }


def erase_elearning_data(user) -> None:
    Certificate.objects.filter(user=user).delete()
    Attempt.objects.filter(user=user).delete()
    Progress.objects.filter(user=user).delete()


def my_certificates(request: HttpRequest) -> dict | None:
    """For "my account": the user's valid certificates, each with its verification link."""
    certificates = list(
        Certificate.objects.valid()
        .filter(user=request.user)
        .select_related("course")
        .order_by("-issued_at")
    )
    return {"certificates": certificates} if certificates else None


registry.register_export(elearning_data)
registry.register_erasure(erase_elearning_data)
registry.register_account_section("elearning/account/_certificates.html", my_certificates)
