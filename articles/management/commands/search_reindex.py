import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article
from articles.search import reindex_in_chunks
from articles.search.backends import FTS_TABLE
from articles.search.bulk import parallel_reindex_supported

CHUNK = 2000


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every article (after loaddata, a restore or a "
        "change to the search rules). Safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Worker processes (PostgreSQL only; about one per core).",
        )

    def handle(self, *args, jobs, **options):
        if jobs < 1:
            raise CommandError("--jobs must be at least 1.")
        if jobs > 1 and not parallel_reindex_supported():
            raise CommandError("SQLite allows one writer at a time: use --jobs 1.")
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        started = time.monotonic()
        for done in reindex_in_chunks(ids, chunk_size=CHUNK, jobs=jobs):
            self.stdout.write(f"Indexed {done}/{len(ids)} articles", ending="\r")
        removed = self.remove_orphans()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {len(ids)} article(s) in {seconds:.1f} s; "
                f"removed {removed} row(s) of deleted articles."
            )
        )

    def remove_orphans(self):
        # PostgreSQL keeps the vector on the article row itself; nothing to remove.
        if connection.vendor != "sqlite":
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "
                "(SELECT id FROM articles_article)"
            )
            return cursor.rowcount
