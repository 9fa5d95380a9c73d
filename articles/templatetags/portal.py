"""Template helpers shared by the portal's pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import cards
from articles.sanitize import sanitize_html

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


@register.filter
def clean_body(html):
    """An article body cleaned again on the way out.

    Bodies are sanitised when saved through the services; rows written any
    other way (a raw import, a shell) must still not reach readers as markup.
    """
    return mark_safe(sanitize_html(html or ""))


@register.simple_tag
def article_card(article, featured=False, heading_level=3):
    """An article's card (articles/cards.py)."""
    return cards.article_card(article, featured=featured, heading_level=heading_level)


@register.simple_tag
def search_hit(hit):
    """A search result's card, its matched words marked (articles/cards.py)."""
    return cards.search_hit(hit)
