"""Where a search's time goes: every SQL statement of `search_articles`, timed.

    python -m benchmarks.stages [--queries N] [--passes N] [--by-entity-cost K]
                                [CLASS ...]

Runs the benchmark's queries of each class (default: all) as the search page
does (facets, highlights) and prints, per class, the p50, p95 and slowest
search, then the statements that took the most time per search. `--passes`
runs each class's queries that many times in a row (the first pass reads the
words in, the later ones find them in memory); `--by-entity-cost` sets the
`by_entity_cost` of both search backends (`articles/search/backends.py`) for
the run, to compare the plans of filtered searches.
"""

import argparse
import collections
import os
import time

import django


def statement_timer(times):
    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            times[sql[:70]].append((time.perf_counter() - started) * 1000)

    return wrapper


def profile_class(name, items, out=print):
    from django.db import connection

    from articles.search import search_articles
    from benchmarks.search_bench import run_product
    from benchmarks.stats import summary_ms

    times = collections.defaultdict(list)
    totals = []
    for query in items:
        started = time.perf_counter()
        with connection.execute_wrapper(statement_timer(times)):
            run_product(search_articles, query)
        totals.append(time.perf_counter() - started)
    summary = summary_ms(totals)  # the benchmark's own percentiles
    out(
        f"== {name}: {len(items)} searches, p50 {summary['p50_ms']:.1f} ms, "
        f"p95 {summary['p95_ms']:.1f} ms, slowest {summary['max_ms']:.1f} ms"
    )
    ranked = sorted(times.items(), key=lambda item: -sum(item[1]))
    for sql, durations in ranked[:6]:
        out(
            f"  {sum(durations) / len(items):7.1f} ms per search, {len(durations):3d} "
            f"runs, slowest {max(durations):6.1f} ms: {sql}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("classes", nargs="*")
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--by-entity-cost", type=int)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from articles.search import backends
    from benchmarks.querysets import CLASSES, build_queries

    if args.by_entity_cost is not None:
        for engine in (backends.PostgresBackend, backends.SqliteBackend):
            engine.by_entity_cost = args.by_entity_cost

    queries = build_queries(per_class=max(args.queries, 60))
    for name in args.classes or [name for name, _ in CLASSES]:
        if name not in queries:
            parser.error(f"unknown class {name!r}; one of {', '.join(queries)}")
        for _ in range(args.passes):
            profile_class(name, queries[name][: args.queries])


if __name__ == "__main__":
    main()
