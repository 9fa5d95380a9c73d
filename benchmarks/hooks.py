"""The places where the benchmark meets other parts of the project.

Each part may be missing on a given branch; a missing part is reported as
"not available" with the reason, never as a crash or as a zero.
"""

import importlib
import time

REINDEX_CHUNK = 5000


def optional(module, name):
    """`module.name` if that part of the project is installed, else None."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def search_reindex(ids, out=None, jobs=1):
    """Rebuild the search data of `ids` in chunks, in `jobs` processes; returns
    seconds, or None if the search package is absent."""
    reindex_in_chunks = optional("articles.search", "reindex_in_chunks")
    bulk_rebuild = optional("articles.search", "bulk_rebuild")
    if reindex_in_chunks is None or bulk_rebuild is None:
        return None
    out = out or (lambda message: None)
    started = time.monotonic()
    with bulk_rebuild() as deferred:
        if deferred:
            out("search index: empty, its database indexes are built at the end")
        for done in reindex_in_chunks(ids, chunk_size=REINDEX_CHUNK, jobs=jobs):
            rate = done / max(time.monotonic() - started, 1e-9)
            out(f"search index: {done}/{len(ids)} ({rate:.0f}/s)")
        out("search index: compacting")
    return time.monotonic() - started
