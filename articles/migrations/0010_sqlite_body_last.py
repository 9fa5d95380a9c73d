"""SQLite: the article body becomes the last column of its row.

SQLite stores a row's columns in order and keeps what does not fit in a page in
a chain of overflow pages; reading a column placed after a long body means
walking that chain. Status, date, language and source used to come after the
body, so every check of them on a row (filters, sorting by date) read the whole
body first. PostgreSQL keeps long values out of line: nothing changes there.
"""

import sys

from django.db import migrations, models


def body_last(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    Article = apps.get_model("articles", "Article")
    body = Article._meta.get_field("body")
    moved = body.clone()
    moved.set_attributes_from_name("body")
    # Fields are laid out by creation order: the links from an article to other
    # articles are recreated while the table is rebuilt, so the body is placed
    # after every field by hand.
    moved.creation_counter = sys.maxsize
    schema_editor._remake_table(Article, alter_fields=[(body, moved)])
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:
            # The copy has no planner statistics; without them SQLite picks
            # worse plans than before the move.
            cursor.execute('ANALYZE "articles_article"')


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_article_language_recent"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField("article", "body"),
                migrations.AddField(
                    "article",
                    "body",
                    models.TextField(blank=True, help_text="Sanitised HTML."),
                ),
            ],
        ),
        migrations.RunPython(body_last, migrations.RunPython.noop),
    ]
