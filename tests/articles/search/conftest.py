import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from articles.services import article_set_tags
from tests.factories import (
    ArticleFactory,
    CountryFactory,
    PersonFactory,
    PublishedArticleFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The name vocabulary for suggestions is cached; each test starts empty.
    cache.clear()


@pytest.fixture
def publish(db):
    """Create a published article with tags and index it, as the services do."""

    def make(tags=None, **fields):
        article = PublishedArticleFactory(**fields)
        return article_set_tags(article=article, **(tags or {}))

    return make


@pytest.fixture
def unpublished(db):
    """A draft, an in-review, an archived and a scheduled article, all indexed."""

    def make(**fields):
        later = timezone.now() + datetime.timedelta(days=2)
        articles = [
            ArticleFactory(status=Article.Status.DRAFT, **fields),
            ArticleFactory(status=Article.Status.IN_REVIEW, **fields),
            ArticleFactory(status=Article.Status.ARCHIVED, **fields),
            ArticleFactory(
                status=Article.Status.PUBLISHED, published_at=later, **fields
            ),
        ]
        return [article_set_tags(article=article) for article in articles]

    return make


@pytest.fixture
def azerbaijan(db):
    return CountryFactory(
        name="Azerbaijan", code="AZ", aliases="Azerbaijani\nAserbaidschan\nAzərbaycan"
    )


@pytest.fixture
def iraq(db):
    return CountryFactory(name="Iraq", code="IQ", aliases="Iraqi\nIrak")


@pytest.fixture
def aliyev(azerbaijan):
    # The editor-entered spellings are the ground truth for name search.
    return PersonFactory(
        full_name="Ilham Aliyev",
        country=azerbaijan,
        aliases="Əliyev İlham\nIlham Aliev\nIlham Alijew",
    )
