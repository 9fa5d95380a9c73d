"""SQLite: an index of each article's id with its status and publication time.

A filtered search intersects the articles its filters keep with the word's
matches, then keeps the public ones and sorts them by date. Reading status and
date from each article's row visits one table page per article (a page holds a
few rows: the lead and the start of the body are stored in it); this index
holds a hundred articles per page and answers the same check. On the 100,000
article benchmark corpus, searches filtered by an entity and sorted by date
took 18% less time (docs/benchmarks.md). PostgreSQL reads these columns from
its narrow search tables: nothing changes there.

A later migration that rebuilds the article table on SQLite (to alter one of
its fields) drops this index; `tests/articles/search/test_bounds.py` then fails
until it is created again.
"""

from django.db import migrations

INDEX = "article_public_by_id"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" '
        'ON "articles_article" ("id", "status", "published_at")'
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:
            # Planner statistics for the new index, as the others have.
            cursor.execute('ANALYZE "articles_article"')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_sqlite_facet_keys_by_rowid"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
