"""Two versions of the code, timed in turns on the same work.

    python -m benchmarks.paired [--rounds N] [--db-a URL] [--db-b URL]
                                TREE_A TREE_B search [CLASS ...]
    python -m benchmarks.paired [--rounds N] [--db-a URL] [--db-b URL]
                                TREE_A TREE_B page {article,search,api}
    python -m benchmarks.paired [--rounds N] [--db-a URL] [--db-b URL]
                                TREE_A TREE_B filters [SHAPE ...]

A machine shared with others drifts: the same search measured a third slower
an hour later. So each code tree (a checkout, for example a `git worktree` of
an older commit, with the same `.venv`) runs in a process of its own, both
kept warm, and they take turns on each item: the benchmark's search queries
(60 per class, as `benchmark` draws them) through `search_articles` with facets
and highlights, or uncached requests for a page through Django's test client
(each URL made unique, as `benchmark`'s HTTP section does), or the searches
of `benchmarks.facet_filters` under one of its filter shapes (this file's own
copy of that module defines the work, so an older tree need not have it).
Drift then falls
on both alike; each item's two times form a pair, and the median of the
ratios B/A says how much faster B is. `--db-a` / `--db-b` give each tree its
own `DATABASE_URL` (default: the one set), for a migration one tree has and
the other has not.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import quote_plus

SEARCH_QUERIES = 60
# benchmarks.querysets.CLASSES by name: the driver imports no Django code (each
# worker sets up its own tree).
SEARCH_CLASSES = ("rare", "common", "multi", "phrase", "name_variant", "filtered_date")
# benchmarks.facet_filters: its words per class, its shapes by name.
FILTER_WORDS = 20
FILTER_SHAPES = (
    "none",
    "country",
    "year",
    "source",
    "language",
    "event_kind",
    "year_country",
    "source_from",
)


@dataclass
class Comparison:
    """Times of the same items under A and B (ms)."""

    label: str
    a: list
    b: list

    def line(self):
        from benchmarks.stats import percentile

        return (
            f"{self.label:14s} A p50 {percentile(self.a, 50):7.2f} "
            f"p95 {percentile(self.a, 95):7.2f} | B p50 "
            f"{percentile(self.b, 50):7.2f} p95 {percentile(self.b, 95):7.2f} | "
            f"B/A paired median {paired_ratio(self.a, self.b):.3f} (n={len(self.a)})"
        )


def paired_ratio(a, b):
    """The median of b/a over items measured under both."""
    if len(a) != len(b) or not a:
        raise ValueError("both sides need the same items, at least one")
    return statistics.median(y / x for x, y in zip(a, b, strict=True))


def turns(count, ask_a, ask_b, period=None):
    """(A's answers, B's answers) for items 0..count-1, each item asked of
    both. Who goes first alternates from item to item and, when the items
    repeat every `period`, from one round of them to the next, so each side
    goes first on every item as often as the other."""
    a, b = [], []
    period = period or count
    for item in range(count):
        if (item % period + item // period) % 2:
            a.append(ask_a(item))
            b.append(ask_b(item))
        else:
            b.append(ask_b(item))
            a.append(ask_a(item))
    return a, b


# -- the worker: one per code tree, answers "item number" with milliseconds.


def search_runner(names):
    from articles.search import search_articles
    from benchmarks.querysets import build_queries

    queries = build_queries(per_class=SEARCH_QUERIES)
    work = [q for name in names for q in queries[name][:SEARCH_QUERIES]]

    def run(item):
        query = work[item % len(work)]
        results = search_articles(
            query.text, filters=query.filters, sort=query.sort, page=1, page_size=20
        )
        list(results.hits)

    return run, len(work)


def filters_runner(names):
    import importlib.util

    from articles.search import search_articles

    # The driver's own copy of the module: the work is the same for both trees.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "facet_filters.py")
    spec = importlib.util.spec_from_file_location("facet_filters_of_driver", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shapes = module.filter_shapes()
    words = module.benchmark_words(FILTER_WORDS)
    work = [
        (word, shapes[name], sort)
        for name in names
        for sort in module.SORTS
        for word in words
    ]

    def run(item):
        word, filters, sort = work[item % len(work)]
        list(search_articles(word, filters=filters, sort=sort).hits)

    return run, len(work)


def page_runner(kind):
    from django.test import Client
    from rest_framework import throttling

    from benchmarks.querysets import build_queries
    from benchmarks.runner import http_targets

    # Every request comes from one client address: not a flood to refuse here.
    throttling.SimpleRateThrottle.allow_request = lambda self, request, view: True
    if kind == "api":
        queries = build_queries(per_class=200, seed=5)
        paths = [
            f"/api/articles/?q={quote_plus(q.text)}"
            for name in ("rare", "common", "multi")
            for q in queries[name]
        ]
    else:
        paths = http_targets()[kind][1]
    client = Client()
    served = iter(range(10**9))

    def run(item):
        path = paths[item % len(paths)]
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}_={next(served)}")
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")

    return run, len(paths)


def worker(mode, args):
    # Run as a file from another checkout: that checkout's code, not this
    # folder's modules, is what gets imported.
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(__file__):
        sys.path.pop(0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    import django

    django.setup()
    runners = {"search": search_runner, "filters": filters_runner}
    if mode in runners:
        run, count = runners[mode](args)
    else:
        run, count = page_runner(args[0])
    for item in range(min(count, 20)):  # warm: connections, caches, imports
        run(item)
    print("ready", flush=True)
    for line in sys.stdin:
        started = time.perf_counter()
        run(int(line))
        print((time.perf_counter() - started) * 1000, flush=True)


# -- the driver


class Tree:
    """A worker process running one code tree."""

    def __init__(self, path, mode, args, database_url=None):
        env = dict(os.environ, PYTHONPATH=path)
        if database_url:
            env["DATABASE_URL"] = database_url
        # This file drives the worker in either tree (an older one may not
        # have it); the tree's own code is imported through PYTHONPATH.
        command = [os.path.join(path, ".venv", "bin", "python")]
        command += [os.path.abspath(__file__), "--worker", mode, *args]
        self.process = subprocess.Popen(
            command,
            cwd=path,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit(f"{path}: the worker did not start")

    def ask(self, item):
        self.process.stdin.write(f"{item}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise SystemExit("a worker stopped (its error is above)")
        return float(answer)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def compare(args):
    if args.mode == "search":
        groups = [[name] for name in (args.what or SEARCH_CLASSES)]
        sizes = [SEARCH_QUERIES] * len(groups)
    elif args.mode == "filters":
        groups = [[name] for name in (args.what or FILTER_SHAPES)]
        sizes = [FILTER_WORDS * 2 * 2] * len(groups)  # common and rare, two sorts
    else:
        groups, sizes = [args.what[:1] or ["article"]], [args.rounds * 100]
    for what, size in zip(groups, sizes, strict=True):
        a = Tree(args.tree_a, args.mode, what, args.db_a)
        b = Tree(args.tree_b, args.mode, what, args.db_b)
        count = size * (args.rounds if args.mode != "page" else 1)
        times_a, times_b = turns(count, a.ask, b.ask, period=size)
        a.close()
        b.close()
        print(Comparison(" ".join(what), times_a, times_b).line(), flush=True)


def main():
    if sys.argv[1:2] == ["--worker"]:
        return worker(sys.argv[2], sys.argv[3:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree_a")
    parser.add_argument("tree_b")
    parser.add_argument("mode", choices=["search", "page", "filters"])
    parser.add_argument("what", nargs="*")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db-a")
    parser.add_argument("--db-b")
    compare(parser.parse_args())


if __name__ == "__main__":
    main()
