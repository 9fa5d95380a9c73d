"""Import throughput through the real import path, and the size of the index."""

import io
import random
import resource
import tempfile
import time
from pathlib import Path

from django.core.management import call_command, get_commands
from django.db import connection

from articles.models import Article
from relations.models import Country, Person

from .corpus import ZipfPicker
from .wordlists import vocabulary

IMPORT_SOURCE = "Benchmark wire"
# Items per import_articles run: one batch of the command (its per-run and
# per-batch costs are part of the rate), as a newsroom imports a folder. The time
# budget is checked between runs.
IMPORT_CHUNK = 500


def write_items(folder, count, seed=11):
    """`count` plain-text news items naming real people and countries of the corpus."""
    rng = random.Random(seed)
    picker = ZipfPicker(rng, vocabulary("en"))
    people = list(
        Person.objects.order_by("pk").values_list("full_name", flat=True)[:500]
    )
    countries = list(Country.objects.order_by("pk").values_list("name", flat=True))
    paths = []
    for index in range(count):
        named = rng.sample(people, min(2, len(people))) + rng.sample(
            countries, min(2, len(countries))
        )
        title = f"{' and '.join(named[:2])} discuss {' '.join(picker.many(3))}"
        paragraphs = [_paragraph(rng, picker, named) for _ in range(rng.randint(4, 9))]
        path = Path(folder) / f"item-{seed}-{index:05d}.txt"
        path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
        paths.append(str(path))
    return paths


def _paragraph(rng, picker, named):
    chosen = picker.many(rng.randint(40, 90))
    chosen.insert(rng.randrange(len(chosen)), rng.choice(named) if named else "")
    text = " ".join(chosen)
    return text[:1].upper() + text[1:] + "."


def measure_import(count, out, budget_seconds=60):
    """Articles/s through `import_articles --tag`, bounded in items and seconds."""
    if "import_articles" not in get_commands():
        return {"available": False, "note": "import_articles is not installed"}
    # Items left by an interrupted run would be refused as duplicates.
    Article.objects.filter(source__name=IMPORT_SOURCE).delete()
    before = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with tempfile.TemporaryDirectory() as folder:
        paths = write_items(folder, count)
        started, tagged = time.monotonic(), False
        # On a shared machine the CPU time of this process tells more than the
        # wall time (on SQLite the database works in this process too), with that
        # of the processes import_articles reads files in.
        cpu_started = _cpu_seconds()
        deadline = started + budget_seconds
        for first in range(0, len(paths), IMPORT_CHUNK):
            tagged = _import(paths[first : first + IMPORT_CHUNK])
            if time.monotonic() > deadline:
                break
        seconds = time.monotonic() - started
        cpu_seconds = _cpu_seconds() - cpu_started
    created = Article.objects.filter(pk__gt=before)
    made = created.count()
    # The benchmark leaves the corpus as it found it.
    created.delete()
    out(f"import: {made} of {count} items in {seconds:.1f} s ({cpu_seconds:.1f} s CPU)")
    return {
        "available": True,
        "with_tag_suggestions": tagged,
        "items": count,
        "created": made,
        "seconds": round(seconds, 2),
        "articles_per_second": _per_second(made, seconds),
        "cpu_seconds": round(cpu_seconds, 2),
        "articles_per_cpu_second": _per_second(made, cpu_seconds),
    }


def _cpu_seconds():
    """CPU time of this process and of its children that have ended."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _per_second(count, seconds):
    return round(count / seconds, 1) if seconds else None


def _import(paths):
    """Run import_articles, applying suggested tags where the command can."""
    try:
        call_command(
            "import_articles",
            *paths,
            source=IMPORT_SOURCE,
            tag=True,
            verbosity=0,
            stdout=io.StringIO(),
        )
        return True
    except TypeError:
        # An import command without tagging: measure what there is.
        call_command(
            "import_articles", *paths, source=IMPORT_SOURCE, stdout=io.StringIO()
        )
        return False


def measure_sizes():
    """Bytes of the article table, the search structures and the whole database."""
    if connection.vendor == "postgresql":
        return _postgres_sizes()
    return _sqlite_sizes()


def _sqlite_sizes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
        sizes = dict(cursor.fetchall())
    search = {n: s for n, s in sizes.items() if _is_search(n)}
    return {
        "database_bytes": sum(sizes.values()),
        "article_table_bytes": sizes.get("articles_article", 0),
        "search_bytes": sum(search.values()),
        "search_objects": sorted(search),
    }


def _is_search(name):
    lowered = name.lower()
    return "fts" in lowered or "search" in lowered or "trgm" in lowered


def _postgres_sizes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 't', 'm')"
        )
        sizes = dict(cursor.fetchall())
        cursor.execute(
            "SELECT pg_database_size(current_database()), "
            "pg_total_relation_size('articles_article')"
        )
        database, article_total = cursor.fetchone()
        # The search table's vectors live in its TOAST table, listed under
        # another schema.
        cursor.execute(
            "SELECT pg_total_relation_size('articles_searchdoc') "
            "- pg_relation_size('articles_searchdoc') "
            "- pg_indexes_size('articles_searchdoc')"
        )
        vectors = cursor.fetchone()[0]
    search = {n: s for n, s in sizes.items() if _is_search(n)}
    return {
        "database_bytes": database,
        "article_table_bytes": article_total,
        "search_bytes": sum(search.values()) + vectors,
        "search_vector_toast_bytes": vectors,
        "search_objects": sorted(search),
    }
