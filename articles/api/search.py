"""The API's one door to full-text search.

`articles.search.search_articles` ranks, highlights and counts facets on either
engine. Where that module is not installed, a plain substring match over published
articles stands in, so `q=` still answers (unranked, without highlights).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.html import escape

from ..models import Article

try:
    from ..search import search_articles
except ImportError:  # pragma: no cover - depends on which modules are installed
    search_articles = None


@dataclass
class Hit:
    article: Article
    title_html: str
    snippet_html: str


@dataclass
class Results:
    hits: list
    total: int
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    error: str | None = None


def run_search(text, *, filterset, sort, page, page_size):
    """Ranked search through the search module, or the substring fallback.

    `filterset` is a valid ArticleFilterSet over published articles; both take
    its filtered queryset.
    """
    if search_articles is not None:
        return search_articles(
            text,
            filters=filterset.qs,
            sort=sort,
            page=page,
            page_size=page_size,
            facets=True,
            highlight=True,
        )
    return substring_search(text, filtered=filterset.qs, page=page, page_size=page_size)


def substring_search(text, *, filtered, page, page_size):
    """Published articles whose title, lead or body contain `text`, newest first."""
    words = Q(title__icontains=text) | Q(lead__icontains=text)
    matches = filtered.filter(words | Q(body__icontains=text)).distinct()
    matches = Article.objects.published().filter(pk__in=matches.values("pk"))
    start = (page - 1) * page_size
    hits = [
        Hit(article=a, title_html=escape(a.title), snippet_html=escape(a.lead[:200]))
        for a in matches.order_by("-published_at", "-id")[start : start + page_size]
    ]
    languages = matches.order_by().values("language").annotate(n=Count("id"))
    facets = {
        "language": [
            {"value": row["language"], "label": row["language"], "count": row["n"]}
            for row in languages.order_by("-n", "language")
        ]
    }
    return Results(hits=hits, total=matches.count(), facets=facets)


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
