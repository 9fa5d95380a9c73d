"""The cost of indexing articles, as publishing and `search_reindex` pay it.

    python -m benchmarks.indexing [--articles N] [--warm N] [--passes N]

Reindexes the first N articles of the configured database (`reindex_articles`,
as a publish or a rebuild does) after indexing the next `--warm` ones to fill
the stemming caches, each pass in a transaction that is rolled back, so the
database is left as it was. Prints the fastest pass in microseconds per
article. Under `valgrind --tool=callgrind` (with `--passes 1`) the count of
instructions tells two versions of the code apart whatever else the machine
is doing; `--articles 0` gives what starting up costs, to subtract.
"""

import argparse
import os
import time

import django


def reindex_rolled_back(ids):
    """Seconds to reindex `ids`, leaving the database as it was."""
    from django.db import transaction

    from articles.search import reindex_articles

    with transaction.atomic():
        started = time.perf_counter()
        reindex_articles(ids)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--warm", type=int, default=500)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from articles.models import Article

    ids = list(
        Article.objects.order_by("pk").values_list("pk", flat=True)[
            : args.articles + args.warm
        ]
    )
    measured, warming = ids[: args.articles], ids[args.articles :]
    if not measured:
        return
    if warming:
        reindex_rolled_back(warming)
    fastest = min(reindex_rolled_back(measured) for _ in range(args.passes))
    print(
        f"indexed {len(measured)} articles: {fastest / len(measured) * 1e6:.0f} us "
        f"per article (fastest of {args.passes} passes)"
    )


if __name__ == "__main__":
    main()
