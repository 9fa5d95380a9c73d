"""Both engines: each search index row gains the filter keys of its article's
source, language, year of publication and events' kinds, beside those of its
tags (0014, 0015).

A search narrowed by one of them (the search page's source, language, year and
event kind facets) is then answered inside the full-text index, as one narrowed
by a tag is (`articles.search.keys`). The year is that of the site's time zone
(TIME_ZONE), as the year facet counts it.

SQLite: an FTS5 row cannot change one column alone, so both tables are
rebuilt from their stored terms, as 0014 did. PostgreSQL: the keys are added to
each vector in SQL, with its GIN index dropped first and built again after.
"""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# A copy of `articles.search.keys` as of this migration.
KEY_PREFIX = "\ue000"
FIELD_KEYS = ("source", "language", "year", "eventkind")
TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"
# Table -> its columns, and their bm25 weights (the keys weigh nothing).
TABLES = {
    "article_search_fts": (
        ("title", "names", "lead", "body", "keys"),
        "10.0, 5.0, 2.0, 1.0, 0.0",
    ),
    "article_search_strong": (("title", "names", "lead", "keys"), "10.0, 5.0, 2.0, 0.0"),
}
KEYS = "article_filter_keys"
PG_KEY_PREFIX = "chr(57344)"
PG_INDEXES = {
    "articles_searchdoc": ("vector", "searchdoc_vector_gin"),
    "articles_searchstrong": ("strong", "searchstrong_gin"),
}
BATCH = 10_000


def filter_key(field_name, value):
    value = str(value).lower()
    if not (value.isascii() and value.isalnum()):
        return None
    return f"{KEY_PREFIX}{field_name}{value}"


def field_keys(source_id, language, published_at):
    keys = [filter_key("language", language)]
    if source_id is not None:
        keys.append(filter_key("source", source_id))
    if published_at is not None:
        local = timezone.localtime(published_at, timezone.get_default_timezone())
        keys.append(filter_key("year", local.year))
    return [key for key in keys if key]


def event_kind_key(kind):
    return filter_key("eventkind", kind.replace("_", ""))


def event_kind_keys(Article):
    """{article id: [the keys of its events' kinds]}."""
    field = Article._meta.get_field("events")
    rows = field.remote_field.through.objects.values_list(
        field.m2m_field_name(), f"{field.m2m_reverse_field_name()}__kind"
    )
    keys = {}
    for article_id, kind in rows.iterator(chunk_size=BATCH):
        key = event_kind_key(kind)
        if key:
            keys.setdefault(article_id, {})[key] = None
    return {article_id: list(found) for article_id, found in keys.items()}


def is_field_key(key):
    return key.startswith(tuple(KEY_PREFIX + name for name in FIELD_KEYS))


# -- SQLite ---------------------------------------------------------------


def sqlite_rebuild(cursor, table):
    """Rebuild `table` with the keys of temp.KEYS (each row's whole keys; a
    row without an article there keeps its own)."""
    columns, weights = TABLES[table]
    new = f"{table}__new"
    written = ", ".join(columns)
    cursor.execute(f"CREATE VIRTUAL TABLE {new} USING fts5({written}, {TOKENIZER})")
    cursor.execute(
        f"INSERT INTO {new} ({new}, rank) VALUES ('rank', 'bm25({weights})')"
    )
    read = ", ".join(f"doc.{column}" for column in columns[:-1])
    cursor.execute(
        f"INSERT INTO {new} (rowid, {written}) SELECT doc.rowid, {read}, "
        f"coalesce(found.keys, doc.keys) FROM {table} AS doc "
        f"LEFT JOIN temp.{KEYS} AS found ON found.id = doc.rowid"
    )
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {table}")
    cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def sqlite_change_keys(Article, schema_editor, change):
    """Give every index row the keys `change(its keys, its article's keys of
    this migration)` and rebuild both tables with them."""
    kinds = event_kind_keys(Article)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {KEYS} (id INTEGER PRIMARY KEY, keys TEXT NOT NULL)"
        )
        cursor.execute(
            "SELECT doc.rowid, doc.keys, article.source_id, article.language, "
            "article.published_at FROM article_search_fts AS doc "
            "JOIN articles_article AS article ON article.id = doc.rowid"
        )
        while rows := cursor.fetchmany(BATCH):
            written = [
                (
                    pk,
                    change(
                        keys,
                        kinds.get(pk, [])
                        + field_keys(source_id, language, _moment(moment)),
                    ),
                )
                for pk, keys, source_id, language, moment in rows
            ]
            with schema_editor.connection.cursor() as writer:
                writer.executemany(f"INSERT INTO temp.{KEYS} VALUES (%s, %s)", written)
        for table in TABLES:
            sqlite_rebuild(cursor, table)
        cursor.execute(f"DROP TABLE temp.{KEYS}")


