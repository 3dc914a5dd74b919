"""Account forms: login, password reset, sign-up and "my account"."""

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from wabp.contact import PhoneField, normalise_email
from wabp.mail import send_password_reset
from wabp.models import User
from wabp.ratelimit import is_limited

# Mails to one address about its account, per hour: stops a form being used to flood an inbox.
MAILS_PER_ADDRESS_PER_HOUR = 3


class LoginForm(AuthenticationForm):
    """Log in with e-mail address and password; the address is case-insensitive."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Deze combinatie van e-mailadres en wachtwoord kennen we niet. "
            "Let op: het wachtwoord is hoofdlettergevoelig."
        ),
        "inactive": _(
            "Dit account is nog niet geactiveerd. Klik op de link in de e-mail die we u stuurden."
        ),
    }

    def clean_username(self) -> str:
        # Lower-cased before authenticate(), so django-axes counts "A@x.nl" and
        # "a@x.nl" as the same user name.
        return normalise_email(self.cleaned_data["username"])

    @sensitive_variables()
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # django-axes reads the user name from the credential named
            # AXES_USERNAME_FORM_FIELD, which defaults to USERNAME_FIELD ("email");
            # passing both names keeps the lockout keyed on the address either way.
            self.user_cache = authenticate(
                self.request, username=username, email=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose mail goes through the outbox and the task worker.

    The page answers the same whether or not the address has an account, and
    sending happens in the worker, so neither the answer nor its timing tells a
    visitor which addresses are registered.
    """

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        """Who may reset: active accounts, also without a usable password (e.g. seeded
        admins), and accounts never activated -- the reset link proves the mailbox, and
        whoever signed up first with somebody else's address must not keep a password
        there. Not accounts the board deactivated (inactive, but activated before)."""
        users = User.objects.filter(email__iexact=normalise_email(email)).filter(
            models.Q(is_active=True) | models.Q(activated_at__isnull=True)
        )
        return iter(users)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        if is_limited(
            "mail:account", normalise_email(to_email), limit=MAILS_PER_ADDRESS_PER_HOUR, window=3600
        ):
            return
        send_password_reset(
            context["user"], to=to_email, uidb64=context["uid"], token=context["token"]
        )


class ActivationForm(forms.Form):
    """The password chosen at sign-up, to activate the account from the mailed link.

    The link proves the mailbox; the password proves the person clicking also chose it.
    Without it, someone who signed up with another person's address would get a working
    account once that person clicked the link out of curiosity.
    """

    password = forms.CharField(
        label=_("Uw wachtwoord"),
        strip=False,
        help_text=_("Het wachtwoord dat u koos toen u het account aanmaakte."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @sensitive_variables("password")
    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _(
                    "Dit wachtwoord klopt niet. Heeft u dit account niet zelf aangemaakt, of "
                    "bent u het wachtwoord vergeten? Kies dan een nieuw wachtwoord via "
                    "'Wachtwoord vergeten'."
                ),
                code="wrong_password",
            )
        return password


class NewPasswordForm(forms.Form):
    """A new password, typed twice and checked by the password validators.

    Subclasses say who the password is for (`password_user`), so "too similar to
    your name" works before the account exists.
    """

    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        help_text=_("Minimaal 8 tekens; niet alleen cijfers en niet te makkelijk te raden."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Herhaal het wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self, cleaned: dict) -> User:
        return User(email=cleaned.get("email") or "", first_name=cleaned.get("first_name") or "")

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, cleaned, self.password_user(cleaned))
        return cleaned


def check_new_password(form: forms.Form, cleaned: dict, user: User) -> None:
    """Add form errors when password1 and password2 differ or the validators refuse it."""
    password1, password2 = cleaned.get("password1"), cleaned.get("password2")
    if password1 and password2 and password1 != password2:
        form.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
    elif password1:
        try:
            password_validation.validate_password(password1, user)
        except forms.ValidationError as error:
            form.add_error("password1", error)


class SignupForm(NewPasswordForm):
    """A new account: anyone may create one, e.g. to follow the e-learning."""

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        required=False,
        help_text=_("Niet verplicht."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("We sturen een link naar dit adres om uw account te activeren."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("Ik heb de privacyverklaring gelezen en ga ermee akkoord."),
        error_messages={"required": _("Zonder uw akkoord kunnen we geen account aanmaken.")},
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def password_user(self, cleaned: dict) -> User:
        return User(
            email=cleaned.get("email") or "",
            first_name=cleaned.get("first_name") or "",
            last_name=cleaned.get("last_name") or "",
        )


class AccountForm(forms.ModelForm):
    """Name, e-mail address and phone number of the logged-in user."""

    current_password = forms.CharField(
        label=_("Huidig wachtwoord"),
        strip=False,
        required=False,
        help_text=_("Alleen nodig als u uw e-mailadres wijzigt."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone"]
        field_classes = {"phone": PhoneField}
        labels = {
            "first_name": _("Voornaam"),
            "last_name": _("Achternaam"),
            "email": _("E-mailadres"),
            "phone": _("Mobiel nummer"),
        }
        help_texts = {
            "last_name": _("Niet verplicht."),
            "phone": _("Niet verplicht. We tonen uw nummer nooit openbaar."),
        }
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_email = self.instance.email
        # The new address asked for; the account keeps its address until the link mailed
        # to the new one is followed (User.request_email_change).
        self.requested_email: str | None = None

    @property
    def email_changed(self) -> bool:
        return self.requested_email is not None

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if (
            email != self.original_email
            and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(_("Dit e-mailadres kunt u niet gebruiken."))
        return email

    def clean(self):
        cleaned = super().clean()
        requested = cleaned.get("email", self.original_email)
        if requested == self.original_email:
            return cleaned
        # Changing the login address needs the password: a forgotten open laptop
        # must not be enough to take over the account.
        if not self.instance.check_password(cleaned.get("current_password") or ""):
            self.add_error(
                "current_password",
                _("Vul uw huidige wachtwoord in om uw e-mailadres te wijzigen."),
            )
        else:
            self.requested_email = requested
        # Saving the form never changes the address itself.
        cleaned["email"] = self.original_email
        return cleaned
