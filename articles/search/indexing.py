"""Keeping the search index in step with articles, inside the caller's transaction."""

import html
import re
from dataclasses import dataclass

from django.db import connection, transaction

from articles.pagecache import content_changed

from . import text
from .backends import backend
from .facets import among, facet_keys
from .keys import entity_keys, field_keys

BATCH = 500


@dataclass(frozen=True)
class Document:
    """Space-separated terms per weighted field, as both engines store them,
    and the article's filter keys (`keys.py`), stored with no weight in rank."""

    article_id: int
    title: str
    names: str
    lead: str
    body: str
    keys: str


TAG = re.compile(r"<[^>]*>")


def plain_text(markup):
    """Sanitised article HTML as the words a reader sees.

    The body has been through nh3, so every tag is well formed and a pattern
    finds them all (many times faster than an HTML parser). A tag becomes a
    space: the last word of a paragraph and the first of the next stay apart.
    """
    return html.unescape(TAG.sub(" ", markup or ""))


def entity_names(article):
    """Every name and alias of every tagged entity (tags must be prefetched)."""
    from articles.models import TAG_FIELDS
    from articles.taglists import tags_of

    names = []
    for field in TAG_FIELDS:
        for entity in tags_of(article, field):
            names.extend(entity_all_names(entity))
    return names


def entity_all_names(entity):
    if hasattr(entity, "all_names"):
        return entity.all_names()
    return [str(entity)]


def article_keys(article):
    """The filter keys of every tag of `article` (tags must be prefetched) and
    of its events' kinds, then of its source, language and year."""
    from articles.models import TAG_FIELDS
    from articles.taglists import tags_of

    keys = [
        key
        for field in TAG_FIELDS
        for entity in tags_of(article, field)
        for key in entity_keys(field, entity)
    ]
    # Two events of one kind give its key once.
    return " ".join(dict.fromkeys(keys + field_keys(article)))


def build_document(article):
    def terms(value):
        return " ".join(text.document_terms(value, article.language))

    return Document(
        article_id=article.pk,
        title=terms(article.title),
        names=" ".join(text.name_terms(entity_names(article))),
        lead=terms(article.lead),  # the lead is plain text, not HTML
        body=terms(plain_text(article.body)),
        keys=article_keys(article),
    )


def reindex_articles(ids):
    """Rebuild the index rows of the articles with these ids, in batches.

    Only articles with the published status are indexed (those scheduled for
    later too: they become public without a write); a draft or archived article
    has no row, so counting matches never needs the article table. Runs in the
    caller's transaction (or its own), so an article and its index row are
    written together or not at all. Ids of deleted articles are ignored.
    """
    from articles.models import TAG_FIELDS, Article

    ids = list(ids)
    engine = backend()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            batch = Article.objects.filter(
                pk__in=chunk, status=Article.Status.PUBLISHED
            ).order_by()
            published = list(batch.prefetch_related(*TAG_FIELDS))
            documents = [build_document(article) for article in published]
            engine.write(cursor, chunk, documents)
            write_facet_keys(cursor, chunk, published)
    # What the portal's cached pages found may have changed (a rebuild after a
    # change to the search rules changes no article).
    content_changed()
    return len(ids)


def write_facet_keys(cursor, ids, published):
    """Replace the facet keys of `ids` by those of the `published` articles
    among them (tags prefetched): a draft or archived article has none."""
    from articles.models import FacetKeys

    # One DELETE: the ORM's would read every row back first, to send each a
    # post_delete signal, since the page cache listens to every model's.
    table = connection.ops.quote_name(FacetKeys._meta.db_table)
    condition, params = among("article_id", ids)
    cursor.execute(f"DELETE FROM {table} WHERE {condition}", params)
    FacetKeys.objects.bulk_create(
        FacetKeys(article_id=article.pk, keys=facet_keys(article))
        for article in published
    )


def unindex_deleted_article(sender, instance, **kwargs):
    """post_delete receiver: drop the article's index rows (SQLite keeps them in
    tables of their own; on PostgreSQL they went with the row)."""
    with connection.cursor() as cursor:
        backend().forget(cursor, [instance.pk])


def index_article(article):
    """Index one saved article (its tags are read from the database)."""
    return reindex_articles([article.pk])
