"""Articles linked to one article: its other-language versions and related coverage."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import TAG_FIELDS_BY_MODEL, Article

RELATED_LIMIT = 5
CANDIDATES = 500


def story_versions(article):
    """The same story in other languages: the root article and every version of it."""
    root_id = article.story_id or article.pk
    return (
        Article.objects.published()
        .filter(Q(pk=root_id) | Q(story_id=root_id))
        .exclude(pk=article.pk)
        .select_related("source")
        .order_by("language")
    )


def _tag_ids(article):
    """Tag field -> ids of the entities tagged on `article` (from its prefetch)."""
    return {
        field: [entity.pk for entity in getattr(article, field).all()]
        for field in TAG_FIELDS_BY_MODEL.values()
    }


def _tag_rows(field, ids):
    """Rows of the tag table for `field` that point at one of `ids`."""
    model_field = Article._meta.get_field(field)
    through = model_field.remote_field.through
    target = model_field.m2m_reverse_field_name()
    return through.objects.filter(**{f"{target}__in": ids})


def _shared_count(field, ids):
    """A correlated count of the candidate's tags on `field` that are among `ids`."""
    rows = (
        _tag_rows(field, ids)
        .filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def related_articles(article, limit=RELATED_LIMIT):
    """Public articles sharing the most tagged entities with `article`, recent first
    (with their sources; the caller loads what else its cards show).

    Only the CANDIDATES most recent articles sharing at least one tag are scored:
    in a portal about one country nearly every article shares that country, and
    counting shared tags for all of them grew with the whole archive.
    """
    tags = {field: ids for field, ids in _tag_ids(article).items() if ids}
    if not tags:
        return Article.objects.none()
    # One indexed lookup per tag table instead of joining six tables at once.
    shares_any = Q()
    for field, ids in tags.items():
        shares_any |= Q(pk__in=_tag_rows(field, ids).values("article_id"))
    root_id = article.story_id or article.pk
    candidates = (
        Article.objects.published()
        .filter(shares_any)
        .exclude(Q(pk=root_id) | Q(story_id=root_id))
        .order_by("-published_at", "-id")
        .values("pk")[:CANDIDATES]
    )
    shared = sum((_shared_count(field, ids) for field, ids in tags.items()), Value(0))
    return (
        Article.objects.filter(pk__in=candidates)
        .annotate(shared=shared)
        .order_by("-shared", "-published_at", "-id")
        .select_related("source")[:limit]
    )
