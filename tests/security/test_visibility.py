"""Drafts, in-review, scheduled and archived articles never reach the public.

Every public route (pages, search, facets, feeds, sitemap, API, exports) is
discovered from the URL resolver, so routes added later are crawled too.
"""

import pytest
from django.core.cache import cache

from tests import factories

from .conftest import HIDDEN_MARKERS, LEAK_WORDS, world_objects
from .crawl import crawl, public_urls

# Each list and search route is also asked for the hidden words and states directly.
PROBES = [{"q": marker} for marker in HIDDEN_MARKERS.values()] + [
    {"status": "draft"},
    {"status": "in_review", "q": "consultations"},
    {"status__in": "draft,archived,in_review"},
    {"search": "zqdraftmarker"},
    {"include_drafts": "1", "preview": "1", "all": "1"},
    {"sort": "-published_at", "q": "consultations"},
]


def _leaks(results):
    return {
        url: marker
        for url, (_, body) in results.items()
        for marker in LEAK_WORDS.values()
        if marker.encode() in body
    }


@pytest.mark.django_db
def test_anonymous_crawl_shows_no_hidden_article(client, world):
    results = crawl(client, public_urls(world_objects(world), PROBES))
    assert not _leaks(results)
    # The crawl is not vacuous: the published article is reachable and listed.
    assert results[world["article"].get_absolute_url()][0] == 200
    assert any(world["article"].title.encode() in body for _, body in results.values())


@pytest.mark.django_db
def test_hidden_articles_answer_404_at_their_own_urls(client, world):
    for state, article in world["hidden"].items():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404, state


@pytest.mark.django_db
def test_nothing_cached_for_an_editor_reaches_the_public(client, world):
    cache.clear()
    urls = public_urls(world_objects(world), PROBES)
    editor_client = client.__class__()
    editor_client.force_login(factories.chief_editor())
    crawl(editor_client, urls)  # warms every cache an editor's visit could fill
    assert not _leaks(crawl(client, urls))


@pytest.mark.django_db
def test_scheduled_article_appears_once_its_time_has_passed(client, world):
    scheduled = world["hidden"]["scheduled"]
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    type(scheduled).objects.filter(pk=scheduled.pk).update(
        published_at=world["article"].published_at
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 200
