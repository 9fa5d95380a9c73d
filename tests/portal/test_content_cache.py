"""Values kept per content generation: computed once, never served stale.

Every request below carries a new `_` parameter, so the page cache never answers
and each page is rendered from the kept values. The writes are committed (a
transactional database): values are kept only outside transactions.
"""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import contentcache, services
from tests.factories import (
    ArticleFactory,
    PublishedArticleFactory,
    TopicFactory,
    chief_editor,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
grant_newsroom_groups = importlib.import_module(
    "articles.migrations.0003_editorial_groups"
).grant_newsroom_groups

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _page_cache_on(transactional_db, settings, tmp_path):
    grant_newsroom_groups(django_apps)  # a flush may have removed the groups
    settings.PORTAL_CACHE_SECONDS = 300
    settings.PORTAL_CACHE_GENERATION_FILE = str(tmp_path / "private" / "generation")
    cache.clear()
    yield
    cache.clear()


class Pages:
    """GETs that never hit a stored page; each remembers its query count."""

    def __init__(self, client):
        self.client, self.number, self.queries = client, 0, 0

    def get(self, url):
        self.number += 1
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, {"_": self.number})
        assert response.status_code == 200, url
        self.queries = len(queries)
        return response.content.decode()


@pytest.fixture
def pages(client):
    return Pages(client)


def topic_count(html, name):
    found = re.search(rf">{name} <span class=\"tag__count\">(\d+)<", html)
    return int(found.group(1)) if found else None


def related_titles(response_html):
    section = response_html.partition('id="related-heading"')[2]
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)<', section)


def test_home_counts_are_computed_once_per_generation(pages, world):
    pages.get("/")
    # The count of public articles, the topic counts and the country pairs are
    # kept: left are the page's articles, their cards' tags and two event lists.
    pages.get("/")
    assert pages.queries == 4
    assert topic_count(pages.get("/"), "Energy") == 1


def test_publishing_and_unpublishing_change_the_counts_at_once(pages, world):
    assert topic_count(pages.get("/"), "Energy") == 1
    draft = ArticleFactory(title="Pipeline talks resume")
    draft.topics.add(world.topic)
    assert topic_count(pages.get("/"), "Energy") == 1
    services.article_publish(article=draft, user=chief_editor())
    assert topic_count(pages.get("/"), "Energy") == 2
    services.article_unpublish(article=draft, user=chief_editor())
    assert topic_count(pages.get("/"), "Energy") == 1


def test_a_tag_change_shows_in_the_counts_at_once(pages, world):
    assert topic_count(pages.get("/"), "Hydropower") is None
    hydro = TopicFactory(name="Hydropower")
    assert topic_count(pages.get("/"), "Hydropower") == 0
    services.article_set_tags(article=world.article, topics=[hydro])
    html = pages.get("/")
    assert topic_count(html, "Hydropower") == 1
    assert topic_count(html, "Energy") == 0


def test_a_scheduled_article_is_counted_on_time_without_any_write(
    pages, world, monkeypatch
):
    start = timezone.now()
    scheduled = PublishedArticleFactory(published_at=start + HOUR)
    scheduled.topics.add(world.topic)
    assert topic_count(pages.get("/"), "Energy") == 1
    assert topic_count(pages.get("/"), "Energy") == 1
    monkeypatch.setattr(timezone, "now", lambda: start + HOUR + datetime.timedelta(1))
    assert topic_count(pages.get("/"), "Energy") == 2


def test_related_coverage_follows_publication_at_once(pages, world):
    url = world.article.get_absolute_url()
    assert related_titles(pages.get(url)) == []
    other = ArticleFactory(title="Second round of consultations")
    other.people.add(world.minister)
    assert related_titles(pages.get(url)) == []
    services.article_publish(article=other, user=chief_editor())
    assert related_titles(pages.get(url)) == ["Second round of consultations"]
    services.article_unpublish(article=other, user=chief_editor())
    assert related_titles(pages.get(url)) == []


def test_the_article_page_reads_the_window_once(pages, world):
    other = PublishedArticleFactory(title="Energy ministers meet")
    other.topics.add(world.topic)
    url = world.article.get_absolute_url()
    assert related_titles(pages.get(url)) == ["Energy ministers meet"]
    # The window of recent articles and the country pairs are kept: left are the
    # article, its tags, its images, its story, the related articles by id and
    # their cards' tags.
    assert related_titles(pages.get(url)) == ["Energy ministers meet"]
    assert pages.queries == 6


def test_nothing_is_kept_inside_a_transaction(world):
    computed = []
    with transaction.atomic():
        for _ in range(2):
            contentcache.cached("probe", lambda: computed.append(1) or len(computed))
    assert computed == [1, 1]
    assert contentcache.kept("probe", lambda: 1) == 1


def test_nothing_is_kept_with_the_page_cache_off(world, settings):
    settings.PORTAL_CACHE_SECONDS = 0
    assert contentcache.kept("probe", lambda: 1) is None


def test_a_table_keeps_at_most_its_limit(world):
    for key in range(5):
        contentcache.cached_in("probe", key, lambda: object(), limit=3)
    kept = contentcache.cached_in("probe", 0, object, limit=3)
    assert contentcache.cached_in("probe", 0, object, limit=3) is kept
    assert contentcache.cached_in("probe", 4, object, limit=3) is not (
        contentcache.cached_in("probe", 4, object, limit=3)
    )
