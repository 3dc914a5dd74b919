"""A round's results: counts, percentages, Likert means, bar data and the CSV export.

Computed in Python from the round's responses (a few hundred at most), in a
fixed number of queries.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from panels.models import Membership, Participation, Question, QuestionKind, Round
from wabp.text import csv_cell

# Bar chart geometry (SVG user units).
CHART_WIDTH = 640
LABEL_WIDTH = 240
BAR_AREA = 320
BAR_HEIGHT = 22
ROW_HEIGHT = 32


@dataclass
class Bar:
    label: str
    count: int
    percent: float

    @property
    def width(self) -> float:
        return round(BAR_AREA * self.percent / 100, 1)


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)  # open answers and "other" texts

    @property
    def chart_height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 8

    @property
    def chart_rows(self) -> list[dict]:
        """Bars with their y positions, for the SVG template."""
        return [
            {
                "bar": bar,
                "y": 4 + i * ROW_HEIGHT,
                "text_y": 4 + i * ROW_HEIGHT + BAR_HEIGHT - 6,
                "value_x": LABEL_WIDTH + bar.width + 8,
            }
            for i, bar in enumerate(self.bars)
        ]

    chart_width = CHART_WIDTH
    label_width = LABEL_WIDTH
    bar_height = BAR_HEIGHT


@dataclass
class PanelRate:
    panel_name: str
    active: int
    answered: int

    @property
    def percent(self) -> float:
        return percent(self.answered, self.active)


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _is_given(value) -> bool:
    return value not in (None, "", [])


def question_results(consultation: Round) -> list[QuestionResult]:
    """Per question: how many answered, bars (count, % of those who answered), mean, texts."""
    questions = list(consultation.questions.prefetch_related("options"))
    answer_sets = list(consultation.responses.values_list("answers", flat=True))
    results = []
    for question in questions:
        result = QuestionResult(question=question)
        values = [answers.get(question.field_name) for answers in answer_sets]
        others = [(answers.get(question.other_field_name) or "").strip() for answers in answer_sets]
        if question.kind == QuestionKind.LIKERT:
            given = [int(v) for v in values if _is_given(v)]
            result.answered = len(given)
            labels = {1: question.low_label, 5: question.high_label}
            for score in range(1, 6):
                label = f"{score} – {labels[score]}" if labels.get(score) else str(score)
                count = given.count(score)
                result.bars.append(Bar(label, count, percent(count, len(given))))
            result.mean = round(sum(given) / len(given), 2) if given else None
        elif question.kind == QuestionKind.SINGLE:
            given = [int(v) for v in values if _is_given(v)]
            result.answered = len(given)
            for option in question.options.all():
                count = given.count(option.pk)
                result.bars.append(Bar(option.text, count, percent(count, len(given))))
        elif question.kind == QuestionKind.MULTIPLE:
            chosen = [
                ([int(v) for v in value] if _is_given(value) else [], other)
                for value, other in zip(values, others, strict=True)
            ]
            answered = [(ids, other) for ids, other in chosen if ids or other]
            result.answered = len(answered)
            for option in question.options.all():
                count = sum(option.pk in ids for ids, _other in answered)
                result.bars.append(Bar(option.text, count, percent(count, len(answered))))
            if question.allow_other:
                texts = [other for _ids, other in answered if other]
                result.bars.append(Bar(_("Anders"), len(texts), percent(len(texts), len(answered))))
                result.texts = sorted(texts)
        else:
            texts = [str(v).strip() for v in values if _is_given(v) and str(v).strip()]
            result.answered = len(texts)
            # Sorted, not in submission order: the order must not hint at who wrote what.
            result.texts = sorted(texts)
        results.append(result)
    return results


def response_rates(consultation: Round) -> list[PanelRate]:
    """Per target panel: active members and how many of them answered."""
    answered = Exists(Participation.objects.filter(round=consultation, user=OuterRef("user")))
    rows = (
        Membership.objects.active()
        .filter(panel__in=consultation.panels.all())
        .values("panel__name")
        .annotate(active=Count("pk"), answered=Count("pk", filter=Q(answered)))
        .order_by("panel__name")
    )
    return [PanelRate(row["panel__name"], row["active"], row["answered"]) for row in rows]


def export_csv(consultation: Round) -> str:
    """One row per response. Named rounds start with name and e-mail; anonymous rounds have no identity."""
    questions = list(consultation.questions.prefetch_related("options"))
    header = [] if consultation.is_anonymous else [_("Naam"), _("E-mailadres"), _("Ingevuld op")]
    for question in questions:
        header.append(question.text)
        if question.kind == QuestionKind.MULTIPLE and question.allow_other:
            header.append(_("%(question)s (anders)") % {"question": question.text})
    responses = consultation.responses.all()
    if consultation.is_anonymous:
        # Random UUIDs: this order says nothing about when or by whom.
        responses = responses.order_by("id")
    else:
        responses = responses.select_related("user").order_by("user__first_name", "user__email")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for response in responses:
        row = []
        if not consultation.is_anonymous:
            user = response.user
            row += [
                user.get_full_name() if user else "",
                user.email if user else "",
                response.submitted_on.isoformat() if response.submitted_on else "",
            ]
        for question in questions:
            value = response.answers.get(question.field_name)
            options = {option.pk: option.text for option in question.options.all()}
            if question.kind == QuestionKind.SINGLE:
                value = options.get(int(value), "") if _is_given(value) else ""
            elif question.kind == QuestionKind.MULTIPLE:
                value = "; ".join(options.get(int(v), "") for v in value or [])
            row.append(value if _is_given(value) else "")
            if question.kind == QuestionKind.MULTIPLE and question.allow_other:
                row.append(response.answers.get(question.other_field_name, ""))
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()
