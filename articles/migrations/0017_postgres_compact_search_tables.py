"""PostgreSQL: the two search tables rewritten compactly after 0015 and 0016.

Those migrations update every row of both tables, which leaves each row's old
version behind: the tables double in size and the live rows end up spread over
twice the pages. On the 100,000-article benchmark corpus, searches filtered by
a country took 12% longer on the migrated tables than on the same rows written
once (docs/benchmarks.md); `VACUUM FULL` writes them again, packed. It cannot run
inside a transaction, so this migration is not atomic; it holds each table
locked while it runs (31 s for both at 100,000 articles). SQLite: nothing to do.
"""

from django.db import migrations

TABLES = ("articles_searchdoc", "articles_searchstrong")


def compact(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"VACUUM FULL ANALYZE {table}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0016_search_field_filter_keys"),
    ]

    operations = [
        migrations.RunPython(compact, migrations.RunPython.noop),
    ]
