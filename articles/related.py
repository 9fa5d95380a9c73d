"""Articles linked to one article: its other-language versions and related coverage."""

import functools
import itertools
from collections import Counter
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL

from . import contentcache
from .models import TAG_FIELDS, TAG_FIELDS_BY_MODEL, Article

RELATED_LIMIT = 5
CANDIDATES = 500
# The newest public articles related coverage is scored from in memory: with
# CANDIDATES sharing a tag among them, the older ones cannot take part.
WINDOW_SIZE = 5000


def story_versions(article):
    """The same story in other languages: the root article and every version of it."""
    return (
        Article.objects.published()
        .filter(pk__in=_story_ids(article))
        .exclude(pk=article.pk)
        .for_cards()
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
    counting shared tags for all of them grew with the whole archive. They are
    scored in memory from the window of recent articles (one per content
    generation) when it holds enough of them, in SQL otherwise.
    """
    tags = {field: ids for field, ids in _tag_ids(article).items() if ids}
    if not tags:
        return Article.objects.none()
    window = kept_window()
    found = None
    if window is not None:
        found = window.related_ids(tag_keys(tags), _story_root(article), limit)
    if found is None:
        return _related_by_sql(tags, article, limit)
    articles = Article.objects.filter(pk__in=found).for_cards()
    by_id = {related.pk: related for related in articles}
    return [by_id[pk] for pk in found if pk in by_id]


def kept_window():
    """The window of recent articles for the current content generation (read
    once per generation in each process), or None when none may be kept."""
    return contentcache.kept("related-window", recent_window)


def _story_root(article):
    return article.story_id or article.pk


def tag_keys(tags):
    """One number per tag: its entity's id and which relation it is on."""
    kinds = {field: kind for kind, field in enumerate(TAG_FIELDS)}
    return [
        pk * len(TAG_FIELDS) + kinds[field] for field, ids in tags.items() for pk in ids
    ]


@dataclass(frozen=True)
class RecentWindow:
    """The newest public articles (position 0 is the newest, as the portal orders
    them: by publication time, then id) and the tags each of them carries."""

    ids: list  # the article at each position
    stories: list  # its story's root article id, or None
    postings: dict  # tag key -> positions of the articles carrying that tag
    complete: bool  # True when it holds every public article

    def related_ids(self, keys, story_root, limit):
        """The ids of the `limit` best related articles, as related_articles
        defines them, or None when the window does not hold CANDIDATES of them
        and older articles could take part."""
        shared = Counter()
        for key in keys:
            shared.update(self.postings.get(key, ()))
        newest = (pos for pos in sorted(shared) if not self._in_story(pos, story_root))
        candidates = list(itertools.islice(newest, CANDIDATES))
        if len(candidates) < CANDIDATES and not self.complete:
            return None
        best = sorted(candidates, key=lambda pos: (-shared[pos], pos))[:limit]
        return [self.ids[pos] for pos in best]

    def _in_story(self, position, root):
        return self.ids[position] == root or self.stories[position] == root


def recent_window(using=DEFAULT_DB_ALIAS):
    """The WINDOW_SIZE newest public articles with their tags (one query)."""
    newest = (
        Article.objects.using(using)
        .published()
        .order_by("-published_at", "-id")
        .values_list("id", "story_id", "published_at")[:WINDOW_SIZE]
    )
    newest_sql, params = newest.query.sql_with_params()
    with connections[using].cursor() as cursor:
        cursor.execute(_window_sql(using).format(newest=newest_sql), params)
        rows = cursor.fetchall()
    ids, stories, postings = {}, {}, {}
    for position, kind, value, article_id in rows:
        if kind < 0:
            ids[position], stories[position] = article_id, value
        else:
            postings.setdefault(value * len(TAG_FIELDS) + kind, []).append(position)
    count = len(ids)
    return RecentWindow(
        ids=[ids[pos] for pos in range(count)],
        stories=[stories[pos] for pos in range(count)],
        postings=postings,
        complete=count < WINDOW_SIZE,
    )


@functools.cache
def _window_sql(using):
    """Rows (position, -1, story id, article id) for the window's articles and
    (position, kind, tag id, NULL) for their tags, with `{newest}` for the
    query of the newest articles."""
    quote = connections[using].ops.quote_name
    branches = ["SELECT position, -1, story_id, id FROM ranked"]
    for kind, name in enumerate(TAG_FIELDS):
        field = Article._meta.get_field(name)
        table = quote(field.remote_field.through._meta.db_table)
        owner, target = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
        branches.append(
            f"SELECT r.position, {kind}, t.{target}, NULL FROM {table} t "
            f"INNER JOIN ranked r ON r.id = t.{owner}"
        )
    # Positions are numbered over the few newest rows only, after their LIMIT.
    return (
        "WITH newest (id, story_id, published_at) AS ({newest}), "
        "ranked AS (SELECT id, story_id, ROW_NUMBER() OVER "
        "(ORDER BY published_at DESC, id DESC) - 1 AS position FROM newest) "
        + " UNION ALL ".join(branches)
    )


def _related_by_sql(tags, article, limit):
    """related_articles in SQL: every public article can take part."""
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
        .for_cards()[:limit]
    )
