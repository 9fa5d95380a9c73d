"""manage.py import_articles PATH... [--publish] [--source] [--language] [--tag]"""

from collections import deque
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from articles.importing import BATCH_SIZE, ImportResult, articles_import
from articles.ingest import TEXT_SUFFIXES, IngestError, read_path
from articles.language_model import language_identifier
from articles.tagging import name_catalog
from articles.workers import can_fork, forked_pool


class Command(BaseCommand):
    help = (
        "Import news items from text, HTML or JSON files (or folders of them) as "
        "draft articles. The same item twice creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish at once (needs --user with the publish permission).",
        )
        parser.add_argument("--source", help="Publisher name for every item.")
        parser.add_argument("--language", help="Language code for every item: en, de.")
        parser.add_argument(
            "--tag",
            action="store_true",
            help="Apply the suggested tags of known entities.",
        )
        parser.add_argument("--user", help="Username recorded as the importer.")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        if options["publish"] and user is None:
            raise CommandError(
                "--publish needs --user USERNAME with the publish permission."
            )
        files = self._files(options["paths"])
        results = []
        # The name catalog is built while the first files are read.
        meanwhile = name_catalog if options["tag"] else None
        for group in _groups(_reads(files, meanwhile)):
            results += self._import_group(group, len(files), user, options)
        self._summary(results)
        if any(not result.ok for result in results):
            raise CommandError(f"{_count(results, 'failed')} item(s) failed.")

    def _import_group(self, group, total, user, options):
        """Import the items of a group of files in one batch, then print a
        progress line per file."""
        items = [item for read in group for item in read.items]
        found = iter(self._import_items(items, user, options))
        results = []
        for read in group:
            self.stdout.write(f"[{read.number}/{total}] {read.path} ... ", ending="")
            file_results = read.failures or [next(found) for _item in read.items]
            self.stdout.write(", ".join(_short(result) for result in file_results))
            results += file_results
        return results

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        return user

    def _files(self, paths):
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files += sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                    and not p.name.startswith(".")
                )  # fmt: skip
            else:
                files.append(path)
        return files

    def _import_items(self, items, user, options):
        try:
            return articles_import(
                items=items,
                user=user,
                source_name=options["source"],
                language=options["language"],
                publish=options["publish"],
                tag=options["tag"],
                find_names_apart=True,
            )
        except PermissionDenied as error:
            return [
                ImportResult(item.name, "failed", message=f"{item.name}: {error}")
                for item in items
            ]

    def _summary(self, results):
        self.stdout.write(
            f"Summary: {_count(results, 'created')} created, "
            f"{_count(results, 'duplicate')} duplicate(s), "
            f"{_count(results, 'near_duplicate')} near-duplicate(s) flagged, "
            f"{_count(results, 'failed')} failed."
        )
        for result in results:
            if result.status == "near_duplicate":
                self.stdout.write(f"  near-duplicate: {result.name}: {result.message}")
            if result.status == "failed":
                self.stderr.write(f"  failed: {result.message}")


def _count(results, status):
    return sum(1 for result in results if result.status == status)


def _short(result):
    if result.status == "failed":
        return "failed: " + result.message.removeprefix(f"{result.name}: ")
    text = f"{result.status.replace('_', '-')} #{result.article.pk}"
    return text + (f" ({result.suggestions} tags)" if result.suggestions else "")


@dataclass
class _Read:
    number: int
    path: Path
    items: list
    failures: list


# Processes reading files for the import, files per task, and tasks they may
# be ahead by: about two batches of items read and waiting at most.
READERS = 2
READ_CHUNK = 50
READ_AHEAD = 20
# Fewer files are read in this process: starting readers would cost more than
# it saves.
READ_AHEAD_FROM = 2 * READ_CHUNK


def _read(numbered):
    number, path = numbered
    try:
        return _Read(number, path, read_path(path), [])
    except IngestError as error:
        failed = ImportResult(str(path), "failed", message=str(error))
        return _Read(number, path, [], [failed])


def _read_chunk(chunk):
    return [_read(numbered) for numbered in chunk]


def _reads(files, meanwhile=None):
    """A _Read per file, in order.

    Reading (decoding, extraction, language detection) needs no database and is a
    fifth of an import's work. For many files, READERS processes read them: the
    first batch in half the time, and the next ones while this process writes.
    `meanwhile()`, if given, runs here while the first files are read.
    """
    numbered = list(enumerate(files, start=1))
    if len(files) < READ_AHEAD_FROM or not can_fork():
        if meanwhile is not None:
            meanwhile()
        yield from map(_read, numbered)
        return
    # Loaded here, the readers inherit the model instead of each loading it
    # (and, on the first run on a machine, each unpacking it).
    language_identifier()
    chunks = (
        numbered[start : start + READ_CHUNK]
        for start in range(0, len(numbered), READ_CHUNK)
    )
    pool = forked_pool(READERS)
    try:
        pending = deque(
            pool.submit(_read_chunk, chunk) for chunk in islice(chunks, READ_AHEAD)
        )
        if meanwhile is not None:
            meanwhile()
        while pending:
            yield from pending.popleft().result()
            for chunk in islice(chunks, 1):
                pending.append(pool.submit(_read_chunk, chunk))
    finally:
        # An import that stops early does not wait for files it will not use.
        pool.shutdown(wait=True, cancel_futures=True)


def _groups(reads):
    """Files read and grouped until a group holds a batch of items."""
    group, size = [], 0
    for entry in reads:
        group.append(entry)
        size += len(entry.items)
        if size >= BATCH_SIZE:
            yield group
            group, size = [], 0
    if group:
        yield group