def _moment(stored):
    """An aware datetime from what SQLite gives for a stored time (UTC: a
    naive datetime, or text), or None."""
    if stored is None:
        return None
    moment = parse_datetime(stored) if isinstance(stored, str) else stored
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def with_field_keys(keys, added):
    kept = [key for key in keys.split() if not is_field_key(key)]
    return " ".join(kept + added)


def without_field_keys(keys, _added):
    return " ".join(key for key in keys.split() if not is_field_key(key))


# -- PostgreSQL -----------------------------------------------------------


def postgres_keys_sql(Article, quote):
    """The array of the keys of this migration of an article (`article`), in
    SQL: its events' kinds, then its own fields, the year in the time zone
    given as the one parameter."""
    prefix = PG_KEY_PREFIX
    field = Article._meta.get_field("events")
    through = field.remote_field.through._meta
    owner = quote(through.get_field(field.m2m_field_name()).column)
    event = quote(through.get_field(field.m2m_reverse_field_name()).column)
    kind = "lower(replace(e.kind, '_', ''))"
    kinds = (
        f"ARRAY(SELECT DISTINCT {prefix} || 'eventkind' || {kind} "
        f"FROM {quote(through.db_table)} AS l "
        f"JOIN {quote(field.related_model._meta.db_table)} AS e ON e.id = l.{event} "
        f"WHERE l.{owner} = article.id AND {kind} ~ '^[a-z0-9]+$')"
    )
    own = (
        "array_remove(ARRAY["
        f"CASE WHEN lower(article.language) ~ '^[a-z0-9]+$' "
        f"THEN {prefix} || 'language' || lower(article.language) END, "
        f"{prefix} || 'source' || article.source_id, "
        f"{prefix} || 'year' || "
        "extract(year FROM article.published_at AT TIME ZONE %s)::int"
        "], NULL)"
    )
    return f"({kinds} || {own})"


def postgres_without_field_keys(column):
    prefixes = " OR ".join(
        f"starts_with(lexeme, {PG_KEY_PREFIX} || '{name}')" for name in FIELD_KEYS
    )
    return (
        f"ts_delete({column}, ARRAY(SELECT lexeme FROM unnest({column}) "
        f"WHERE {prefixes}))"
    )


def postgres_add_keys(Article, schema_editor):
    keys = postgres_keys_sql(Article, schema_editor.quote_name)
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for table, (column, index) in PG_INDEXES.items():
        schema_editor.execute(f"DROP INDEX {index}")
        schema_editor.execute(
            f"UPDATE {table} AS doc SET {column} = "
            f"{postgres_without_field_keys('doc.' + column)} || "
            f"array_to_tsvector({keys}) "
            "FROM articles_article AS article WHERE article.id = doc.article_id",
            [settings.TIME_ZONE],
        )
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING gin ({column}) "
            "WITH (fastupdate = off)"
        )
    schema_editor.execute("ANALYZE articles_searchdoc, articles_searchstrong")


def postgres_drop_keys(schema_editor):
    for table, (column, _index) in PG_INDEXES.items():
        schema_editor.execute(
            f"UPDATE {table} SET {column} = {postgres_without_field_keys(column)}"
        )


# -- Both ----------------------------------------------------------------


def add_keys(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        sqlite_change_keys(Article, schema_editor, with_field_keys)
    elif vendor == "postgresql":
        postgres_add_keys(Article, schema_editor)


def drop_keys(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        sqlite_change_keys(Article, schema_editor, without_field_keys)
    elif vendor == "postgresql":
        postgres_drop_keys(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_postgres_search_filter_keys"),
    ]

    operations = [
        migrations.RunPython(add_keys, drop_keys),
    ]
