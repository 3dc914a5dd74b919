from django import template
from django.conf import settings
from django.utils import translation

from postcodes.parsing import format_postcode
from wabp.links import absolute, home_in, page_in_languages
from wabp.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter(name="postcode")
def postcode_filter(code: str) -> str:
    """`1234AB` -> `1234 AB`."""
    return format_postcode(code or "")


@register.simple_tag(takes_context=True)
def language_links(context) -> dict:
    """The page in the other language, for the header's switch and base.html's hreflang links.

    `switch`: the same page in the other language (its home page where the page has no
    other-language address); `alternates`: (code, absolute URL) pairs, empty then.
    """
    request = context.get("request")
    current = translation.get_language()
    other = next(code for code, _name in settings.LANGUAGES if code != current)
    urls = page_in_languages(request) if request is not None else {}
    return {
        "other": other,
        "switch": urls.get(other) or home_in(other),
        "alternates": [(code, absolute(url)) for code, url in urls.items()],
        "default": absolute(urls[settings.LANGUAGE_CODE]) if urls else "",
    }
