"""Template helpers shared by the portal's pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The characters that could end a <script> element or open a comment are written
# as JSON unicode escapes, so no string in the data can break out of it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A <script type="application/ld+json"> element holding `data`, escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    escaped = text.translate(_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(escaped)
    )
