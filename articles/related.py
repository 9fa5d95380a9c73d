"""Articles linked to one article: its other-language versions and related coverage."""

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL

from .models import TAG_FIELDS_BY_MODEL, Article

RELATED_LIMIT = 5
CANDIDATES = 500


def story_versions(article):
    """The same story in other languages: the root article and every version of it."""
    return (
        Article.objects.published()
        .filter(pk__in=_story_ids(article))
        .exclude(pk=article.pk)
        .select_related("source")
        .order_by("language")
    )


def _story_ids(article):
    """A subquery of the ids of `article`'s story: its root and every version.

    Written as a UNION of the root's id and a lookup by the story index, so
    both planners start from those few ids: `story_id = root` inside an OR made
    them scan every published article instead (most articles have no story, so
    that index looks useless to SQLite; PostgreSQL scanned the primary key).
    """
    root_id = article.story_id or article.pk
    table = Article._meta.db_table
    return RawSQL(
        f"SELECT id FROM {table} WHERE story_id = %s UNION ALL SELECT %s",
        [root_id, root_id],
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
    """A correlated count of the candidate's tags on `field` that are among `ids`
    (a plain COUNT: one index probe per tag, no grouping)."""
    rows = _tag_rows(field, ids).filter(article_id=OuterRef("pk")).order_by()
    count = rows.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(count, output_field=IntegerField())


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
    # Newest first through the publication index, each article checked with one
    # index probe per tag table, until CANDIDATES are found. (`pk__in` lists of
    # the tag rows instead would read every article tagged with a common tag,
    # the portal's own country, say, before sorting them.)
    shares_any = Q()
    for field, ids in tags.items():
        shares_any |= Exists(_tag_rows(field, ids).filter(article_id=OuterRef("pk")))
    candidates = (
        Article.objects.published()
        .filter(shares_any)
        .exclude(pk__in=_story_ids(article))
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
