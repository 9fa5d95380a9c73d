"""SQLite connections and tables are set up the way the search relies on."""

import pytest
from django.conf import settings
from django.db import connection

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite connection settings"
)


def pragma(name):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@sqlite_only
@pytest.mark.django_db
def test_each_connection_keeps_its_page_cache_and_temporary_tables_in_memory():
    assert pragma("cache_size") == -settings.SQLITE_CACHE_KIB
    assert pragma("temp_store") == 2  # MEMORY
    assert pragma("synchronous") == 1  # NORMAL


@sqlite_only
@pytest.mark.django_db
def test_the_article_body_is_the_last_column_of_its_row():
    # Columns after a long body would be read through its overflow pages.
    with connection.cursor() as cursor:
        cursor.execute('PRAGMA table_info("articles_article")')
        columns = [row[1] for row in cursor.fetchall()]
    assert columns[-1] == "body"
    assert {"status", "published_at", "language", "source_id"} < set(columns[:-1])
