"""Related coverage scored in memory from the window of recent articles gives
exactly what the SQL definition gives, or says it cannot tell."""

import datetime
import random

import pytest
from django.utils import timezone

from articles import related
from articles.models import Article
from articles.taglists import load_tags
from tests.factories import (
    ArticleFactory,
    CountryFactory,
    EventFactory,
    PersonFactory,
    PublishedArticleFactory,
    TopicFactory,
)

DAY = datetime.timedelta(days=1)


def _tag_randomly(article, rng, pools):
    for field, pool in pools.items():
        chosen = rng.sample(pool, rng.randint(0, 2))
        getattr(article, field).add(*chosen)


@pytest.fixture
def corpus(db):
    """70 public articles with overlapping tags (some at the same instant, some
    in stories), and tagged articles in every state the public never sees."""
    rng = random.Random(6)
    pools = {
        "countries": CountryFactory.create_batch(4),
        "people": PersonFactory.create_batch(6, country=None),
        "topics": TopicFactory.create_batch(3),
        "events": EventFactory.create_batch(2),
    }
    now = timezone.now()
    public = []
    for number in range(70):
        # Every third article shares its instant with the one before: ties
        # are broken by id, newest id first.
        published_at = now - (number - number % 3) * DAY
        story = public[-1] if number % 10 == 9 else None
        article = PublishedArticleFactory(published_at=published_at, story=story)
        _tag_randomly(article, rng, pools)
        public.append(article)
    hidden = [
        ArticleFactory(status=Article.Status.DRAFT),
        ArticleFactory(status=Article.Status.IN_REVIEW),
        ArticleFactory(status=Article.Status.ARCHIVED, published_at=now - DAY),
        PublishedArticleFactory(published_at=now + DAY),
    ]
    for article in hidden:
        for field, pool in pools.items():
            getattr(article, field).add(*pool)
    return public


def _by_sql(article):
    tags = {f: ids for f, ids in related._tag_ids(article).items() if ids}
    if not tags:
        return []
    return [a.pk for a in related._related_by_sql(tags, article, related.RELATED_LIMIT)]


def _by_window(window, article):
    tags = {f: ids for f, ids in related._tag_ids(article).items() if ids}
    if not tags:
        return []
    keys = related.tag_keys(tags)
    return window.related_ids(keys, related._story_root(article), related.RELATED_LIMIT)


def _loaded(articles):
    return load_tags(
        Article.objects.filter(pk__in=[a.pk for a in articles]), related.TAG_FIELDS
    )


@pytest.mark.parametrize(
    ("window_size", "candidates"), [(1000, 500), (1000, 12), (40, 12), (25, 8)]
)
def test_the_window_gives_what_sql_gives(corpus, monkeypatch, window_size, candidates):
    monkeypatch.setattr(related, "WINDOW_SIZE", window_size)
    monkeypatch.setattr(related, "CANDIDATES", candidates)
    window = related.recent_window()
    assert len(window.ids) == min(window_size, 70)
    told = 0
    for article in _loaded(corpus):
        found = _by_window(window, article)
        if found is not None:
            told += 1
            assert found == _by_sql(article), article.pk
    # The window decides alone for most articles (all when it holds them all).
    assert told == 70 if window.complete else told > 35


def test_the_window_holds_only_public_articles_newest_first(corpus):
    window = related.recent_window()
    newest = Article.objects.published().order_by("-published_at", "-id")
    assert window.ids == list(newest.values_list("pk", flat=True))
    assert window.complete


def test_a_story_and_the_article_itself_are_never_related(corpus):
    window = related.recent_window()
    for article in _loaded(corpus):
        root = article.story_id or article.pk
        story = set(
            Article.objects.filter(story_id=root).values_list("pk", flat=True)
        ) | {root}
        assert not story & set(_by_window(window, article) or ())


def test_an_article_without_tags_has_no_related_coverage(corpus):
    lonely = PublishedArticleFactory()
    window = related.recent_window()
    assert window.related_ids([], lonely.pk, related.RELATED_LIMIT) == []
    assert list(related.related_articles(_loaded([lonely])[0])) == []
