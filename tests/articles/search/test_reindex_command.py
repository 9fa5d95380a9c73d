import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.search import bulk, reindex_articles, reindex_in_chunks, search_articles
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


def test_command_indexes_rows_written_without_services(capsys):
    # Factories (like loaddata) write rows without going through the services.
    article = PublishedArticleFactory(title="Lighthouse keepers")
    assert search_articles("lighthouse").total == 0
    call_command("search_reindex")
    assert [hit.article for hit in search_articles("lighthouse").hits] == [article]
    assert "Indexed 1 article(s)" in capsys.readouterr().out


def test_deleted_article_is_not_found(publish):
    article = publish(title="Lighthouse keepers")
    article.delete()
    assert search_articles("lighthouse").total == 0
    call_command("search_reindex")
    assert search_articles("lighthouse").total == 0


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several writers need PostgreSQL"
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's single writer"
)


def test_jobs_must_be_at_least_one():
    with pytest.raises(CommandError, match="--jobs must be at least 1"):
        call_command("search_reindex", jobs=0)


@sqlite_only
def test_several_jobs_are_refused_on_sqlite():
    with pytest.raises(CommandError, match="SQLite allows one writer"):
        call_command("search_reindex", jobs=2)
    with pytest.raises(ValueError, match="one writer"):
        list(reindex_in_chunks([1, 2], chunk_size=1, jobs=2))


def test_one_job_reports_progress_after_each_chunk():
    articles = PublishedArticleFactory.create_batch(5, title="Lighthouse keepers")
    ids = [article.pk for article in articles]
    assert list(reindex_in_chunks(ids, chunk_size=2)) == [2, 4, 5]
    assert search_articles("lighthouse").total == 5


# Worker processes read committed rows only, hence a test that really commits.
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_several_jobs_index_every_article():
    articles = PublishedArticleFactory.create_batch(7, title="Lighthouse keepers")
    progress = list(reindex_in_chunks([a.pk for a in articles], chunk_size=2, jobs=2))
    # One report per chunk, in the order chunks finish: a running total.
    assert len(progress) == 4 and progress[-1] == 7
    assert progress == sorted(set(progress))
    assert search_articles("lighthouse").total == 7


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_worker_stops_the_run(monkeypatch):
    articles = PublishedArticleFactory.create_batch(4, title="Lighthouse keepers")

    def fail_on_last(ids):
        if articles[-1].pk in ids:
            raise RuntimeError("disk full")
        return reindex_articles(ids)

    # Workers are forked after the patch, so they run it too.
    monkeypatch.setattr(bulk, "reindex_articles", fail_on_last)
    with pytest.raises(RuntimeError, match="disk full"):
        list(reindex_in_chunks([a.pk for a in articles], chunk_size=1, jobs=2))
    assert search_articles("lighthouse").total < 4


def data_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}_data")
        return cursor.fetchone()[0]


@sqlite_only
def test_compacting_merges_the_index_segments_and_keeps_every_match():
    from articles.search import compact_index
    from articles.search.backends import FTS_TABLE, STRONG_TABLE

    # Each reindex in its own call adds a segment to both FTS5 tables.
    for article in PublishedArticleFactory.create_batch(12, title="Lighthouse keepers"):
        reindex_articles([article.pk])
    before = {table: data_rows(table) for table in (FTS_TABLE, STRONG_TABLE)}
    compact_index()
    for table, rows in before.items():
        assert data_rows(table) < rows
    assert search_articles("lighthouse").total == 12


@sqlite_only
def test_command_removes_index_rows_of_deleted_articles_from_both_tables(capsys):
    from articles.search.backends import FTS_TABLE, STRONG_TABLE

    PublishedArticleFactory(title="Lighthouse keepers")
    with connection.cursor() as cursor:
        for table in (FTS_TABLE, STRONG_TABLE):
            cursor.execute(
                f"INSERT INTO {table} (rowid, title) VALUES (987654, 'orphan')"
            )
    call_command("search_reindex")
    out = capsys.readouterr().out
    assert "removed 2 row(s) of deleted articles" in out
    assert "Compacting the index" in out
    with connection.cursor() as cursor:
        for table in (FTS_TABLE, STRONG_TABLE):
            cursor.execute(f"SELECT count(*) FROM {table} WHERE rowid = 987654")
            assert cursor.fetchone()[0] == 0


SEARCH_INDEXES = ("searchdoc_vector_gin", "searchstrong_gin")


def index_definitions():
    """{name: CREATE INDEX statement} of the search tables' GIN indexes present."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(SEARCH_INDEXES)],
        )
        return dict(cursor.fetchall())


@postgres_only
def test_an_empty_index_is_rebuilt_with_its_gin_indexes_built_at_the_end(capsys):
    from articles.search import bulk_rebuild

    before = index_definitions()
    assert set(before) == set(SEARCH_INDEXES)
    articles = PublishedArticleFactory.create_batch(3, title="Lighthouse keepers")
    with bulk_rebuild() as deferred:
        assert deferred
        assert index_definitions() == {}
        list(reindex_in_chunks([a.pk for a in articles], chunk_size=2))
    # The same definitions as the migrations' (GIN, no pending list).
    assert index_definitions() == before
    assert "fastupdate=off" in before["searchdoc_vector_gin"]
    assert search_articles("lighthouse").total == 3
    # The planner has statistics of the tables just filled.
    assert analyzed_tables() == {"articles_searchdoc", "articles_searchstrong"}


def analyzed_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tablename FROM pg_stats WHERE tablename = ANY(%s)",
            [["articles_searchdoc", "articles_searchstrong"]],
        )
        return {row[0] for row in cursor.fetchall()}


@postgres_only
def test_the_command_says_when_it_builds_the_gin_indexes_at_the_end(capsys):
    PublishedArticleFactory(title="Lighthouse keepers")
    call_command("search_reindex")
    assert "database indexes are built once" in capsys.readouterr().out
    assert set(index_definitions()) == set(SEARCH_INDEXES)
    assert search_articles("lighthouse").total == 1


@postgres_only
def test_an_index_with_rows_keeps_its_gin_indexes_while_rebuilt(publish, capsys):
    from articles.search import bulk_rebuild

    article = publish(title="Lighthouse keepers")
    with bulk_rebuild() as deferred:
        assert not deferred
        assert set(index_definitions()) == set(SEARCH_INDEXES)
        list(reindex_in_chunks([article.pk], chunk_size=1))
    call_command("search_reindex")
    assert "built once" not in capsys.readouterr().out
    assert search_articles("lighthouse").total == 1


@postgres_only
def test_a_rebuild_that_fails_still_builds_the_gin_indexes():
    from articles.search import bulk_rebuild

    with pytest.raises(RuntimeError, match="disk full"):
        with bulk_rebuild():
            raise RuntimeError("disk full")
    assert set(index_definitions()) == set(SEARCH_INDEXES)


@postgres_only
def test_compacting_builds_a_gin_index_a_killed_rebuild_left_missing(publish):
    from articles.search import compact_index

    article = publish(title="Lighthouse keepers")
    before = index_definitions()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX searchstrong_gin")
    compact_index()
    assert index_definitions() == before
    assert [hit.article for hit in search_articles("lighthouse").hits] == [article]


@sqlite_only
def test_sqlite_defers_nothing():
    from articles.search import bulk_rebuild

    with bulk_rebuild() as deferred:
        assert not deferred
