import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, PersonFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


def test_published_contains_only_published_articles_whose_time_has_passed():
    now = timezone.now()
    visible = PublishedArticleFactory(published_at=now - datetime.timedelta(minutes=1))
    PublishedArticleFactory(published_at=now + datetime.timedelta(hours=1))  # scheduled
    ArticleFactory(
        status=Article.Status.DRAFT, published_at=now - datetime.timedelta(days=1)
    )
    ArticleFactory(
        status=Article.Status.IN_REVIEW, published_at=now - datetime.timedelta(days=1)
    )
    ArticleFactory(
        status=Article.Status.ARCHIVED, published_at=now - datetime.timedelta(days=1)
    )
    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_becomes_public_when_its_time_comes(monkeypatch):
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    article = PublishedArticleFactory(published_at=publish_at)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    later = publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_published_status_without_a_time_is_refused():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_mentioning_filters_by_tagged_entity():
    person = PersonFactory()
    tagged = PublishedArticleFactory()
    tagged.people.add(person)
    PublishedArticleFactory()
    assert list(Article.objects.published().mentioning(person)) == [tagged]
