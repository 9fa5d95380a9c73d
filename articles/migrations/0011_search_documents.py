"""PostgreSQL's search vectors move out of the article table into narrow ones.

Counting the matches of a common word reads the table row of every match (a GIN
index cannot count alone). In the article table those rows are wide, so a count
read most of it. `articles_searchdoc` holds the article id, its publication time
and the full vector, kept out of line (TOAST): its rows are about 60 bytes, and
the 90,000 of a 100,000-article corpus fit in 7 MB. `articles_searchstrong`
holds the strong-field vector (title, names, lead; about 1 KB) in the row, so
ranking a common word's strong matches reads one page per match.

The tables are created and filled in SQL from the existing columns, then their
indexes are built and the old columns and GIN indexes dropped. Dropping a
column does not rewrite the article table: `VACUUM FULL articles_article`
returns the space, when the table can be locked that long.

On SQLite this changes the model state only: its index is in FTS5 tables, and
the unused, always empty vector columns stay in place (dropping them would
rewrite the whole article table for nothing).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

ROW = (
    "article_id bigint PRIMARY KEY "
    "REFERENCES articles_article (id) ON DELETE CASCADE, "
    "published_at timestamp with time zone NOT NULL"
)
# Only articles with the published status are indexed (those scheduled for
# later too); 0007 filled `search_strong` wherever there was a vector. Oldest
# first, so the newest rows lie together.
INDEXED = (
    "FROM articles_article WHERE status = 'published' "
    "AND search_vector IS NOT NULL ORDER BY published_at, id"
)
POSTGRES_FORWARD = [
    f"CREATE TABLE articles_searchdoc ({ROW}, vector tsvector NOT NULL)",
    # Every vector out of line, short articles' too: a row is about 60 bytes.
    "ALTER TABLE articles_searchdoc SET (toast_tuple_target = 128)",
    f"CREATE TABLE articles_searchstrong ({ROW}, strong tsvector NOT NULL)",
    # No statistics on the vectors: the planner then takes any term for a rare
    # one and always reads the matches from the GIN index. With them, it scans
    # a narrow table for a common term and reads every vector from TOAST to
    # test it (its cost model does not count that): 1.8 s instead of 13 ms.
    "ALTER TABLE articles_searchdoc ALTER COLUMN vector SET STATISTICS 0",
    "ALTER TABLE articles_searchstrong ALTER COLUMN strong SET STATISTICS 0",
    "INSERT INTO articles_searchdoc (article_id, published_at, vector) "
    f"SELECT id, published_at, search_vector {INDEXED}",
    "INSERT INTO articles_searchstrong (article_id, published_at, strong) "
    "SELECT id, published_at, "
    f"COALESCE(search_strong, ts_filter(search_vector, '{{a,b,c}}')) {INDEXED}",
    # A GIN build is far faster with room to collect its entries in memory.
    "SET LOCAL maintenance_work_mem = '256MB'",
    # No pending list (fastupdate): every search scans all of it, and a few
    # hundred reindexed articles in it made a count take over 2 s instead of
    # 50 ms; writing the entries at once cost no measurable import time.
    "CREATE INDEX searchdoc_vector_gin ON articles_searchdoc USING gin (vector) "
    "WITH (fastupdate = off)",
    "CREATE INDEX searchstrong_gin ON articles_searchstrong USING gin (strong) "
    "WITH (fastupdate = off)",
    "ANALYZE articles_searchdoc, articles_searchstrong",
    # A row follows its article's publication time and leaves with its
    # published status, whatever writes the article (the services reindex it
    # too; a raw UPDATE, a data fix in a shell, does not).
    "CREATE FUNCTION articles_search_follow_article() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.status = 'published' THEN "
    "UPDATE articles_searchdoc SET published_at = NEW.published_at "
    "WHERE article_id = NEW.id; "
    "UPDATE articles_searchstrong SET published_at = NEW.published_at "
    "WHERE article_id = NEW.id; "
    "ELSE DELETE FROM articles_searchdoc WHERE article_id = NEW.id; "
    "DELETE FROM articles_searchstrong WHERE article_id = NEW.id; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER articles_search_follow_article "
    "AFTER UPDATE OF status, published_at ON articles_article FOR EACH ROW "
    "WHEN (OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.published_at IS DISTINCT FROM NEW.published_at) "
    "EXECUTE FUNCTION articles_search_follow_article()",
    "DROP INDEX IF EXISTS article_search_vector_gin",
    "DROP INDEX IF EXISTS article_search_strong_gin",
    "ALTER TABLE articles_article DROP COLUMN search_vector, "
    "DROP COLUMN search_strong",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector NULL, "
    "ADD COLUMN search_strong tsvector NULL",
    "UPDATE articles_article SET search_vector = doc.vector, "
    "search_strong = strong.strong FROM articles_searchdoc AS doc "
    "JOIN articles_searchstrong AS strong USING (article_id) "
    "WHERE doc.article_id = articles_article.id",
    "CREATE INDEX article_search_vector_gin "
    "ON articles_article USING gin (search_vector)",
    "CREATE INDEX article_search_strong_gin "
    "ON articles_article USING gin (search_strong)",
    "DROP TRIGGER articles_search_follow_article ON articles_article",
    "DROP FUNCTION articles_search_follow_article()",
    "DROP TABLE articles_searchdoc, articles_searchstrong",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_sqlite_body_last")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(run(POSTGRES_FORWARD), run(POSTGRES_BACKWARD))
            ],
            state_operations=[
                migrations.RemoveField(model_name="article", name="search_vector"),
                migrations.RemoveField(model_name="article", name="search_strong"),
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        (
                            "article",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="articles.article",
                            ),
                        ),
                        ("published_at", models.DateTimeField()),
                        (
                            "vector",
                            django.contrib.postgres.search.SearchVectorField(),
                        ),
                    ],
                    options={
                        "db_table": "articles_searchdoc",
                        "required_db_vendor": "postgresql",
                        "ordering": ["-published_at", "-article"],
                        "abstract": False,
                        "indexes": [
                            django.contrib.postgres.indexes.GinIndex(
                                fields=["vector"], name="searchdoc_vector_gin", fastupdate=False
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SearchStrong",
                    fields=[
                        (
                            "article",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="articles.article",
                            ),
                        ),
                        ("published_at", models.DateTimeField()),
                        (
                            "strong",
                            django.contrib.postgres.search.SearchVectorField(),
                        ),
                    ],
                    options={
                        "db_table": "articles_searchstrong",
                        "required_db_vendor": "postgresql",
                        "ordering": ["-published_at", "-article"],
                        "abstract": False,
                        "indexes": [
                            django.contrib.postgres.indexes.GinIndex(
                                fields=["strong"], name="searchstrong_gin", fastupdate=False
                            ),
                        ],
                    },
                ),
            ],
        )
    ]
