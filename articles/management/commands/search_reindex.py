import time

from django.core.management.base import BaseCommand
from django.db import connection

from articles.management.jobs import add_jobs_argument, check_jobs
from articles.models import Article
from articles.search import bulk_rebuild, reindex_in_chunks
from articles.search.backends import FTS_TABLE, STRONG_TABLE

CHUNK = 2000


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every article (after loaddata, a restore or a "
        "change to the search rules). Safe to run at any time."
    )

    def add_arguments(self, parser):
        add_jobs_argument(
            parser, help="Worker processes (PostgreSQL only; about one per core)."
        )

    def handle(self, *args, jobs, **options):
        check_jobs(jobs)
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        started = time.monotonic()
        with bulk_rebuild() as deferred:
            if deferred:
                self.stdout.write(
                    "The index is empty: its database indexes are built once, "
                    "at the end."
                )
            for done in reindex_in_chunks(ids, chunk_size=CHUNK, jobs=jobs):
                self.stdout.write(f"Indexed {done}/{len(ids)} articles", ending="\r")
            removed = self.remove_orphans()
            self.stdout.write("Compacting the index...")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {len(ids)} article(s) in {seconds:.1f} s; "
                f"removed {removed} row(s) of deleted articles."
            )
        )

    def remove_orphans(self):
        """SQLite: drop the index rows of articles deleted without the services
        (a raw DELETE). PostgreSQL's rows go with their article (foreign keys)."""
        if connection.vendor != "sqlite":
            return 0
        removed = 0
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, STRONG_TABLE):
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid NOT IN "
                    "(SELECT id FROM articles_article)"
                )
                removed += cursor.rowcount
        return removed
