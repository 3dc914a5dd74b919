"""Request middleware of the portal itself."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Dutch first: English only for visitors who chose it with the language switch.

    Django's LocaleMiddleware would also follow the browser's Accept-Language, so a
    Dutch resident with an English browser would get English pages; here only the
    language cookie set by the switch counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
