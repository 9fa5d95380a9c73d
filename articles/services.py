"""Writes to articles: the admin, the API and commands all go through these."""

from contextlib import contextmanager

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import images
from .models import TAG_FIELDS, Article, ArticleImage, ArticleTransition
from .sanitize import sanitize_html
from .search import index_article

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

S = Article.Status
EDIT, PUBLISH = "edit", "publish"
# The workflow: (from, to) -> who may do it. Anything absent is refused.
TRANSITIONS = {
    (S.DRAFT, S.IN_REVIEW): EDIT,
    (S.IN_REVIEW, S.DRAFT): EDIT,
    (S.DRAFT, S.PUBLISHED): PUBLISH,
    (S.IN_REVIEW, S.PUBLISHED): PUBLISH,
    (S.IN_REVIEW, S.ARCHIVED): PUBLISH,
    (S.PUBLISHED, S.ARCHIVED): PUBLISH,
    (S.PUBLISHED, S.DRAFT): PUBLISH,
    (S.ARCHIVED, S.DRAFT): PUBLISH,
    (S.ARCHIVED, S.PUBLISHED): PUBLISH,
}


class InvalidTransitionError(Exception):
    """The requested status change is not part of the workflow; nothing was written."""

    def __init__(self, from_status, to_status):
        labels = dict(Article.Status.choices)
        allowed = [labels[to] for (frm, to) in TRANSITIONS if frm == from_status]
        super().__init__(
            f"An article cannot go from “{labels.get(from_status, from_status)}” to "
            f"“{labels.get(to_status, to_status)}”. From "
            f"“{labels.get(from_status, from_status)}” it can go to: "
            f"{', '.join(allowed) or 'nothing'}."
        )
        self.from_status = from_status
        self.to_status = to_status


def _publication_state(article):
    if article.pk is None:
        return {"status": Article.Status.DRAFT, "published_at": None}
    return (
        Article.objects.filter(pk=article.pk).values("status", "published_at").first()
    )


def transition_check(*, from_status, to_status, user):
    """Raise unless `user` may move an article from `from_status` to `to_status`."""
    if from_status == to_status:
        return
    rule = TRANSITIONS.get((from_status, to_status))
    if rule is None:
        raise InvalidTransitionError(from_status, to_status)
    if rule == PUBLISH:
        _require_publish_permission(user)


def _check_publication_change(*, article, user):
    """Status changes follow the workflow; rescheduling public articles needs the
    publish permission too. Returns the state before, for the transition record."""
    before = _publication_state(article) or _publication_state(Article())
    transition_check(from_status=before["status"], to_status=article.status, user=user)
    after = {"status": article.status, "published_at": article.published_at}
    touches_public = {before["status"], after["status"]} & PUBLIC_STATES
    if touches_public and before != after:
        _require_publish_permission(user)
    return before


def _transition_note(before, article, note):
    if note or article.status != Article.Status.PUBLISHED:
        return note
    when = article.published_at
    if when and when > timezone.now():
        return f"Scheduled for {when:%Y-%m-%d %H:%M %Z}."
    if before["status"] == article.status:
        return f"Publication time changed to {when:%Y-%m-%d %H:%M %Z}."
    return note


def _record_transition(*, article, before, user, note=""):
    """One ArticleTransition per status change (and per rescheduling)."""
    rescheduled = (
        article.status == Article.Status.PUBLISHED
        and before["published_at"] != article.published_at
    )
    if before["status"] == article.status and not rescheduled:
        return None
    return ArticleTransition.objects.create(
        article=article,
        from_status=before["status"],
        to_status=article.status,
        user=user if user is not None and user.is_authenticated else None,
        note=_transition_note(before, article, note)[:300],
    )


def _claim_version(article, expected_version):
    """Conditional UPDATE on `version`: holds on SQLite (which has no SELECT ... FOR
    UPDATE) and PostgreSQL alike."""
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


@contextmanager
def _revision(user):
    """A reversion revision (joining the caller's, if one is open) by `user`."""
    with reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        yield


def _article_write(*, article, user=None, expected_version=None, note=""):
    before = _check_publication_change(article=article, user=user)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article_prepare(article=article, user=user)
    with _revision(user):
        if article.pk is None:
            article.version = 1
        else:
            _claim_version(article, expected_version)
        article.save()
    index_article(article)
    _record_transition(article=article, before=before, user=user, note=note)
    return article


@transaction.atomic
def article_save(*, article, user=None, expected_version=None):
    """Create or update `article`, refusing a stale version, a status change outside
    the workflow and publishing without the permission. Records the revision and,
    when the status changed, an ArticleTransition."""
    return _article_write(article=article, user=user, expected_version=expected_version)


