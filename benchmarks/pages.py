"""SQL queries per portal page and API endpoint, through Django's test client."""

import logging

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from articles import contentcache, pagecache, related
from articles.models import Article
from relations.models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Organization,
    Person,
    Topic,
)

API_LISTS = [
    "articles",
    "people",
    "countries",
    "organizations",
    "events",
    "agreements",
    "relations",
    "topics",
    "sources",
]


def _first_tagged(model):
    """An entity that has published articles, so its page lists some."""
    published = Article.objects.published()
    return model.objects.filter(articles__in=published).order_by("pk").first()


def page_urls(term):
    """(name, url) for every page the contract names, with real slugs."""
    article = Article.objects.published().order_by("pk").first()
    urls = [("home", "/"), ("search", f"/search/?q={term}")]
    if article is not None:
        country = article.countries.order_by("pk").first()
        code = country.code.lower() if country else "zz"
        urls += [
            ("search filtered, by date", f"/search/?q={term}&country={code}&sort=date"),
            ("article", article.get_absolute_url()),
        ]
    for model in (Person, Country, Organization, Event, Agreement, Topic):
        entity = _first_tagged(model)
        if entity is not None:
            urls.append((model._meta.verbose_name, entity.get_absolute_url()))
    relation = BilateralRelation.objects.select_related("country_a", "country_b")
    if (pair := relation.order_by("pk").first()) is not None:
        urls.append(("relation timeline", f"/relations/{pair.url_codes()}/"))
    urls += [("feed", "/feeds/latest/"), ("sitemap", "/sitemap.xml")]
    return urls + api_urls(term, article)


def api_urls(term, article):
    urls = [(f"api {name}", f"/api/{name}/") for name in API_LISTS]
    urls.append(("api articles q=", f"/api/articles/?q={term}"))
    if article is not None:
        urls.append(("api article", f"/api/articles/{article.slug}/"))
    return urls


def count_queries(client, url):
    """(status, queries) for one GET with no stored page, then a cached repeat.

    The next scheduled publication time, which bounds how long any page is kept,
    and the window of recent articles related coverage is scored from are read
    once per content change for all pages; they are read here beforehand, so the
    figures are the page's own. Every other value kept per generation
    (articles.contentcache) is computed afresh by the page measured.
    """
    cache.clear()
    contentcache.clear()
    pagecache.next_publication(pagecache.current_generation(), timezone.now())
    related.kept_window()
    # As HTTPS: with production settings a plain request is only a redirect.
    with CaptureQueriesContext(connection) as first:
        response = client.get(url, secure=True)
    with CaptureQueriesContext(connection) as second:
        client.get(url, secure=True)
    return response.status_code, len(first), len(second)


def measure(term, out):
    rows = []
    # A missing part answers 404; that is reported below, not logged per request.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        client = Client(raise_request_exception=False)
        for name, url in page_urls(term):
            status, uncached, cached = count_queries(client, url)
            row = {"name": name, "url": url, "status": status}
            if status == 404:
                row.update(available=False, note="not available (404)")
            else:
                row.update(available=True, queries=uncached, cached=cached)
            out(f"pages: {name} {url} -> {status}, {row.get('queries', '-')} queries")
            rows.append(row)
    return rows
