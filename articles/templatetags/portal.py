"""Template helpers shared by the portal's pages."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import cards
from articles.sanitize import sanitize_html
from config.links import link

register = template.Library()

FILTER_FIELDS_TEMPLATE = "includes/filter_fields.html"
# Filter set class, whether its form is bound -> its fields, rendered blank.
_blank_filter_fields = {}

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


@register.simple_tag
def filter_fields(filterset):
    """The fields of a filter set's form, each with its label and errors.

    With none of them filled in, the form reads the same on every search page
    (no field takes its choices from the database), so it is rendered once per
    process and class: its dozen widgets, each rendered through a template,
    took about 2 ms per page. Not while debugging, so edited templates show.
    """
    form = filterset.form
    if settings.DEBUG or not _is_blank(form):
        return render_to_string(FILTER_FIELDS_TEMPLATE, {"form": form})
    key = (type(filterset), form.is_bound)
    if key not in _blank_filter_fields:
        _blank_filter_fields[key] = render_to_string(
            FILTER_FIELDS_TEMPLATE, {"form": form}
        )
    return _blank_filter_fields[key]


def _is_blank(form):
    """Whether no field of `form` was given a value (not even spaces)."""
    return not form.is_bound or all(
        field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        in (None, "")
        for name, field in form.fields.items()
    )


@register.simple_tag
def search_facets(groups, results):
    """The search page's facet lists (articles/cards.py)."""
    return cards.search_facets(
        groups,
        link("articles:search"),
        partial=results.facets_partial,
        scope=results.facets_scope,
    )
