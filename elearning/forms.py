"""The quiz form: one field per question, radio buttons or check boxes; the code check."""

import re
from datetime import UTC, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elearning.models import Question
from wabp.signed import QUIZ_STARTED


class QuizForm(forms.Form):
    """Answers to every question of a course; `answers()` gives question id -> choice ids."""

    # Errors are shown per question and in the summary; no browser pop-ups in between.
    use_required_attribute = False

    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        if not self.is_bound:
            self.initial["started"] = QUIZ_STARTED.make(timezone.now().timestamp())
        for number, question in enumerate(questions, start=1):
            choices = [(str(c.pk), c.display_text) for c in question.choices.all()]
            label = _("Vraag %(number)s van %(total)s") % {
                "number": number,
                "total": len(questions),
            }
            if question.multiple:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Kies alle goede antwoorden. Er zijn er meer dan één."),
                    error_messages={"required": _("Kies bij deze vraag minstens één antwoord.")},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    help_text=_("Kies één antwoord."),
                    error_messages={"required": _("Kies bij deze vraag een antwoord.")},
                )
            field.question = question
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question: Question) -> str:
        return f"vraag_{question.pk}"

    def question_fields(self):
        return [self[self.field_name(q)] for q in self.questions]

    def answers(self) -> dict[str, list[int]]:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.field_name(question)) or []
            if isinstance(value, str):
                value = [value]
            answers[str(question.pk)] = sorted(int(v) for v in value)
        return answers

    def started_at(self):
        """When the quiz page was opened (signed by us), or now when that is missing."""
        stamp = QUIZ_STARTED.read(self.cleaned_data.get("started") or "", max_age=timedelta(days=1))
        if stamp is None:
            return timezone.now()
        return datetime.fromtimestamp(stamp, tz=UTC)


class VerifyForm(forms.Form):
    """The code of a certificate as someone types it from paper."""

    code = forms.CharField(
        label=_("Controlecode"),
        max_length=64,
        help_text=_(
            "Bijvoorbeeld K7QM-3XWP-9RTD. Hoofdletters, streepjes en spaties maken niet uit."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        # Only what a code can hold, so the check page's address can always be made.
        code = re.sub(r"[^A-Za-z0-9_\- ]", "", self.cleaned_data["code"]).strip()
        if not code:
            raise forms.ValidationError(_("Vul de code in zoals hij op het certificaat staat."))
        return code
