"""The links an article shows, for many articles in one query.

An article's tags (six relations) and the other-language versions of its story
(two more) cost a query each through prefetch_related: eight per page. Every one
of those rows is a link made of the same few columns (id, slug, the name shown
and at most one more field), so one UNION ALL reads them all, each branch ranked
in its model's own order: the six tag branches as `articles.taglists` writes
them (SQL written out once per database, not built through the ORM per page,
which took about as long as running it), then the published versions.
"""

import functools
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, IntegerField, Value, Window
from django.db.models.functions import RowNumber

from ..models import Article
from ..taglists import set_prefetched, shown_maker, union_sql

# Tag fields, in the order of their branches (their kind is the position).
TAG_LINKS = ("people", "countries", "organizations", "events", "agreements", "topics")
VERSIONS = len(TAG_LINKS)
# What a version's link shows, in the branches' text columns.
VERSION_FIELDS = ("title", "slug", "language")


def load_links(articles):
    """Give each article its tags (as if prefetched) and `public_versions` for the
    root of its story, in one query for all of them. Articles already given them
    are left alone; with none left, no query runs."""
    articles = [article for article in articles if not _has_links(article)]
    if not articles:
        return
    roots = {article.story_id or article.pk for article in articles}
    rows = _link_rows([article.pk for article in articles], roots, articles[0])
    for article in articles:
        for kind, name in enumerate(TAG_LINKS):
            set_prefetched(article, name, rows[kind, article.pk])
        _root(article).public_versions = rows[VERSIONS, _root(article).pk]


def _has_links(article):
    cached = getattr(article, "_prefetched_objects_cache", {})
    return all(name in cached for name in TAG_LINKS) and hasattr(
        _root(article), "public_versions"
    )


def _root(article):
    """The original of the article's story (the article itself if it is one)."""
    return article if article.story_id is None else article.story


def _link_rows(article_ids, root_ids, sample):
    """{(kind, owner id): [instances in their model's order]}; kind is the
    position of the tag field in TAG_LINKS, or VERSIONS."""
    db = sample._state.db or DEFAULT_DB_ALIAS
    tags = union_sql(Article, TAG_LINKS, db)
    tags = tags.format(ids=", ".join(["%s"] * len(article_ids)))
    versions, version_params = _version_branch(root_ids, db).query.sql_with_params()
    params = [*article_ids * len(TAG_LINKS), *version_params]
    with connections[db].cursor() as cursor:
        cursor.execute(f"{tags} UNION ALL {versions}", params)
        rows = cursor.fetchall()
    makers = [
        shown_maker(Article._meta.get_field(name).related_model, db)
        for name in TAG_LINKS
    ]
    ranked = defaultdict(list)
    for owner, kind, rank, pk, *texts in rows:
        if kind != VERSIONS:
            item = makers[kind](pk, texts)
        else:
            item = _version(owner, pk, texts, db)
        ranked[kind, owner].append((rank, item))
    links = defaultdict(list)
    for key, items in ranked.items():
        links[key] = [item for _, item in sorted(items, key=lambda pair: pair[0])]
    return links


def _version_branch(root_ids, db):
    """The published versions of the stories, in the columns of a tag branch.

    Through the ORM, so that "published" keeps its one definition. Ids first,
    through the story index: given `story_id IN (...)` next to the published
    conditions, SQLite walks the status index over every published article
    instead (55 ms against 1 ms at 10,000 articles).
    """
    versions = Article.objects.using(db).filter(story_id__in=root_ids).values("pk")
    columns = {
        "link_owner": F("story_id"),
        "link_kind": Value(VERSIONS, IntegerField()),
        "link_rank": Window(RowNumber(), order_by=[*_ordering(Article), F("id").asc()]),
        "link_id": F("id"),
    }
    columns.update({f"link_{name}": F(name) for name in VERSION_FIELDS})
    return (
        Article.objects.using(db)
        .published()
        .filter(pk__in=versions)
        .order_by()
        .annotate(**columns)
        .values_list(*columns)
    )


def _ordering(model):
    """The model's Meta.ordering as expressions."""
    return [
        F(name.lstrip("-")).desc() if name.startswith("-") else F(name).asc()
        for name in model._meta.ordering
    ]


def _version(owner, pk, texts, db):
    """A version with its id, story and the fields of its link (like .only())."""
    loaded = dict(zip(VERSION_FIELDS, texts, strict=True))
    loaded.update(id=pk, story_id=owner)
    names = _version_names()
    return Article.from_db(db, names, [loaded[name] for name in names])


@functools.cache
def _version_names():
    """The fields a version's link loads, in the order of the article's fields."""
    loaded = {"id", "story_id", *VERSION_FIELDS}
    return [f.attname for f in Article._meta.concrete_fields if f.attname in loaded]
