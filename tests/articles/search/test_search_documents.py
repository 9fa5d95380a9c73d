"""PostgreSQL's narrow search table: one row per article with the published
status, in step with every write of the article, and the migration that moved
the vectors there."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search import search_articles
from articles.services import (
    article_archive,
    article_publish,
    article_save,
    article_unpublish,
)
from tests.factories import ArticleFactory, chief_editor

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps its index in FTS5"
)


def row(article):
    """(published_at, vector lexemes, strong lexemes) of the article's rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT doc.published_at, strong.published_at, "
            "tsvector_to_array(vector), tsvector_to_array(strong) "
            "FROM articles_searchdoc AS doc FULL JOIN articles_searchstrong "
            "AS strong USING (article_id) WHERE article_id = %s",
            [article.pk],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    assert found[0] == found[1], "both tables hold the same time"
    return found[0], set(found[2]), set(found[3])


def vectors_in_article_table(article):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text, search_strong::text FROM articles_article "
            "WHERE id = %s",
            [article.pk],
        )
        return cursor.fetchone()


def vectors_in_search_table(article, keys=True):
    """The article's two vectors, as text; `keys=False`: without its filter
    keys, which the article table's vectors never held."""
    vectors = ["vector", "strong"]
    if not keys:
        vectors = [
            f"ts_delete({v}, ARRAY(SELECT lexeme FROM unnest({v}) "
            f"WHERE starts_with(lexeme, chr(57344))))"
            for v in vectors
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(f'({v})::text' for v in vectors)} "
            "FROM articles_searchdoc "
            "JOIN articles_searchstrong USING (article_id) WHERE article_id = %s",
            [article.pk],
        )
        return cursor.fetchone()


@pytest.fixture
def draft(db):
    return ArticleFactory(
        title="Harbour cranes", lead="New cranes.", body="<p>Steel tender.</p>"
    )


def test_publishing_writes_the_row_with_the_publication_time(draft):
    assert row(draft) is None
    at = timezone.now() - datetime.timedelta(hours=3)
    article_publish(article=draft, user=chief_editor(), at=at)
    published_at, vector, strong = row(draft)
    assert published_at == at
    assert {"harbour", "new", "steel"} <= vector
    assert "harbour" in strong and "steel" not in strong


def test_edit_replaces_the_vectors_and_the_time(draft):
    user = chief_editor()
    article_publish(article=draft, user=user)
    draft.title = "Grain silos"
    later = timezone.now() + datetime.timedelta(days=1)
    draft.published_at = later
    article_save(article=draft, user=user)
    published_at, vector, strong = row(draft)
    assert published_at == later
    assert "grain" in strong and "harbour" not in vector


@pytest.mark.parametrize("leave", [article_unpublish, article_archive])
def test_leaving_the_published_status_removes_the_row(draft, leave):
    user = chief_editor()
    article_publish(article=draft, user=user)
    leave(article=draft, user=user)
    assert row(draft) is None
    assert search_articles("harbour").total == 0


def test_deleting_the_article_removes_the_row(draft):
    article_publish(article=draft, user=chief_editor())
    Article.objects.filter(pk=draft.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM articles_searchdoc), "
            "(SELECT count(*) FROM articles_searchstrong)"
        )
        assert cursor.fetchone() == (0, 0)


def test_a_raw_update_of_the_article_is_followed(draft):
    """A write past the services still moves the row's time or removes it."""
    article_publish(article=draft, user=chief_editor())
    later = timezone.now() + datetime.timedelta(days=2)
    Article.objects.filter(pk=draft.pk).update(published_at=later)
    assert row(draft)[0] == later
    assert search_articles("harbour").total == 0  # scheduled: not public yet
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.ARCHIVED)
    assert row(draft) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_the_vectors_both_ways():
    user = chief_editor()
    published = ArticleFactory(title="Harbour cranes", lead="New cranes.")
    article_publish(article=published, user=user)
    draft = ArticleFactory(title="Harbour plans")
    before = vectors_in_search_table(published)
    without_keys = vectors_in_search_table(published, keys=False)
    assert without_keys != before  # the language's and the year's keys
    call_command("migrate", "articles", "0007", verbosity=0)
    assert vectors_in_article_table(published) == without_keys
    assert vectors_in_article_table(draft) == (None, None)
    call_command("migrate", verbosity=0)
    assert vectors_in_search_table(published) == before
    assert vectors_in_search_table(draft) is None
    assert [hit.article for hit in search_articles("harbour").hits] == [published]


def test_a_filter_reads_only_its_own_conditions_and_keeps_hidden_ones_out(
    publish, unpublished, aliyev
):
    """The "public" conditions of the filtered queryset are left to the search
    tables; the drafts and the scheduled article tagged alike stay out."""
    from articles.search.backends import is_publication_check
    from articles.search.query import published_base

    base, _, _ = published_base({"person": aliyev.slug})
    checks = [node for node in base.query.where.children if is_publication_check(node)]
    assert len(checks) == 2  # status = published, published_at <= now
    shown = publish(title="Harbour talks", tags={"people": [aliyev]})
    publish(title="Harbour talks elsewhere")
    for article in unpublished(title="Harbour talks"):
        article.people.set([aliyev])
    for sort in ("relevance", "date"):
        results = search_articles("harbour", filters={"person": aliyev.slug}, sort=sort)
        assert [hit.article for hit in results.hits] == [shown]
        assert results.total == 1


@pytest.mark.django_db
def test_the_gin_indexes_keep_no_pending_list():
    # Every search scans a GIN index's whole pending list: with fastupdate on,
    # a few hundred edited articles made counting take seconds.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class "
            "WHERE relname IN ('searchdoc_vector_gin', 'searchstrong_gin')"
        )
        options = dict(cursor.fetchall())
    assert options == {
        "searchdoc_vector_gin": ["fastupdate=off"],
        "searchstrong_gin": ["fastupdate=off"],
    }
