"""Rebuilding the index of many articles, a chunk at a time, in one or more processes.

A million articles take hours in one process. The work is CPU-bound, in Python
(tokenising, stemming) and in the database server (vectors, GIN index), so
processes with a connection each use the cores that one leaves idle.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager

from django.db import connection, connections, transaction

from .backends import backend
from .indexing import reindex_articles


def parallel_reindex_supported():
    """SQLite lets one process write at a time: more processes would only wait."""
    return connection.vendor != "sqlite"


def reindex_in_chunks(ids, *, chunk_size, jobs=1):
    """Reindex `ids` chunk by chunk (each chunk its own transaction) in `jobs`
    processes; yields the number of articles done after each chunk.

    A failing chunk stops the run and raises; the chunks already done stay
    indexed and reindexing is idempotent, so running it again completes it.
    """
    chunks = [
        ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)
    ]
    if jobs <= 1:
        yield from _reindex_here(chunks)
        return
    if not parallel_reindex_supported():
        raise ValueError("SQLite allows one writer at a time: reindex with one job.")
    yield from _reindex_in_processes(chunks, jobs)


def _reindex_here(chunks):
    done = 0
    for chunk in chunks:
        done += reindex_articles(chunk)
        yield done


def _reindex_in_processes(chunks, jobs):
    # Forked workers must open their own connections, never share the parent's socket.
    connections.close_all()
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    try:
        futures = [pool.submit(_reindex_chunk, chunk) for chunk in chunks]
        done = 0
        for future in as_completed(futures):
            done += future.result()
            yield done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _reindex_chunk(ids):
    return reindex_articles(ids)


@contextmanager
def bulk_rebuild():
    """Around rebuilding many articles: when the index is empty, PostgreSQL
    drops its GIN indexes first and builds them once at the end, in one pass
    instead of an update per word of every article. Whatever happens inside,
    the index is compacted (and so its indexes built) on the way out; yields
    whether they were dropped, to say so."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            deferred = backend().defer_indexes(cursor)
    try:
        yield deferred
    finally:
        compact_index()


def compact_index():
    """After a bulk rebuild: merge the index into as few parts as it can have.

    SQLite's FTS5 tables grow by segments that searches read one by one; after
    rebuilding 100,000 articles, looking one article up in the index by id
    (a filtered search) took 72-90 us, and 13-15 us once merged (docs/search.md).
    PostgreSQL's GIN indexes take new entries in place (no pending list):
    only those `bulk_rebuild` dropped, or a killed rebuild left missing, are
    built (at 1,000,000 articles, minutes: the tables are locked against
    writes meanwhile).
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            backend().compact(cursor)
