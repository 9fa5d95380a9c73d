"""Links to other sites only when they are plain web addresses."""

from urllib.parse import urlsplit

from django import template

register = template.Library()

WEB_SCHEMES = {"http", "https"}


@register.filter
def web_url(value):
    """`value` if it is an http(s) URL, else "" (so `javascript:` never becomes a link).

    URL fields are validated by forms, but imports and older rows can hold anything.
    """
    url = str(value or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in WEB_SCHEMES else ""
