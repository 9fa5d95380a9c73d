import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleTransition
from tests.factories import ArticleFactory, chief_editor, editor

pytestmark = pytest.mark.django_db

S = Article.Status


def _stored(article):
    return Article.objects.values_list("status", flat=True).get(pk=article.pk)


def test_full_path_is_recorded_with_who_and_when():
    author, chief = editor(), chief_editor()
    article = ArticleFactory()
    before = timezone.now()
    services.article_submit_for_review(article=article, user=author)
    services.article_publish(article=article, user=chief)
    services.article_archive(article=article, user=chief, note="Superseded.")
    records = list(ArticleTransition.objects.filter(article=article))
    assert [(r.from_status, r.to_status, r.user) for r in records] == [
        (S.DRAFT, S.IN_REVIEW, author),
        (S.IN_REVIEW, S.PUBLISHED, chief),
        (S.PUBLISHED, S.ARCHIVED, chief),
    ]
    assert all(r.at >= before for r in records)
    assert records[-1].note == "Superseded."


@pytest.mark.parametrize(
    ("start", "target", "role", "allowed"),
    [
        (S.DRAFT, S.IN_REVIEW, "editor", True),
        (S.IN_REVIEW, S.DRAFT, "editor", True),
        (S.DRAFT, S.PUBLISHED, "editor", False),
        (S.IN_REVIEW, S.PUBLISHED, "editor", False),
        (S.PUBLISHED, S.ARCHIVED, "editor", False),
        (S.PUBLISHED, S.DRAFT, "editor", False),
        (S.ARCHIVED, S.DRAFT, "editor", False),
        (S.DRAFT, S.PUBLISHED, "chief", True),
        (S.IN_REVIEW, S.PUBLISHED, "chief", True),
        (S.IN_REVIEW, S.ARCHIVED, "chief", True),
        (S.PUBLISHED, S.ARCHIVED, "chief", True),
        (S.PUBLISHED, S.DRAFT, "chief", True),
        (S.ARCHIVED, S.DRAFT, "chief", True),
        (S.ARCHIVED, S.PUBLISHED, "chief", True),
    ],
)
def test_permission_per_transition(start, target, role, allowed):
    published_at = timezone.now() - datetime.timedelta(days=1)
    article = ArticleFactory(status=start, published_at=published_at)
    user = chief_editor() if role == "chief" else editor()
    if allowed:
        services.article_transition(article=article, user=user, to_status=target)
        assert _stored(article) == target
        assert ArticleTransition.objects.get(article=article).to_status == target
    else:
        with pytest.raises(PermissionDenied):
            services.article_transition(article=article, user=user, to_status=target)
        assert _stored(article) == start
        assert not ArticleTransition.objects.filter(article=article).exists()


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.DRAFT, S.ARCHIVED),
        (S.PUBLISHED, S.IN_REVIEW),
        (S.ARCHIVED, S.IN_REVIEW),
        (S.DRAFT, "deleted"),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_message(start, target):
    article = ArticleFactory(status=start, published_at=timezone.now())
    with pytest.raises(services.InvalidTransitionError) as refused:
        services.article_transition(
            article=article, user=chief_editor(), to_status=target
        )
    assert "cannot go from" in str(refused.value)
    assert _stored(article) == start
    assert not ArticleTransition.objects.exists()


def test_saving_a_status_outside_the_workflow_is_refused():
    article = ArticleFactory(status=S.DRAFT)
    article.status = S.ARCHIVED
    with pytest.raises(services.InvalidTransitionError):
        services.article_save(article=article, user=chief_editor())
    assert _stored(article) == S.DRAFT


def test_scheduled_publication_is_recorded_and_hidden_until_its_time():
    article = ArticleFactory()
    at = timezone.now() + datetime.timedelta(hours=3)
    services.article_publish(article=article, user=chief_editor(), at=at)
    record = ArticleTransition.objects.get(article=article)
    assert record.to_status == S.PUBLISHED and record.note.startswith("Scheduled")
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_rescheduling_a_published_article_needs_the_permission_and_is_recorded():
    article = ArticleFactory(status=S.PUBLISHED, published_at=timezone.now())
    article.published_at = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.article_save(article=article, user=editor())
    services.article_save(article=article, user=chief_editor())
    record = ArticleTransition.objects.get(article=article)
    assert (record.from_status, record.to_status) == (S.PUBLISHED, S.PUBLISHED)


def test_publishing_through_a_plain_save_sets_the_time():
    article = ArticleFactory()
    article.status = S.PUBLISHED
    services.article_save(article=article, user=chief_editor())
    article.refresh_from_db()
    assert article.published_at is not None and article.is_public


def test_content_edits_record_no_transition():
    article = ArticleFactory()
    article.title = "A new title"
    services.article_save(article=article, user=editor())
    assert not ArticleTransition.objects.exists()


def test_a_stale_transition_writes_nothing():
    article = ArticleFactory()
    services.article_save(article=Article.objects.get(pk=article.pk), user=editor())
    with pytest.raises(services.StaleVersionError):
        services.article_submit_for_review(article=article, user=editor())
    assert _stored(article) == S.DRAFT
    assert not ArticleTransition.objects.exists()
