"""Until the second factor is entered, a login that needs one reaches only the code step."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from wabp.two_factor.devices import has_second_factor

# Session key: set at login for users who switched the second factor on themselves
# (the board and municipality staff always need it; see User.needs_second_factor).
SECOND_FACTOR_DUE = "wabp_second_factor_due"

# What a login still waiting for its second factor may open (URL names).
OPEN_VIEWS = frozenset(
    {
        "two_factor_verify",
        "two_factor_recovery",
        "two_factor_setup",
        "logout",
        "healthz",
        "ping",
    }
)


def second_factor_due(request: HttpRequest) -> bool:
    """Whether the logged-in user must still enter a code (or set up an app) in this session."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not (user.needs_second_factor or request.session.get(SECOND_FACTOR_DUE)):
        return False
    return not user.is_verified()


def second_factor_url(user, next_url: str) -> str:
    """The code step, or the set-up step for a user without an app; back to `next_url` after."""
    step = "two_factor_verify" if has_second_factor(user) else "two_factor_setup"
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


def note_second_factor_due(sender, request, user, **kwargs) -> None:
    """On login (a user_logged_in receiver): does this user's login take a code?"""
    if request is not None and hasattr(request, "session"):
        request.session[SECOND_FACTOR_DUE] = has_second_factor(user)


class SecondFactorMiddleware:
    """Send a login that still needs its second factor to the code or set-up step.

    Everything but OPEN_VIEWS redirects there, public pages included: the login is not
    complete until the code, just as if the password had not been entered yet. Comes
    after django-otp's OTPMiddleware, which gives request.user its is_verified().
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in OPEN_VIEWS or not second_factor_due(request):
            return None
        return HttpResponseRedirect(second_factor_url(request.user, request.get_full_path()))
