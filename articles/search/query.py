"""search_articles(): the one entry point for the portal page and the REST API."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractYear

from . import backends, highlight, text
from .backends import backend
from .indexing import plain_text
from .suggest import did_you_mean

MAX_QUERY_CHARS = 1000
MAX_PAGE = 500
FACET_SIZE = 10
# Facets of a common term count the first FACET_SCOPE matches, not the corpus.
FACET_SCOPE = 1000


@dataclass
class Hit:
    article: object
    title_html: str
    snippet_html: str


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    hits: list = field(default_factory=list)
    total: int = 0
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    error: str | None = None
    page: int = 1
    page_size: int = 20
    sort: str = "relevance"
    query_words: list = field(default_factory=list)
    facets_partial: bool = False
    facets_scope: int = 0

    @property
    def pages(self):
        return max(1, min(MAX_PAGE, -(-self.total // self.page_size)))

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_previous(self):
        return self.page > 1


def _event_kind_labels():
    from relations.models import Event

    return dict(Event.Kind.choices)


# Facet name (= filter parameter) -> (value field, label field or None).
FACETS = {
    "country": ("countries__code", "countries__name"),
    "person": ("people__slug", "people__full_name"),
    "organization": ("organizations__slug", "organizations__name"),
    "event_kind": ("events__kind", None),
    "topic": ("topics__slug", "topics__name"),
    "source": ("source__slug", "source__name"),
    "language": ("language", None),
    "year": (ExtractYear("published_at"), None),
}


def published_base(filters):
    """Published articles narrowed by `filters` (see search_articles)."""
    from articles.filters import ArticleFilterSet
    from articles.models import Article

    published = Article.objects.published()
    if filters is None:
        return published, None
    if isinstance(filters, QuerySet):
        return published.filter(pk__in=filters.values("pk")), None
    if isinstance(filters, Mapping):
        filterset = ArticleFilterSet(filters, queryset=published)
        if not filterset.is_valid():
            return published.none(), "Some filters are not valid: " + "; ".join(
                f"{name}: {' '.join(errors)}"
                for name, errors in filterset.errors.items()
            )
        return filterset.qs, None
    raise TypeError("filters must be None, a mapping or an Article queryset")


def facet_counts(scope_ids):
    """One grouped query per facet over the matching ids, top FACET_SIZE each.

    `scope_ids` is a list of ids or a bounded `values("pk")` subquery.
    """
    from articles.models import Article

    scope = Article.objects.filter(pk__in=scope_ids)
    kinds = _event_kind_labels()
    facets = {}
    for name, (value_field, label_field) in FACETS.items():
        value = F(value_field) if isinstance(value_field, str) else value_field
        label = F(label_field) if label_field else value
        rows = (
            scope.order_by()
            .values(facet_value=value, facet_label=label)
            .annotate(facet_count=Count("pk", distinct=True))
            .filter(facet_value__isnull=False)
            .order_by("-facet_count", "facet_label")[:FACET_SIZE]
        )
        facets[name] = [
            FacetValue(
                value=str(row["facet_value"]),
                label=str(kinds.get(row["facet_label"], row["facet_label"]))
                if name == "event_kind"
                else str(row["facet_label"]),
                count=row["facet_count"],
            )
            for row in rows
        ]
    return facets


def _summary(article, terms):
    """The lead if it holds a match, else the body if it does, else the lead."""
    body = plain_text(article.body)
    lang = article.language
    if article.lead and highlight.is_match_any(article.lead, terms, lang):
        return article.lead
    if body and highlight.is_match_any(body, terms, lang):
        return body
    return article.lead or body


def _hits(ids, groups, articles):
    by_id = articles.order_by().in_bulk(ids)
    terms = highlight.term_set(groups)
    hits = []
    for pk in ids:
        article = by_id.get(pk)
        if article is None:  # outside the caller's queryset for the page
            continue
        lang = article.language
        summary = _summary(article, terms)
        hits.append(
            Hit(
                article=article,
                title_html=highlight.marked(article.title, terms, lang),
                snippet_html=highlight.snippet(summary, terms, lang),
            )
        )
    return hits


def _clamp(value, low, high, default):
    try:
        return max(low, min(int(value), high))
    except (TypeError, ValueError, OverflowError):
        return default


def by_date(matches, offset, limit):
    """(page ids newest first, total, facet scope, whether the scope is partial).

    The newest FACET_SCOPE ids are read once and serve the page, the total and the
    facets; only a longer list needs a separate count.
    """
    bound = max(FACET_SCOPE, offset + limit)
    newest = matches.order_by("-published_at", "-pk").values_list("pk", flat=True)
    ids = list(newest[:bound])
    partial = len(ids) == bound
    total = matches.count() if partial else len(ids)
    return ids[offset : offset + limit], total, ids[:FACET_SCOPE], partial


def search_articles(
    text_query,
    *,
    filters=None,
    sort="relevance",
    page=1,
    page_size=20,
    facets=True,
    highlight=True,
    articles=None,
):
    """Search published articles; never raises for anything a user can type.

    `filters` is None, a mapping of request parameters (validated by
    ArticleFilterSet; invalid ones give `.error` and no hits), or an Article
    queryset already filtered by the caller (for example `filterset.qs`), which is
    intersected with the published articles. An empty query with filters lists the
    filtered articles newest first. `articles` is the queryset the page's hits are
    read from (default: published, with what a result card shows), so a caller
    needing other relations reads each page once. Cost: a count, one page query,
    the page's articles with their relations, and one grouped query per facet.
    """
    results = SearchResults(page=_clamp(page, 1, MAX_PAGE, 1), sort=sort)
    results.page_size = _clamp(page_size, 1, 100, 20)
    base, error = published_base(filters)
    raw = (text_query or "")[:MAX_QUERY_CHARS]
    groups = text.query_groups(raw)
    results.query_words = [group[0] for group in groups]
    if error or (raw.strip() and not groups):
        results.error = error or "The search has no words to look for."
        return results
    if not groups and filters is None:
        return results
    engine = backend()
    offset = (results.page - 1) * results.page_size
    if groups and sort != "date":
        ids, results.total, scope, partial = engine.search(
            base, groups, offset, results.page_size
        )
    else:
        results.sort = "date"
        ids, results.total, scope, partial = by_date(
            engine.match(base, groups) if groups else base,
            offset,
            results.page_size,
        )
    if results.total == 0:
        results.suggestion = did_you_mean(groups) if groups else None
        return results
    if articles is None:
        from articles.models import Article

        articles = Article.objects.published().with_cards()
    results.hits = _hits(ids, groups if highlight else [], articles)
    if facets:
        results.facets = facet_counts(scope)
        results.facets_partial = partial
        results.facets_scope = (
            len(scope) if isinstance(scope, list) else backends.RANK_CANDIDATES
        )
    return results
