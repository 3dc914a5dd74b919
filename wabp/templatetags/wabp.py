from django import template

from postcodes.parsing import format_postcode
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
