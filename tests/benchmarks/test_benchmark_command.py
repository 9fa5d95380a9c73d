"""The benchmark in short form: a small corpus, every section written with numbers.

Timings are reported, never asserted: only the presence of every measure is.
"""

import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from benchmarks.hooks import optional
from benchmarks.querysets import CLASSES
from relations.models import Person

pytestmark = pytest.mark.django_db


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _corpus_facts():
    articles = Article.objects.order_by("slug")
    return [
        (a.title, a.content_hash, a.status, a.language, a.published_at)
        for a in articles
    ], sorted(articles.values_list("slug", "people__full_name"))


def test_same_seed_same_corpus():
    call_command("generate_corpus", articles=60, seed=5, verbosity=0)
    first = _corpus_facts()
    call_command("generate_corpus", articles=60, seed=5, reset=True, verbosity=0)
    assert _corpus_facts() == first
    call_command("generate_corpus", articles=60, seed=6, reset=True, verbosity=0)
    assert _corpus_facts() != first


def test_corpus_shape():
    call_command("generate_corpus", articles=200, seed=2, verbosity=0)
    statuses = set(Article.objects.values_list("status", flat=True))
    assert {Article.Status.PUBLISHED, Article.Status.DRAFT} <= statuses
    assert set(Article.objects.values_list("language", flat=True)) == {"en", "de"}
    body = Article.objects.first().body
    assert 300 <= len(body.split()) <= 1200
    person = Person.objects.filter(articles__isnull=False).first()
    assert len(person.alias_list()) >= 2


def test_the_loaded_tables_are_analyzed_before_indexing_and_again_after(
    monkeypatch,
):
    from django.db.backends.utils import CursorWrapper

    from benchmarks import hooks

    events = []
    execute = CursorWrapper.execute

    def noting_analyze(cursor, sql, params=None):
        if sql == "ANALYZE":
            events.append("analyze")
        return execute(cursor, sql, params)

    def noting_index(ids, out=None, jobs=1):
        events.append("index")
        return reindex(ids, out=out, jobs=jobs)

    reindex = hooks.search_reindex
    monkeypatch.setattr(CursorWrapper, "execute", noting_analyze)
    monkeypatch.setattr(
        "articles.management.commands.generate_corpus.search_reindex", noting_index
    )
    call_command("generate_corpus", articles=10, seed=1, verbosity=0)
    assert events == ["analyze", "index", "analyze"]


def test_refuses_a_database_with_articles():
    call_command("generate_corpus", articles=10, seed=1, verbosity=0)
    with pytest.raises(CommandError, match="already has articles"):
        call_command("generate_corpus", articles=10, seed=1, verbosity=0)


def test_refuses_bad_jobs_before_writing_anything():
    with pytest.raises(CommandError, match="--jobs must be at least 1"):
        call_command("generate_corpus", articles=10, jobs=0, verbosity=0)
    assert not Article.objects.exists()


def test_benchmark_quick_writes_every_section(tmp_path):
    call_command("generate_corpus", articles=300, seed=3, verbosity=0)
    call_command("benchmark", quick=True, output=str(tmp_path), no_http=True)
    engine = "postgresql" if _vendor() == "postgresql" else "sqlite"
    data = json.loads((tmp_path / f"benchmark-{engine}.json").read_text())
    markdown = (tmp_path / f"benchmark-{engine}.md").read_text()

    _check_search(data["search"])
    _check_pages(data["queries_per_page"])
    _check_import(data["import"])
    assert _number(data["index"]["database_bytes"]) and data["index"]["database_bytes"]
    assert data["meta"]["articles"]["total"] == 300
    for heading in ("Search latency", "SQL queries per page", "Import and index"):
        assert heading in markdown


