"""search_articles(): the one entry point for the portal page and the REST API."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet

from . import highlight, text
from .backends import backend, newest_and_total
from .facets import FacetValue, facet_counts  # noqa: F401 (re-exported)
from .indexing import plain_text
from .suggest import did_you_mean

MAX_QUERY_CHARS = 1000
MAX_PAGE = 500
# Facets of a common term count the first FACET_SCOPE matches, not the corpus.
FACET_SCOPE = 1000


@dataclass
class Hit:
    article: object
    title_html: str
    snippet_html: str


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


def published_base(filters):
    """(published articles narrowed by `filters`, an error or None, whether
    anything narrows them) (see search_articles)."""
    from articles.filters import ArticleFilterSet
    from articles.models import Article

    published = Article.objects.published()
    if isinstance(filters, Mapping):
        filters = {key: value for key, value in filters.items() if value != ""}
    if filters is None or filters == {}:
        return published, None, False
    if isinstance(filters, QuerySet):
        return published.filter(pk__in=filters.values("pk")), None, True
    if isinstance(filters, Mapping):
        filterset = ArticleFilterSet(filters, queryset=published)
        if not filterset.is_valid():
            return (
                published.none(),
                "Some filters are not valid: "
                + "; ".join(
                    f"{name}: {' '.join(errors)}"
                    for name, errors in filterset.errors.items()
                ),
                True,
            )
        return filterset.qs, None, True
    raise TypeError("filters must be None, a mapping or an Article queryset")


def _parts(article):
    # The body is only turned into text when the lead holds no match.
    yield article.lead
    yield plain_text(article.body)


def _hits(ids, groups, articles):
    by_id = articles.order_by().in_bulk(ids)
    terms = highlight.term_set(groups)
    matchers = {}  # one per language: it remembers the words it has checked
    hits = []
    for pk in ids:
        article = by_id.get(pk)
        if article is None:  # outside the caller's queryset for the page
            continue
        matcher = matchers.get(article.language)
        if matcher is None:
            matcher = matchers[article.language] = highlight.Matcher(
                terms, article.language
            )
        # The lead if it holds a match, else the body if it does, else the lead.
        source, first = highlight.summary(_parts(article), matcher)
        hits.append(
            Hit(
                article=article,
                title_html=highlight.marked(article.title, matcher),
                snippet_html=highlight.snippet(source, matcher, first),
            )
        )
    return hits


def _clamp(value, low, high, default):
    try:
        return max(low, min(int(value), high))
    except (TypeError, ValueError, OverflowError):
        return default


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
    needing other relations reads each page once. Cost: the number of matches,
    the ranked ids (and, past the bounds, the newest matches), the page's
    articles with their relations, and the facets in two queries (the stored
    facet keys of the matches, then the names of the values shown).
    """
    results = SearchResults(page=_clamp(page, 1, MAX_PAGE, 1), sort=sort)
    results.page_size = _clamp(page_size, 1, 100, 20)
    base, error, restricted = published_base(filters)
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
    # One ordered id list serves the page, the facets and (mostly) the total.
    needed = max(FACET_SCOPE, offset + results.page_size)
    if groups and sort != "date":
        ordered, results.total = engine.search(base, groups, needed, restricted)
    else:
        results.sort = "date"
        if groups:
            ordered, results.total = engine.newest(base, groups, needed, restricted)
        else:
            ordered, results.total = newest_and_total(base, needed)
    ids = ordered[offset : offset + results.page_size]
    scope = ordered[:FACET_SCOPE]
    if results.total == 0:
        results.suggestion = did_you_mean(groups) if groups else None
        return results
    if articles is None:
        from articles.models import Article
        from articles.taglists import CARD_TAGS, load_tags

        cards = Article.objects.published().select_related("source")
        results.hits = _hits(ids, groups if highlight else [], cards)
        # What a result card shows, its countries and people, in one query.
        load_tags([hit.article for hit in results.hits], CARD_TAGS)
    else:
        results.hits = _hits(ids, groups if highlight else [], articles)
    if facets:
        results.facets = facet_counts(scope)
        results.facets_partial = results.total > len(scope)
        results.facets_scope = len(scope)
    return results
