"""SQLite: each full-text row gains a column of filter keys, weighted 0.

A search filtered by a tag (a country, a person...) intersected two lists SQLite
builds apart: the word's matches and the tag's articles. With the article's tags
written as tokens of its own index row, FTS5 intersects its own lists of the two
(`articles.search.keys.filter_key`; docs/search.md, "The two engines"). Weighted 0,
the keys add nothing to a rank.

An FTS5 table cannot gain a column, so both are rebuilt: the new table is
filled from the old one's stored terms and the keys read from the tag tables,
then takes its name and is compacted. PostgreSQL: nothing changes.
"""

from collections import defaultdict

from django.db import migrations

# A copy of `articles.search.indexing` as of this migration.
KEY_PREFIX = "\ue000"
TAG_FIELDS = ("people", "countries", "organizations", "events", "agreements", "topics")
KEYED_BY = {"countries": "code"}
TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"
# Table -> its columns before this migration, and their bm25 weights.
TABLES = {
    "article_search_fts": (("title", "names", "lead", "body"), "10.0, 5.0, 2.0, 1.0"),
    "article_search_strong": (("title", "names", "lead"), "10.0, 5.0, 2.0"),
}
KEYS = "article_filter_keys"


def filter_key(field_name, value):
    value = str(value).lower()
    if not (value.isascii() and value.isalnum()):
        return None
    return f"{KEY_PREFIX}{field_name}{value}"


def keys_by_article(Article):
    """{article id: its filter keys, space-separated}, from the tag tables."""
    keys = defaultdict(list)
    for field_name in TAG_FIELDS:
        field = Article._meta.get_field(field_name)
        entity = field.m2m_reverse_field_name()
        if field_name in KEYED_BY:
            entity += "__" + KEYED_BY[field_name]
        rows = field.remote_field.through.objects.values_list(
            field.m2m_field_name(), entity
        )
        for article_id, value in rows.iterator(chunk_size=10_000):
            key = filter_key(field_name, value)
            if key:
                keys[article_id].append(key)
    return {article_id: " ".join(found) for article_id, found in keys.items()}


def rebuild(cursor, table, with_keys):
    columns, weights = TABLES[table]
    new = f"{table}__new"
    written = ", ".join(columns + ("keys",) if with_keys else columns)
    cursor.execute(f"CREATE VIRTUAL TABLE {new} USING fts5({written}, {TOKENIZER})")
    weights += ", 0.0" if with_keys else ""
    cursor.execute(
        f"INSERT INTO {new} ({new}, rank) VALUES ('rank', 'bm25({weights})')"
    )
    read = ", ".join(f"doc.{column}" for column in columns)
    if with_keys:
        read += ", coalesce(found.keys, '')"
        source = f"{table} AS doc LEFT JOIN temp.{KEYS} AS found ON found.id = doc.rowid"
    else:
        source = f"{table} AS doc"
    cursor.execute(
        f"INSERT INTO {new} (rowid, {written}) SELECT doc.rowid, {read} FROM {source}"
    )
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {table}")
    cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def add_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    keys = keys_by_article(apps.get_model("articles", "Article"))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {KEYS} (id INTEGER PRIMARY KEY, keys TEXT NOT NULL)"
        )
        cursor.executemany(f"INSERT INTO temp.{KEYS} VALUES (%s, %s)", keys.items())
        for table in TABLES:
            rebuild(cursor, table, with_keys=True)
        cursor.execute(f"DROP TABLE temp.{KEYS}")


def drop_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            rebuild(cursor, table, with_keys=False)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_sqlite_article_public_by_id"),
    ]

    operations = [
        migrations.RunPython(add_keys, drop_keys),
    ]
