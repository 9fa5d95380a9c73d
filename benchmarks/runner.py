"""The whole benchmark run: every section, each bounded in count and time."""

import datetime
import os
import platform
import random
import sqlite3
import subprocess
from urllib.parse import quote_plus

import django
from django.db import connection

from articles.models import Article

from . import import_bench, load, pages, search_bench
from .querysets import build_queries

# (quick, full) settings: queries per class, naive queries per class, seconds.
PROFILES = {
    True: {
        "per_class": 10,
        "naive_per_class": 3,
        "budget": 10,
        "naive_budget": 15,
        "import_items": 50,
        "import_budget": 20,
        "http_seconds": 3,
    },
    False: {
        "per_class": 60,
        "naive_per_class": 8,
        "budget": 40,
        "naive_budget": 60,
        "import_items": 1000,
        "import_budget": 90,
        "http_seconds": 10,
    },
}


SECTIONS = ("search", "pages", "import", "http")


def run(*, quick, http, out, only=None):
    """Every section, or those named in `only`; `http=False` skips gunicorn."""
    profile = PROFILES[quick]
    wanted = set(only or SECTIONS)
    results = {"meta": machine(quick)}
    out(f"benchmark on {results['meta']['engine']}, {results['meta']['articles']}")
    if "search" in wanted:
        results["search"] = search_bench.measure(
            per_class=profile["per_class"],
            naive_per_class=profile["naive_per_class"],
            budget=profile["budget"],
            naive_budget=profile["naive_budget"],
            out=out,
        )
    if http and "http" in wanted:
        # Debug off renders hashed static names: a stale manifest would fail pages.
        load.collect_static(load.server_env())
    if "pages" in wanted:
        term = _common_term(results["search"]) if "search" in results else "minister"
        results["queries_per_page"] = pages.measure(term, out)
    if "import" in wanted:
        results["import"] = import_bench.measure_import(
            profile["import_items"], out, budget_seconds=profile["import_budget"]
        )
        results["index"] = import_bench.measure_sizes()
    if "http" in wanted:
        results["http"] = (
            load.measure(http_targets(), seconds=profile["http_seconds"], out=out)
            if http
            else {"available": False, "note": "skipped (--no-http)"}
        )
    return results


def _common_term(search):
    examples = search["classes"]["common"]["examples"]
    return examples[0] if examples else "minister"


def machine(quick):
    counts = _article_counts()
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "engine_version": _engine_version(),
        "articles": counts,
        "quick": quick,
        "cpus": os.cpu_count(),
        # Other work on the machine skews every timing: recorded with the results.
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "memory": _memory(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
    }


def _article_counts():
    return {
        "total": Article.objects.count(),
        "published": Article.objects.published().count(),
    }


def _engine_version():
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _memory():
    try:
        result = subprocess.run(["free", "-h"], capture_output=True, text=True)
        return result.stdout.splitlines()[1].split()[1]
    except (OSError, IndexError):
        return "unknown"


def http_targets(count=3000, seed=5):
    """(cached path, uncached paths) for the home, article and search pages."""
    rng = random.Random(seed)
    slugs = list(
        Article.objects.published().order_by("pk").values_list("slug", flat=True)
    )
    slugs = rng.sample(slugs, min(count, len(slugs)))
    queries = build_queries(per_class=200, seed=seed)
    terms = [q.text for name in ("rare", "common", "multi") for q in queries[name]]
    article_paths = [f"/articles/{slug}/" for slug in slugs] or ["/"]
    search_paths = [f"/search/?q={quote_plus(t)}" for t in terms] or ["/search/?q=a"]
    return {
        "home": ("/", ["/"]),
        "article": (article_paths[0], article_paths),
        "search": (search_paths[0], search_paths),
    }
