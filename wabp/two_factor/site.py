"""The board's admin site, which also wants the second factor (wabp.apps.PortalAdminConfig)."""

from django.contrib.admin import AdminSite
from django.urls import path


class PortalAdminSite(AdminSite):
    """Django's admin, open only to staff whose session passed the second factor.

    The same check as django-otp's OTPAdminSite, without its login form that asks for
    password and code at once: the admin's login form is the password step, after which
    SecondFactorMiddleware takes the board member to the code step, as everywhere else.
    The middleware already keeps an unverified session out of the admin; this check
    keeps it out should the middleware ever be missing.
    """

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def get_urls(self):
        from wabp.status import status_view

        status = path("status/", self.admin_view(status_view), name="status")
        return [status, *super().get_urls()]
