"""Search storage per engine: an FTS5 table on SQLite; a GIN index and pg_trgm on
PostgreSQL. Each half does nothing on the other database."""

from django.db import migrations

SQLITE_FORWARD = [
    # Terms are prepared by articles.search.text (folded and stemmed) before they
    # arrive; the tokenizer only splits them. rowid is the article id.
    "CREATE VIRTUAL TABLE article_search_fts USING fts5("
    "title, names, lead, body, tokenize = 'unicode61 remove_diacritics 2')",
    # bm25 weights: title, entity names, lead, body. ORDER BY rank uses them.
    "INSERT INTO article_search_fts (article_search_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 5.0, 2.0, 1.0)')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS article_search_fts",
]

POSTGRES_FORWARD = [
    # similarity() for "did you mean" on entity names. Accents and Azerbaijani
    # letters are folded in Python before terms reach either engine, so neither
    # unaccent nor an immutable wrapper around it is needed.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # search_vector @@ tsquery: every text search.
    "CREATE INDEX IF NOT EXISTS article_search_vector_gin "
    "ON articles_article USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS article_search_vector_gin",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_editorial_groups")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
