"""Filtered searches under several `by_entity_cost` settings, query by query.

    python -m benchmarks.plans [--queries N] [--repeat N] COST [COST ...]

Runs the benchmark's "filtered by entity, sorted by date" queries as the
search page does, each under every COST (the `by_entity_cost` of the engine in
use: 0 looks every filtered article up, a huge number never does), keeps the
fastest of `--repeat` runs, and prints the mean per size of the filtered
entity, then the median, p95 and sum per COST. Searching the same query under
each setting in turn keeps the cache state alike for all of them.
"""

import argparse
import os
import time

import django

SIZE_BANDS = ((0, 100), (101, 1000), (1001, 5000), (5001, None))


def fastest_ms(search, query, repeat):
    from benchmarks.search_bench import run_product

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run_product(search, query)
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def compare(queries, costs, repeat, out=print):
    """{cost: [ms per query]} and the filtered articles of each query."""
    from articles.search import backends, search_articles
    from articles.search.query import published_base

    engine = type(backends.backend())
    default = engine.by_entity_cost
    timings = {cost: [] for cost in costs}
    sizes = []
    try:
        for query in queries:
            sizes.append(published_base(query.filters)[0].count())
            for cost in costs:
                engine.by_entity_cost = cost
                timings[cost].append(fastest_ms(search_articles, query, repeat))
    finally:
        engine.by_entity_cost = default
    report(timings, sizes, out)
    return timings, sizes


def report(timings, sizes, out):
    from benchmarks.stats import summary_ms

    for low, high in SIZE_BANDS:
        picked = [
            i
            for i, size in enumerate(sizes)
            if low <= size and (not high or size <= high)
        ]
        if not picked:
            continue
        means = "  ".join(
            f"{cost}: {sum(times[i] for i in picked) / len(picked):.1f}"
            for cost, times in timings.items()
        )
        band = f"{low}-{high}" if high else f"over {low - 1}"
        out(f"filter keeps {band} articles ({len(picked)} queries), mean ms: {means}")
    for cost, times in timings.items():
        summary = summary_ms([ms / 1000 for ms in times])
        out(
            f"cost {cost}: p50 {summary['p50_ms']:.1f} ms, "
            f"p95 {summary['p95_ms']:.1f} ms, sum {sum(times):.0f} ms"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("costs", nargs="+", type=int, metavar="COST")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from benchmarks.querysets import build_queries

    queries = build_queries(per_class=max(args.queries, 60))["filtered_date"]
    compare(queries[: args.queries], args.costs, args.repeat)


if __name__ == "__main__":
    main()
