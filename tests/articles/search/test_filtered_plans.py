"""A filtered search reads the filtered articles or the word's matches,
whichever costs less, and both plans find the same articles."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search import backends, search_articles
from articles.search.query import published_base
from tests.factories import CountryFactory, PersonFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans of the PostgreSQL engine"
)

BY_ENTITY_ALWAYS = 0  # any match outnumbers 0 x E
BY_WORD_ALWAYS = 10**9


@pytest.fixture
def corpus(publish):
    """40 articles on borders, all about one country, 4 of them naming one
    person; one more about that person and wine; one scheduled, not public."""
    country = CountryFactory()
    person = PersonFactory(country=country)
    for number in range(40):
        people = [person] if number % 13 == 0 else []
        publish(
            title=f"Border talks {number}",
            body=f"<p>Border crossings, round {number}.</p>",
            tags={"countries": [country], "people": people},
        )
    publish(title="Wine harvest", tags={"countries": [country], "people": [person]})
    publish(
        title="Border talks to come",
        published_at=timezone.now() + datetime.timedelta(days=3),
        tags={"countries": [country], "people": [person]},
    )
    return {"person": person.slug, "country": country.code.lower()}


def found(query, filters, sort):
    results = search_articles(query, filters=filters, sort=sort, facets=False)
    return [hit.article.pk for hit in results.hits], results.total


@pytest.mark.parametrize("candidates", [1000, 5])
@pytest.mark.parametrize(
    "names", [["person"], ["country"], ["person", "country"], ["queryset"]]
)
def test_both_plans_find_the_same_articles(corpus, monkeypatch, candidates, names):
    # With 5 ranking candidates, "border" is ranked in tiers (see backends).
    monkeypatch.setattr(backends, "RANK_CANDIDATES", candidates)
    if names == ["queryset"]:  # as the API passes its FilterSet's .qs
        filters = Article.objects.filter(people__slug=corpus["person"])
    else:
        filters = {name: corpus[name] for name in names}
    totals = {"border": 4, "wine": 1, "border talks": 4, "absent": 0}
    if names == ["country"]:
        totals = {"border": 40, "wine": 1, "border talks": 40, "absent": 0}
    engine = type(backends.backend())
    for query, total in totals.items():
        for sort in ("date", "relevance"):
            monkeypatch.setattr(engine, "by_entity_cost", BY_ENTITY_ALWAYS)
            by_entity = found(query, filters, sort)
            monkeypatch.setattr(engine, "by_entity_cost", BY_WORD_ALWAYS)
            by_word = found(query, filters, sort)
            assert by_entity == by_word, (query, sort)
            assert by_entity[1] == total, (query, sort)


def explain(statement):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement[0], statement[1])
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def plan_run(statement):
    """("entity" or "word", the matches read from the word's index).

    The two plans are the two inputs of the Append node, each under a
    one-time filter; only the chosen one's input is ever executed."""
    plan = explain(statement)
    append = next(node for node in nodes(plan) if node["Node Type"] == "Append")
    ran = [
        name
        for name, branch in zip(("entity", "word"), append["Plans"], strict=True)
        for child in branch["Plans"]
        if child["Parent Relationship"] == "Outer" and child["Actual Loops"] > 0
    ]
    read = max(
        node["Actual Rows"] * node["Actual Loops"]
        for node in nodes(plan)
        if node["Node Type"] == "CTE Scan" and node["CTE Name"] == "word"
    )
    return ran, read


def newest_statement(query, filters):
    base, _, restricted = published_base(filters)
    engine = backends.PostgresBackend()
    return engine.newest_statement(base, [[query]], 20, restricted)


@postgres_only
def test_a_few_filtered_articles_are_read_by_id(corpus, monkeypatch):
    # The filter keeps 6 articles (the scheduled one too: the search tables
    # test the time); "border" has 40 public matches: 40 > 4 x 6, so only
    # 4 x 6 + 1 of them are read to choose.
    monkeypatch.setattr(backends.PostgresBackend, "by_entity_cost", 4)
    ran, read = plan_run(newest_statement("border", {"person": corpus["person"]}))
    assert ran == ["entity"]
    assert read == 4 * 6 + 1


@postgres_only
def test_a_word_with_fewer_matches_is_read_from_its_index(corpus, monkeypatch):
    # 42 articles have the country; "wine" has 1 match: 1 < 4 x 42.
    monkeypatch.setattr(backends.PostgresBackend, "by_entity_cost", 4)
    ran, read = plan_run(newest_statement("wine", {"country": corpus["country"]}))
    assert ran == ["word"]
    assert read == 1


@postgres_only
def test_a_filtered_search_counts_the_word_no_further_than_it_needs(
    corpus, monkeypatch
):
    from django.test.utils import CaptureQueriesContext

    # Ranking tiers depend only on whether "border" (40 matches) has more
    # than RANK_CANDIDATES: 3 of them are read to know it. The same statement
    # then ranks the strong fields; ranking every field is never executed.
    monkeypatch.setattr(backends, "RANK_CANDIDATES", 2)
    # A filter of the caller's own: a tag filter alone is answered by the
    # index without the filtered search's plans (test_filter_keys.py).
    person = Article.objects.filter(people__slug=corpus["person"])
    with CaptureQueriesContext(connection) as queries:
        ids, total = found("border", person, "relevance")
    assert total == 4 and len(ids) == 4
    counting = [q["sql"] for q in queries if "AS indexed, NULL AS public" in q["sql"]]
    assert len(counting) == 1
    plan = explain((counting[0], None))
    assert plan["Actual Rows"] == 1
    (count,) = [
        node for node in plan["Plans"] if node["Parent Relationship"] == "Subquery"
    ]
    assert [word_rows(node) for node in nodes(count) if is_word_scan(node)] == [3]
    rankings = [
        node for node in plan["Plans"] if node["Parent Relationship"] == "InitPlan"
    ]
    ran = {node["Actual Loops"]: tables(node) for node in rankings}
    assert sorted(ran) == [0, 1]
    assert "articles_searchstrong" in ran[1]
    assert "articles_searchstrong" not in ran[0]


def is_word_scan(node):
    return node["Node Type"] == "CTE Scan" and node["CTE Name"] == "word"


def word_rows(node):
    return node["Actual Rows"] * node["Actual Loops"]


def tables(plan):
    return {node["Relation Name"] for node in nodes(plan) if "Relation Name" in node}


def statements(query, filters):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        found(query, filters, "date")
    return " ".join(q["sql"] for q in queries)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite engine")
def test_sqlite_looks_a_few_filtered_articles_up_in_the_index(corpus, monkeypatch):
    # Filters the index holds no key for (a join of the caller's own): a tag
    # filter is answered by the index alone (test_filter_keys.py).
    person = Article.objects.filter(people__slug=corpus["person"])
    country = Article.objects.filter(countries__code=corpus["country"].upper())
    lookup = "EXISTS (SELECT 1 FROM article_search_fts"
    monkeypatch.setattr(backends.SqliteBackend, "by_entity_cost", 4)
    # 6 articles name the person; "border" has 40 matches: 40 > 4 x 6.
    assert lookup in statements("border", person)
    # 42 articles have the country; 40 matches are fewer than 4 x 42.
    assert lookup not in statements("border", country)
    monkeypatch.setattr(backends, "BY_ENTITY_LIMIT", 5)
    # Past the limit the filter's articles are not counted further.
    assert lookup not in statements("border", person)


def test_an_entity_filter_takes_the_ids_from_the_tag_table_alone(corpus):
    from articles.search.backends import kept_ids

    base, _, _ = published_base({"person": corpus["person"]})
    sql, _params = kept_ids(base)
    assert '"articles_article_people"' in sql
    assert 'FROM "articles_article" ' not in sql
    # Another condition on the article's own columns needs the article table.
    base, _, _ = published_base({"person": corpus["person"], "language": "en"})
    sql, _params = kept_ids(base)
    assert 'FROM "articles_article" ' in sql
    assert '"articles_article_people"' in sql