@transaction.atomic
def article_transition(*, article, user, to_status, note="", expected_version=None):
    """Move `article` to `to_status` (draft, in_review, published, archived)."""
    if to_status not in Article.Status.values:
        raise InvalidTransitionError(article.status, to_status)
    previous = article.status, article.published_at
    article.status = to_status
    try:
        return _article_write(
            article=article, user=user, expected_version=expected_version, note=note
        )
    except Exception:
        # Refused: the caller's object keeps describing what is stored.
        article.status, article.published_at = previous
        raise


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
    article.published_at = at or article.published_at or timezone.now()
    return article_transition(
        article=article, user=user, to_status=Article.Status.PUBLISHED
    )


@transaction.atomic
def article_archive(*, article, user, note=""):
    _require_publish_permission(user)
    return article_transition(
        article=article, user=user, to_status=Article.Status.ARCHIVED, note=note
    )


@transaction.atomic
def article_unpublish(*, article, user, note=""):
    """Take a published (or archived) article back to draft."""
    _require_publish_permission(user)
    return article_transition(
        article=article, user=user, to_status=Article.Status.DRAFT, note=note
    )


@transaction.atomic
def article_submit_for_review(*, article, user, note=""):
    """Draft -> in review. An article already in review is left as it is."""
    if article.status == Article.Status.IN_REVIEW:
        return article
    return article_transition(
        article=article, user=user, to_status=Article.Status.IN_REVIEW, note=note
    )


@transaction.atomic
def article_return_to_draft(*, article, user, note=""):
    """In review -> draft (the reviewer sends it back, or the author withdraws it)."""
    return article_transition(
        article=article, user=user, to_status=Article.Status.DRAFT, note=note
    )


def _image_files(name):
    return [name] + [images.rendition_name(name, w) for w in images.RENDITION_WIDTHS]


@transaction.atomic
def article_image_save(*, image, upload=None, user=None):
    """Create or update an ArticleImage. A new `upload` is checked and re-encoded
    (raises ImageRejected), stored under a generated name with its renditions
    (raises ImageStorageError); if anything fails, no row and no file is left."""
    if upload is None:
        with _revision(user):
            image.save()
        return image
    prepared = upload
    if not isinstance(upload, images.PreparedImage):
        prepared = images.image_prepare(upload)
    previous = _stored_name(image)
    written = images.image_store(prepared)
    try:
        image.image = written[0]
        image.width, image.height = prepared.width, prepared.height
        with _revision(user):
            image.save()
    except Exception:
        images.files_delete(written)
        raise
    if previous and previous != written[0]:
        # Old files go only once the new row is committed.
        transaction.on_commit(lambda: article_image_files_delete(name=previous))
    return image


def _stored_name(image):
    if image.pk is None:
        return ""
    stored = ArticleImage.objects.filter(pk=image.pk).values_list("image", flat=True)
    return stored.first() or ""


def article_image_files_delete(*, name):
    """Remove a picture's original and renditions from storage."""
    images.files_delete(_image_files(name))
    images.renditions_forget(name)


@transaction.atomic
def article_image_delete(*, image):
    name = image.image.name
    image.delete()
    if name:
        transaction.on_commit(lambda: article_image_files_delete(name=name))


# What a restore brings back; status, schedule and slug stay as they are (status
# changes go through the workflow, and a slug is a public address).
RESTORED_FIELDS = [
    "title",
    "lead",
    "body",
    "language",
    "source",
    "source_url",
    "byline",
    "dateline_place",
    "story",
]


def _restore_field(article, name, stored):
    field = Article._meta.get_field(name)
    value = stored.get(field.attname, stored.get(name))
    if field.many_to_one and value is not None:
        if not field.related_model._base_manager.filter(pk=value).exists():
            return  # deleted since: keep what the article points at now
    setattr(article, field.attname, value)


def _existing_ids(field, ids):
    model = Article._meta.get_field(field).related_model
    return list(
        model._base_manager.filter(pk__in=ids or []).values_list("pk", flat=True)
    )


@transaction.atomic
def article_restore(*, article, version, user, expected_version=None):
    """Bring `article`'s content and tags back to a stored reversion `version`,
    as a new version (so it is itself undoable), through article_save."""
    stored = version.field_dict
    if version._model is not Article or str(article.pk) != version.object_id:
        raise ValueError("That version belongs to another object.")
    with reversion.create_revision():
        reversion.set_comment(
            f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}."
        )
        for name in RESTORED_FIELDS:
            _restore_field(article, name, stored)
        for name in TAG_FIELDS:
            # Entities deleted since are skipped: a tag cannot point at nothing.
            getattr(article, name).set(_existing_ids(name, stored.get(name)))
        return article_save(
            article=article, user=user, expected_version=expected_version
        )
