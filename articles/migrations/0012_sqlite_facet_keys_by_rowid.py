"""SQLite: the facet keys are stored by article id as the table's own key.

SQLite keys a table by its rowid; only a column declared exactly `INTEGER
PRIMARY KEY` is that rowid. Django declares this one `bigint`, so each article
was found through a separate index and then looked up again in the table: two
searches of a tree per article, and a search counts the facets of up to 1,000
articles. Rebuilt with `integer`, the id is the rowid and one search finds the
row. PostgreSQL has no rowid: nothing changes there.

A later migration that rebuilds this table on SQLite (to alter one of its
fields) would declare it `bigint` again; this one then needs repeating.
"""

from django.db import migrations

TABLE = "articles_facetkeys"
COPY = "articles_facetkeys__rowid"


def keyed_by_rowid(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE TABLE {quote(COPY)} ({quote('article_id')} integer NOT NULL "
        f"PRIMARY KEY REFERENCES {quote('articles_article')} ({quote('id')}) "
        f"DEFERRABLE INITIALLY DEFERRED, {quote('keys')} text NOT NULL)"
    )
    schema_editor.execute(
        f"INSERT INTO {quote(COPY)} (article_id, keys) "
        f"SELECT article_id, keys FROM {quote(TABLE)}"
    )
    schema_editor.execute(f"DROP TABLE {quote(TABLE)}")
    schema_editor.execute(f"ALTER TABLE {quote(COPY)} RENAME TO {quote(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_search_documents"),
    ]

    operations = [
        migrations.RunPython(keyed_by_rowid, migrations.RunPython.noop),
    ]
