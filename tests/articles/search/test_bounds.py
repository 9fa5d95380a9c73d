"""The bounds that keep common terms fast never change which articles are shown."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles.search import backends, query, search_articles, text
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_bounds(monkeypatch):
    monkeypatch.setattr(backends, "RANK_CANDIDATES", 3)
    monkeypatch.setattr(query, "FACET_SCOPE", 3)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def many(publish):
    return [
        publish(title=f"Harbour note {n}", published_at=days_ago(n + 1))
        for n in range(8)
    ]


def test_selective_filter_beyond_the_candidates(small_bounds, many, publish):
    # The only article by this person ranks below the 3 candidates of "harbour".
    person = PersonFactory(full_name="Yalchin Rafiyev")
    target = publish(
        title="Visit",
        body="<p>A word on the harbour.</p>",
        published_at=days_ago(300),
        tags={"people": [person]},
    )
    results = search_articles("harbour", filters={"person": person.slug})
    assert [hit.article for hit in results.hits] == [target]
    assert results.total == 1


def test_totals_are_exact_past_the_bounds(small_bounds, many):
    relevance = search_articles("harbour", page_size=2)
    by_date = search_articles("harbour", sort="date", page_size=2)
    assert relevance.total == by_date.total == 8
    assert relevance.facets_partial and by_date.facets_partial
    # Facets count the bounded scope: 3 of the 8 matches.
    assert sum(value.count for value in by_date.facets["language"]) == 3


def test_late_pages_past_the_bounds(small_bounds, many):
    seen = []
    for page in (1, 2, 3, 4):
        seen += [
            hit.article
            for hit in search_articles("harbour", page=page, page_size=2).hits
        ]
    assert sorted(a.pk for a in seen) == sorted(a.pk for a in many)
    dated = []
    for page in (1, 2, 3, 4):
        results = search_articles("harbour", sort="date", page=page, page_size=2)
        dated += [hit.article for hit in results.hits]
    assert dated == many


def test_small_result_sets_have_exact_facets(many):
    results = search_articles("harbour")
    assert not results.facets_partial
    assert results.facets["language"][0].count == 8


def test_articles_not_public_are_left_out_past_the_bounds(
    small_bounds, many, unpublished
):
    # Past the bounds the index answers alone: drafts, reviews and archived
    # articles have no row, and a scheduled one is taken off the count.
    hidden = unpublished(title="Harbour plans")
    for sort in ("relevance", "date"):
        results = search_articles("harbour", sort=sort, page_size=20)
        assert results.total == 8
        assert {hit.article for hit in results.hits} == set(many)
        assert not {hit.article for hit in results.hits} & set(hidden)


def test_only_articles_with_the_published_status_have_index_rows(publish, unpublished):
    from django.db import connection

    drafts = unpublished(title="Harbour plans")
    public = publish(title="Harbour opened")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {backends.FTS_TABLE}")
            indexed = {row[0] for row in cursor.fetchall()}
    else:
        from articles.models import SearchDocument

        indexed = set(SearchDocument.objects.values_list("article_id", flat=True))
    # The scheduled article (published status, later date) keeps its row.
    assert indexed == {public.pk, drafts[-1].pk}


def test_a_deleted_article_leaves_the_index(small_bounds, many):
    many[0].delete()
    results = search_articles("harbour", page_size=20)
    assert results.total == 7 and many[0] not in [hit.article for hit in results.hits]


def test_filtered_and_sorted_by_date_past_the_bounds(small_bounds, many, publish):
    person = PersonFactory(full_name="Yalchin Rafiyev")
    tagged = [
        publish(
            title=f"Harbour visit {n}",
            published_at=days_ago(100 + n),
            tags={"people": [person]},
        )
        for n in range(5)
    ]
    results = search_articles(
        "harbour", filters={"person": person.slug}, sort="date", page_size=2
    )
    assert results.total == 5
    assert [hit.article for hit in results.hits] == tagged[:2]
    last = search_articles(
        "harbour", filters={"person": person.slug}, sort="date", page=3, page_size=2
    )
    assert [hit.article for hit in last.hits] == tagged[4:]


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite backend's two plans"
)


@sqlite_only
@pytest.mark.parametrize("lookup_cost", [0, 10**9])
def test_both_plans_for_the_newest_matches_give_the_same_order(
    monkeypatch, publish, unpublished, lookup_cost
):
    # Cost 0: every match's row is read by id; a huge cost: the date index is
    # stepped down. Ties in the publication time come in the index's order,
    # lowest id first.
    same_time = days_ago(5)
    tied = [publish(title=f"Harbour tie {n}", published_at=same_time) for n in (1, 2)]
    older = [publish(title=f"Harbour {n}", published_at=days_ago(n)) for n in (8, 9)]
    newer = publish(title="Harbour new", published_at=days_ago(1))
    publish(title="Quay only", published_at=days_ago(2))
    unpublished(title="Harbour hidden")
    monkeypatch.setattr(backends, "ROW_LOOKUP_COST", lookup_cost)
    engine = backends.SqliteBackend()
    groups = text.query_groups("harbour")
    expected = [newer] + sorted(tied, key=lambda a: a.pk) + older
    assert engine._newest_public(groups, 20, 9) == [a.pk for a in expected]
    assert engine._newest_public(groups, 4, 9) == [a.pk for a in expected[:4]]


@sqlite_only
def test_the_articles_status_and_date_are_indexed_by_id():
    # Migration 0013: a filtered search checks whether each article its filters
    # keep is public in this index instead of reading the article's row. A
    # rebuild of the article table (a later AlterField on SQLite) drops it.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA index_info(article_public_by_id)")
        columns = [row[2] for row in cursor.fetchall()]
        cursor.execute("PRAGMA index_list(articles_article)")
        tables = {row[1] for row in cursor.fetchall()}
    assert "article_public_by_id" in tables
    assert columns == ["id", "status", "published_at"]
