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
    if reindex_in_chunks is None:
        return None
    out = out or (lambda message: None)
    started = time.monotonic()
    for done in reindex_in_chunks(ids, chunk_size=REINDEX_CHUNK, jobs=jobs):
        rate = done / max(time.monotonic() - started, 1e-9)
        out(f"search index: {done}/{len(ids)} ({rate:.0f}/s)")
    compact_index = optional("articles.search", "compact_index")
    if compact_index is not None:
        out("search index: compacting")
        compact_index()
    return time.monotonic() - started
