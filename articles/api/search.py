"""The API's one door to full-text search.

`articles.search.search_articles` ranks, highlights and counts facets on either
engine; the API passes it the filtered queryset of the request.
"""

from ..search import search_articles


def run_search(text, *, filterset, sort, page, page_size, articles):
    """Ranked search over `filterset` (a valid ArticleFilterSet); the page's hits
    are read from `articles`."""
    cleaned = filterset.form.cleaned_data
    narrowed = any(value not in (None, "") for value in cleaned.values())
    return search_articles(
        text,
        # No filter at all lets the engine count from its index alone.
        filters=filterset.qs if narrowed else None,
        sort=sort,
        page=page,
        page_size=page_size,
        facets=True,
        highlight=True,
        articles=articles,
    )


def facets_as_json(facets):
    """Facet counts as {name: [{value, label, count}]}, whatever objects the
    engine used for the values."""
    return {
        name: [
            {
                "value": str(_field(item, "value")),
                "label": str(_field(item, "label")),
                "count": int(_field(item, "count")),
            }
            for item in values
        ]
        for name, values in (facets or {}).items()
    }


def _field(item, key):
    return item[key] if isinstance(item, dict) else getattr(item, key)
