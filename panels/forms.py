from django import forms
from django.utils.translation import gettext_lazy as _

from panels.models import QuestionKind, Round, normalise_key
from wabp.forms import NewPasswordForm
from wabp.models import User

OPEN_ANSWER_MAX = 3000


class AnswerForm(forms.Form):
    """The questions of one round as fields named `q<id>` (and `q<id>_other`)."""

    def __init__(self, *args, round: Round, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.questions = list(questions)
        for question in self.questions:
            name = question.field_name
            common = {"label": question.text, "required": question.required}
            if question.kind == QuestionKind.LIKERT:
                labels = {1: question.low_label, 5: question.high_label}
                choices = [
                    (str(n), f"{n} – {labels[n]}" if labels.get(n) else str(n)) for n in range(1, 6)
                ]
                self.fields[name] = forms.TypedChoiceField(
                    choices=choices, coerce=int, widget=forms.RadioSelect, **common
                )
            elif question.kind == QuestionKind.SINGLE:
                self.fields[name] = forms.TypedChoiceField(
                    choices=[(str(o.pk), o.text) for o in question.options.all()],
                    coerce=int,
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.kind == QuestionKind.MULTIPLE:
                # Required-ness is checked in clean(): an "other" text also counts.
                self.fields[name] = forms.TypedMultipleChoiceField(
                    choices=[(str(o.pk), o.text) for o in question.options.all()],
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    label=question.text,
                    required=False,
                )
                if question.allow_other:
                    self.fields[question.other_field_name] = forms.CharField(
                        label=_("Anders, namelijk"), required=False, max_length=300
                    )
            else:
                self.fields[name] = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 5}), max_length=OPEN_ANSWER_MAX, **common
                )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if question.kind == QuestionKind.MULTIPLE and question.required:
                chosen = cleaned.get(question.field_name)
                other = cleaned.get(question.other_field_name)
                if not chosen and not other and question.field_name not in self.errors:
                    self.add_error(question.field_name, _("Kies minstens één antwoord."))
        return cleaned

    def answers(self) -> dict:
        """The cleaned answers as stored on a Response (empty answers left out)."""
        return {
            name: value for name, value in self.cleaned_data.items() if value not in (None, "", [])
        }

    def grouped(self) -> list[dict]:
        """Per question: the bound field and its optional "other" field, for the template."""
        return [
            {
                "question": question,
                "field": self[question.field_name],
                "other": self[question.other_field_name]
                if question.other_field_name in self.fields
                else None,
                "uses_fieldset": question.kind != QuestionKind.OPEN,
            }
            for question in self.questions
        ]


def initial_from_answers(answers: dict) -> dict:
    """Stored answers back to form initial values (choice fields hold strings)."""
    initial = {}
    for name, value in answers.items():
        if isinstance(value, list):
            initial[name] = [str(v) for v in value]
        elif isinstance(value, int):
            initial[name] = str(value)
        else:
            initial[name] = value
    return initial


class EditKeyForm(forms.Form):
    edit_key = forms.CharField(
        label=_("Uw wijzigcode"),
        max_length=30,
        help_text=_(
            "De code die u kreeg toen u de vragen invulde, bijvoorbeeld ABCD-EFGH-JKLM-NPQR."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_edit_key(self) -> str:
        return normalise_key(self.cleaned_data["edit_key"])


class NewMemberForm(NewPasswordForm):
    """Accepting an invitation without an account: first name and a password."""

    field_order = ["first_name", "password1", "password2"]

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("Ik heb de privacyverklaring gelezen en ga ermee akkoord."),
        error_messages={"required": _("Zonder uw akkoord kunnen we geen account aanmaken.")},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def password_user(self, cleaned: dict) -> User:
        return User(email=self.email, first_name=cleaned.get("first_name") or "")


class ExistingMemberForm(forms.Form):
    """Accepting an invitation with an existing account: the password of that account."""

    password = forms.CharField(
        label=_("Uw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
