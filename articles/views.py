from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from relations.models import BilateralRelation, Event, Topic

from . import contentcache
from .models import TAG_FIELDS_BY_MODEL, Article, public_condition
from .portal_filters import SearchPageFilterSet
from .related import related_articles, story_versions
from .search import SearchResults, search_articles, suggest_entities
from .taglists import CARD_TAGS, load_tags

TAG_FIELDS = tuple(TAG_FIELDS_BY_MODEL.values())


class PublishedArticlesMixin:
    """Every public view starts from the one definition of public."""

    paginate_by = settings.PORTAL_PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().for_cards()

    def paginate_queryset(self, queryset, page_size):
        """The page's articles with the countries and people their cards show."""
        paginator, page, articles, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        page.object_list = load_tags(articles, CARD_TAGS)
        return paginator, page, page.object_list, is_paginated


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = 12
    sidebar_size = 6

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # Counting every public article is the same work for each page of the
        # list: once per content generation.
        paginator.count = contentcache.cached("public-articles", queryset.count)
        return paginator

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        events = Event.objects.select_related("host_country")
        return super().get_context_data(
            recent_events=events.filter(start_date__lte=today)[: self.sidebar_size],
            upcoming_events=events.filter(start_date__gt=today).order_by("start_date")[
                : self.sidebar_size
            ],
            relations=followed_relations(),
            topics=contentcache.cached("busiest-topics", busiest_topics),
            **kwargs,
        )


def busiest_topics(count=20):
    return list(topics_with_counts()[:count])


def topics_with_counts():
    """Topics with their number of public articles, busiest first (one query)."""
    public = public_condition(through="articles__")
    return Topic.objects.annotate(
        article_count=Count("articles", filter=public)
    ).order_by("-article_count", "name")


def followed_relations():
    """Every followed country pair with its countries (one query per generation)."""
    relations = BilateralRelation.objects.select_related("country_a", "country_b")
    return contentcache.cached("relations", lambda: list(relations))


FACET_LABELS = {
    "country": "Country",
    "person": "Person",
    "organization": "Organization",
    "event_kind": "Event kind",
    "topic": "Topic",
    "source": "Source",
    "language": "Language",
    "year": "Year",
}


def url_with(params, **changes):
    """The current query string with some parameters replaced (None drops one)."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return "?" + urlencode(sorted(query.items()))


def page_number(value):
    return int(value) if value and value.isdigit() and len(value) < 6 else 1


class SearchView(TemplateView):
    """/search/: full-text search, filters, facets and pages; plain HTML forms.

    Queries: the search engine's (count, page ids, facets), the page's articles
    with their sources, the cards' countries and people, and one lookup for all
    the entities named by the filters.
    """

    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        filterset = SearchPageFilterSet(
            request.GET, queryset=Article.objects.published()
        )
        # Empty form fields are left out of the links built from these.
        params = {
            key: value.replace("\x00", "")
            for key, value in request.GET.items()
            if value.strip()
        }
        results, status = self.search(filterset, params)
        context = self.get_context_data(
            filterset=filterset,
            results=results,
            q=params.get("q", ""),
            facet_groups=self.facet_groups(results, params),
            pages=self.page_links(results, params),
            suggestion_url=url_with(params, q=results.suggestion),
            sort_links=[
                (
                    label,
                    url_with(params, sort=value),
                    results.sort == (value or "relevance"),
                )
                for value, label in ((None, "Relevance"), ("date", "Newest first"))
            ],
        )
        return self.render_to_response(context, status=status)

    def search(self, filterset, params):
        if not filterset.is_valid():
            error = "Some filters are not valid; correct them and search again."
            return SearchResults(error=error), 400
        cleaned = filterset.form.cleaned_data
        filtered = any(value not in (None, "") for value in cleaned.values())
        results = search_articles(
            params.get("q", ""),
            filters=filterset.qs if filtered else None,
            sort="date" if params.get("sort") == "date" else "relevance",
            page=page_number(params.get("page")),
        )
        return results, 200

    def facet_groups(self, results, params):
        groups = []
        for name, values in results.facets.items():
            current = params.get(name, "").lower()
            links = [
                {
                    "label": value.label,
                    "count": value.count,
                    "active": value.value.lower() == current,
                    "url": url_with(
                        params,
                        **{
                            name: None
                            if value.value.lower() == current
                            else value.value
                        },
                    ),
                }
                for value in values
            ]
            if links:
                groups.append(
                    {"name": name, "label": FACET_LABELS[name], "links": links}
                )
        return groups

    def page_links(self, results, params):
        def link(number):
            return url_with(params, page=str(number))

        return {
            "previous": link(results.page - 1) if results.has_previous else None,
            "next": link(results.page + 1) if results.has_next else None,
        }


class SearchSuggestView(TemplateView):
    """/search/suggest/?q=: entities by any alias, as JSON or as a plain HTML page."""

    template_name = "articles/search_suggest.html"

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "").replace("\x00", "")[:100]
        entities = suggest_entities(query)
        wants_json = request.GET.get("format") == "json" or (
            request.accepts("application/json") and not request.accepts("text/html")
        )
        if wants_json:
            return JsonResponse({"query": query, "results": entities})
        for entity in entities:
            entity["search_url"] = url_with({}, **{entity["param"]: entity["value"]})
        return self.render_to_response(
            self.get_context_data(q=query, entities=entities)
        )


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    """One public article; drafts and scheduled ones are absent, hence 404."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().select_related("source")

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        return load_tags([article], TAG_FIELDS)[0]

    def get_context_data(self, **kwargs):
        article = self.object
        canonical = self.request.build_absolute_uri(article.get_absolute_url())
        images = list(article.images.all())
        return super().get_context_data(
            canonical_url=canonical,
            images=images,
            versions=story_versions(article),
            related=load_tags(related_articles(article), CARD_TAGS),
            pairs=pairs_among(article.countries.all()),
            json_ld=news_article_json_ld(self.request, article, canonical, images),
            **kwargs,
        )


def pairs_among(countries):
    """Followed country pairs formed by the tagged countries (their timelines)."""
    ids = {country.pk for country in countries}
    if not ids:
        return []
    return [
        relation
        for relation in followed_relations()
        if relation.country_a_id in ids and relation.country_b_id in ids
    ]


def news_article_json_ld(request, article, canonical, images):
    """schema.org NewsArticle data; the template escapes it for a script element."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "mainEntityOfPage": canonical,
        "about": [
            {"@type": "Person", "name": p.full_name} for p in article.people.all()
        ],
    }
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source.name}
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if images:
        data["image"] = [request.build_absolute_uri(img.image.url) for img in images]
    return data


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
