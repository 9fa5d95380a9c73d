"""The `--jobs` option of the commands that build the search index."""

from django.core.management.base import CommandError

from articles.search.bulk import parallel_reindex_supported


def add_jobs_argument(parser, help):
    parser.add_argument("--jobs", type=int, default=1, help=help)


def check_jobs(jobs):
    """Refuse a number of processes this database cannot use, before any write."""
    if jobs < 1:
        raise CommandError("--jobs must be at least 1.")
    if jobs > 1 and not parallel_reindex_supported():
        raise CommandError("SQLite allows one writer at a time: use --jobs 1.")
