"""System checks of the portal's own settings."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_logins_off(app_configs, **kwargs):
    """Demo logins share one published password: never on a public site."""
    if settings.DEMO_LOGINS:
        return [
            Warning(
                "DEMO_LOGINS is on: manage.py demo_logins makes accounts with a known password.",
                hint="Leave DEMO_LOGINS unset (or 0) in production.",
                id="wabp.W001",
            )
        ]
    return []
