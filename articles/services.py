"""Writes to articles: every path (admin, API, commands) goes through these functions."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Article
from .sanitize import sanitize_html
from .search import index_article

TAG_FIELDS = ("people", "countries", "organizations", "events", "agreements", "topics")
PUBLISH_PERMISSION = "articles.publish_article"


class StaleVersionError(Exception):
    """The article changed since the editor loaded it; nothing was written."""

    def __init__(self, current_version):
        super().__init__(
            f"The article was changed by someone else (now version {current_version})."
        )
        self.current_version = current_version


def can_publish(user):
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def _require_publish_permission(user):
    if not can_publish(user):
        raise PermissionDenied(
            "You need the publish permission to publish or archive articles."
        )


def article_prepare(*, article, user=None):
    """Normalise fields before any save: sanitised body, hash, who changed it."""
    article.body = sanitize_html(article.body)
    article.content_hash = article.compute_content_hash()
    if user is not None and user.is_authenticated:
        article.created_by = article.created_by or user
        article.updated_by = user


PUBLIC_STATES = {Article.Status.PUBLISHED, Article.Status.ARCHIVED}


def _publication_state(article):
    if article.pk is None:
        return {"status": Article.Status.DRAFT, "published_at": None}
    return (
        Article.objects.filter(pk=article.pk).values("status", "published_at").first()
    )


def _check_publication_change(*, article, user):
    """Publishing, rescheduling, unpublishing or archiving all need the permission."""
    before = _publication_state(article) or _publication_state(Article())
    after = {"status": article.status, "published_at": article.published_at}
    touches_public = {before["status"], after["status"]} & PUBLIC_STATES
    if touches_public and before != after:
        _require_publish_permission(user)


@transaction.atomic
def article_save(*, article, user=None, expected_version=None):
    """Create or update `article`, refusing a stale version and unpermitted publishing.

    The version check is a conditional UPDATE, so it holds on SQLite (which has no
    SELECT ... FOR UPDATE) and PostgreSQL alike.
    """
    _check_publication_change(article=article, user=user)
    article_prepare(article=article, user=user)
    if article.pk is None:
        article.version = 1
        article.save()
        index_article(article)
        return article
    expected = article.version if expected_version is None else expected_version
    claimed = Article.objects.filter(pk=article.pk, version=expected).update(
        version=F("version") + 1
    )
    if not claimed:
        current = (
            Article.objects.filter(pk=article.pk)
            .values_list("version", flat=True)
            .first()
        )
        raise StaleVersionError(current)
    article.version = expected + 1
    article.save()
    index_article(article)
    return article


@transaction.atomic
def article_set_tags(*, article, **tags):
    """Replace the given tag lists (people=[...], countries=[...], ...) and reindex.

    Tags feed the search index (names and aliases), so every tag change goes here
    or is followed by `articles.search.index_article`.
    """
    for field, entities in tags.items():
        if field not in TAG_FIELDS:
            raise ValueError(f"Unknown tag field: {field}")
        getattr(article, field).set(entities)
    index_article(article)
    return article


@transaction.atomic
def article_publish(*, article, user, at=None):
    """Publish now, or schedule for `at` (a future time keeps it hidden until then)."""
    _require_publish_permission(user)
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    return article_save(article=article, user=user)


@transaction.atomic
def article_archive(*, article, user):
    _require_publish_permission(user)
    article.status = Article.Status.ARCHIVED
    return article_save(article=article, user=user)


@transaction.atomic
def article_submit_for_review(*, article, user):
    if article.status != Article.Status.DRAFT:
        return article
    article.status = Article.Status.IN_REVIEW
    return article_save(article=article, user=user)
