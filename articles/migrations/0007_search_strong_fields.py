"""A second, small index of the strong fields (title, entity names, lead).

Ranking reads every match it ranks; for a term found in a large share of the
corpus, the strong fields alone hold the best matches in a far smaller set.
SQLite: a second FTS5 table filled from the first. PostgreSQL: a stored
tsvector of the title, names and lead lexemes (weights A, B, C) with a GIN index.
"""

import django.contrib.postgres.search
from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE article_search_strong USING fts5("
    "title, names, lead, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO article_search_strong (article_search_strong, rank) "
    "VALUES ('rank', 'bm25(10.0, 5.0, 2.0)')",
    "INSERT INTO article_search_strong (rowid, title, names, lead) "
    "SELECT rowid, title, names, lead FROM article_search_fts",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS article_search_strong"]

POSTGRES_FORWARD = [
    "UPDATE articles_article SET search_strong = ts_filter(search_vector, '{a,b,c}') "
    "WHERE search_vector IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS article_search_strong_gin "
    "ON articles_article USING gin (search_strong)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS article_search_strong_gin"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_merge_20261123_1512")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_strong",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
