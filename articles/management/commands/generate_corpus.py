import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.management.jobs import add_jobs_argument, check_jobs
from articles.models import Article
from benchmarks.corpus import corpus_clear, corpus_generate
from benchmarks.hooks import search_reindex


class Command(BaseCommand):
    help = (
        "Fill an empty database with a deterministic synthetic corpus of tagged "
        "English and German articles (for benchmarks; same seed, same data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete ALL articles, sources and entities first (benchmark only).",
        )
        add_jobs_argument(
            parser, help="Processes that build the search index (PostgreSQL only)."
        )

    def handle(self, *args, articles, seed, reset, jobs, **options):
        if not 1 <= articles <= 5_000_000:
            raise CommandError("--articles must be between 1 and 5000000.")
        check_jobs(jobs)
        if reset:
            corpus_clear(out=self.stdout.write)
        elif Article.objects.exists():
            raise CommandError(
                "The database already has articles. Use an empty database "
                "(or --reset, which deletes all articles, sources and entities)."
            )
        self._run(articles, seed, jobs)

    def _run(self, articles, seed, jobs):
        say = self.stdout.write
        started = time.monotonic()
        _, ids = corpus_generate(articles=articles, seed=seed, out=say)
        loaded = time.monotonic() - started
        say(f"loaded {len(ids)} articles in {loaded:.1f} s ({len(ids) / loaded:.0f}/s)")
        # Statistics for the tables just filled, before indexing reads them a
        # chunk at a time: without them PostgreSQL read each chunk's tags by
        # scanning whole tag tables (at 1,000,000 articles on a server without
        # autovacuum, 230 articles/s indexed against 830 after ANALYZE).
        self._analyze()
        say("planner statistics refreshed (ANALYZE)")
        indexed = search_reindex(ids, out=say, jobs=jobs)
        if indexed is None:
            say(
                "search index: not built (articles.search.reindex_articles is not "
                "available); run the search package's reindex once it is installed."
            )
        else:
            say(f"search index built in {indexed:.1f} s ({len(ids) / indexed:.0f}/s)")
        # Fresh planner statistics: without them PostgreSQL ignores the new GIN
        # index after a bulk load and scans every stored vector.
        self._analyze()
        say("planner statistics refreshed (ANALYZE)")
        say(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f} s"))

    def _analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