def test_benchmark_only_import_measures_that_section(tmp_path):
    call_command("generate_corpus", articles=40, seed=3, verbosity=0)
    call_command("benchmark", quick=True, output=str(tmp_path), only=["import"])
    engine = "postgresql" if _vendor() == "postgresql" else "sqlite"
    data = json.loads((tmp_path / f"benchmark-{engine}.json").read_text())
    markdown = (tmp_path / f"benchmark-{engine}.md").read_text()
    assert set(data) == {"meta", "import", "index"}
    _check_import(data["import"])
    assert "Import and index" in markdown and "Search latency" not in markdown
    assert Article.objects.count() == 40  # the imported items are removed again


def _vendor():
    from django.db import connection

    return connection.vendor


def _check_search(search):
    searchable = optional("articles.search", "search_articles") is not None
    assert search["product_available"] is searchable
    for name, _label in CLASSES:
        entry = search["classes"][name]
        assert entry["queries"] > 0, name
        assert _number(entry["naive"]["p50_ms"]), name
        if searchable:
            assert _number(entry["product"]["p95_ms"]), name
            assert _number(entry["ratio_p50"]), name


def _check_pages(rows):
    by_name = {row["name"]: row for row in rows}
    assert by_name["home"]["status"] == 200
    for row in rows:
        if row["available"]:
            assert _number(row["queries"]) and _number(row["cached"]), row
        else:
            assert row["status"] == 404 and "not available" in row["note"]


def _check_import(imported):
    if optional("articles.management.commands.import_articles", "Command") is None:
        assert imported == {
            "available": False,
            "note": "import_articles is not installed",
        }
        return
    assert imported["created"] > 0
    assert _number(imported["articles_per_second"])
    assert _number(imported["articles_per_cpu_second"])


def test_stages_time_each_statement_of_a_search():
    from benchmarks.querysets import build_queries
    from benchmarks.stages import profile_class

    call_command("generate_corpus", articles=80, seed=4, verbosity=0)
    lines = []
    profile_class("rare", build_queries(per_class=3)["rare"], out=lines.append)
    assert lines[0].startswith("== rare: 3 searches, p50 ")
    statements = lines[1:]
    assert statements and all("ms per search" in line for line in statements)
    assert any("articles_facetkeys" in line for line in statements)


def test_stages_options_set_the_passes_and_the_plan_factor(monkeypatch, capsys):
    import sys

    from articles.search import backends
    from benchmarks import stages

    call_command("generate_corpus", articles=80, seed=4, verbosity=0)
    for engine in (backends.PostgresBackend, backends.SqliteBackend):
        monkeypatch.setattr(engine, "by_entity_cost", engine.by_entity_cost)
    monkeypatch.setattr(
        sys,
        "argv",
        ["stages", "--queries", "2", "--passes", "2", "--by-entity-cost", "3", "rare"],
    )
    stages.main()
    printed = capsys.readouterr().out.splitlines()
    assert [line[:20] for line in printed if line.startswith("==")] == [
        "== rare: 2 searches,"
    ] * 2
    assert backends.PostgresBackend.by_entity_cost == 3
    assert backends.SqliteBackend.by_entity_cost == 3


def test_plans_compare_every_cost_query_by_query():
    from articles.search import backends
    from benchmarks.plans import compare
    from benchmarks.querysets import build_queries

    call_command("generate_corpus", articles=80, seed=4, verbosity=0)
    queries = build_queries(per_class=4)["filtered_date"]
    engine = type(backends.backend())
    default = engine.by_entity_cost
    lines = []
    timings, sizes = compare(queries, [0, 10**9], repeat=1, out=lines.append)
    assert engine.by_entity_cost == default  # restored
    assert set(timings) == {0, 10**9}
    assert all(len(times) == len(queries) for times in timings.values())
    assert len(sizes) == len(queries) and all(size > 0 for size in sizes)
    assert lines[-2].startswith("cost 0: p50 ") and lines[-1].startswith("cost ")
    assert any(line.startswith("filter keeps ") for line in lines)
