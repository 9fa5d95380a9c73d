"""Searches narrowed by each of the search page's filters, against none.

    python -m benchmarks.facet_filters [--queries N] [--passes N]

Runs the benchmark's common and rare words (N of each) as the search page
does (facets, highlights), once without filters and once under each filter
shape below, by relevance and by date, and prints each shape's p50 and p95.
The filter values come from the corpus: the country, the source and the event
kind with the most articles, the middle year of publication and German (about
a third of the corpus). A shape's searches run together, after a pass
that reads their words in.
"""

import argparse
import os
import time

import django

SORTS = ("relevance", "date")


def filter_shapes():
    """{name: filters} over values of the corpus in use."""
    from django.db.models import Count

    from articles.models import Article, Source
    from relations.models import Country, Event

    published = Article.objects.published()
    country = (
        Country.objects.annotate(tagged=Count("articles"))
        .order_by("-tagged", "pk")
        .values_list("code", flat=True)
        .first()
    )
    source = (
        Source.objects.annotate(written=Count("articles"))
        .order_by("-written", "pk")
        .values_list("slug", flat=True)
        .first()
    )
    kind = (
        Event.objects.values("kind")
        .annotate(tagged=Count("articles"))
        .order_by("-tagged", "kind")
        .values_list("kind", flat=True)
        .first()
    )
    dates = published.order_by("published_at").values_list("published_at", flat=True)
    count = dates.count()
    year = str(dates[count // 2].year) if count else "2000"
    shapes = {
        "none": None,
        "country": {"country": country},
        "year": {"year": year},
        "source": {"source": source},
        "language": {"language": "de"},
        "event_kind": {"event_kind": kind},
        "year_country": {"year": year, "country": country},
        # A date range has no key: the source's key narrows the word's
        # matches, the dates are read from the articles.
        "source_from": {"source": source, "from": f"{year}-01-01"},
    }
    return {
        name: filters
        for name, filters in shapes.items()
        if filters is None or all(filters.values())
    }


def measure(words, shapes, passes, out=print):
    """{(shape, sort): {p50_ms, p95_ms, ...}}, printed as they come."""
    from articles.search import search_articles
    from benchmarks.stats import summary_ms

    results = {}
    for sort in SORTS:
        for name, filters in shapes.items():
            for word in words:  # reads the words in
                search_articles(word, filters=filters, sort=sort)
            times = []
            for _ in range(passes):
                for word in words:
                    started = time.perf_counter()
                    search_articles(word, filters=filters, sort=sort)
                    times.append(time.perf_counter() - started)
            summary = results[name, sort] = summary_ms(times)
            out(
                f"{sort:9s} {name:14s} p50 {summary['p50_ms']:6.1f} ms  "
                f"p95 {summary['p95_ms']:6.1f} ms  ({len(times)} searches) "
                f"{filters or ''}"
            )
    return results


def benchmark_words(count):
    """The first `count` common and `count` rare words of the benchmark."""
    from benchmarks.querysets import build_queries

    queries = build_queries(per_class=max(count, 60))
    return [
        query.text for name in ("common", "rare") for query in queries[name][:count]
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--passes", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    measure(benchmark_words(args.queries), filter_shapes(), args.passes)


if __name__ == "__main__":
    main()
