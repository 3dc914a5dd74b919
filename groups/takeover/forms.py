"""The claim form: a password (new, or the account's own) and the admin's word on the details."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wabp.forms import ActivationForm, NewPasswordForm
from wabp.models import User


class _ClaimFields(forms.Form):
    details_correct = forms.BooleanField(
        label=_("De gegevens van de groep kloppen. Wat niet klopt, pas ik daarna aan."),
        error_messages={"required": _("Bevestig dat de gegevens kloppen, of pas ze eerst aan.")},
    )
    consent_privacy = forms.BooleanField(
        label=_("Ik ga akkoord met de privacyverklaring"),
        error_messages={"required": _("Zonder uw akkoord kunnen we uw account niet activeren.")},
    )
    consent_house_rules = forms.BooleanField(
        label=_("Ik ga akkoord met de huisregels"),
        error_messages={"required": _("Zonder uw akkoord kunnen we uw account niet activeren.")},
    )


class ClaimWithNewPasswordForm(NewPasswordForm, _ClaimFields):
    """For an account without a password of its own: the mailed link proves the address."""

    field_order = ["password1", "password2", "details_correct"]

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def password_user(self, cleaned: dict) -> User:
        return self.user

    @property
    def new_password(self) -> str | None:
        return self.cleaned_data["password1"]


class ClaimWithPasswordForm(ActivationForm, _ClaimFields):
    """For an account that already has a password: it proves the person, the link the mailbox."""

    field_order = ["password", "details_correct"]
    new_password = None

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["password"].label = _("Uw wachtwoord")
        self.fields["password"].help_text = _("Het wachtwoord waarmee u op dit portaal inlogt.")
