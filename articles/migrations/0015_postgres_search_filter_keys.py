"""PostgreSQL: each search vector gains its article's filter keys as lexemes.

As on SQLite (0014), a search filtered by tags then lets the GIN index
intersect the word's articles with the tags' instead of joining the word's
matches with ids read from a tag table (`articles.search.keys`). The keys are
written as they are (`array_to_tsvector`: no parser, no position), so they
weigh nothing in `ts_rank` and no query word can be one.

Each vector is rewritten once, its GIN index dropped first and built again
after: updating an indexed row writes all its lexemes into the index again.
SQLite: nothing changes here.
"""

from django.db import migrations

# A copy of `articles.search.keys` as of this migration, in SQL.
KEY_PREFIX = "chr(57344)"
TAG_FIELDS = ("people", "countries", "organizations", "events", "agreements", "topics")
INDEXES = {
    "articles_searchdoc": ("vector", "searchdoc_vector_gin"),
    "articles_searchstrong": ("strong", "searchstrong_gin"),
}


def tag_keys_sql(Article, quote):
    """SELECT (article id, key) for every tag of every article."""
    branches = []
    for field_name in TAG_FIELDS:
        field = Article._meta.get_field(field_name)
        through = field.remote_field.through._meta
        article = quote(through.get_field(field.m2m_field_name()).column)
        entity = quote(through.get_field(field.m2m_reverse_field_name()).column)
        table = quote(through.db_table)
        if field_name == "countries":
            country = quote(field.related_model._meta.db_table)
            branches.append(
                f"SELECT tag.{article}, {KEY_PREFIX} || 'countries' || lower(c.code) "
                f"FROM {table} AS tag JOIN {country} AS c ON c.id = tag.{entity} "
                "WHERE c.code ~ '^[A-Za-z0-9]+$'"
            )
        else:
            branches.append(
                f"SELECT {article}, {KEY_PREFIX} || '{field_name}' || {entity} "
                f"FROM {table}"
            )
    return " UNION ALL ".join(branches)


def add_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Article = apps.get_model("articles", "Article")
    tags = tag_keys_sql(Article, schema_editor.quote_name)
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for table, (column, index) in INDEXES.items():
        schema_editor.execute(f"DROP INDEX {index}")
        schema_editor.execute(
            f"WITH tag (article_id, key) AS ({tags}), keyed AS "
            "(SELECT article_id, array_agg(key) AS keys FROM tag GROUP BY article_id) "
            f"UPDATE {table} AS doc SET {column} = doc.{column} || "
            "array_to_tsvector(keyed.keys) FROM keyed "
            "WHERE keyed.article_id = doc.article_id"
        )
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING gin ({column}) "
            "WITH (fastupdate = off)"
        )
    schema_editor.execute("ANALYZE articles_searchdoc, articles_searchstrong")


def drop_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (column, _index) in INDEXES.items():
        schema_editor.execute(
            f"UPDATE {table} SET {column} = ts_delete({column}, ARRAY(SELECT lexeme "
            f"FROM unnest({column}) WHERE starts_with(lexeme, {KEY_PREFIX})))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_sqlite_search_filter_keys"),
    ]

    operations = [
        migrations.RunPython(add_keys, drop_keys),
    ]
