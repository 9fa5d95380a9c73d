"""Values every uncached portal page would compute again, kept in this process for
the current content generation.

A page the page cache (articles.pagecache) has not stored still shares most of
its expensive parts with other pages: the home page's article and topic counts,
the followed country pairs, the window of recent articles that related coverage
is scored from. They are kept here, in each worker's own memory, under the page
cache's content generation: any committed change to an article or an entity
starts a new generation, and the first page asking for a value afterwards
computes it again. A value also lives no longer than `PORTAL_CACHE_SECONDS`, nor
past the next scheduled publication (which changes what is public without any
write).

Nothing is kept, and every value is computed afresh, while the page cache is off
or inside an open transaction (a value could show rows not yet committed, or
rows the transaction will roll back).
"""

from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from . import pagecache


@dataclass
class Generation:
    """The values kept for one content generation, until `valid_until`."""

    token: str
    valid_until: float
    values: dict = field(default_factory=dict)


_current = None


def cached(name, compute):
    """The value `compute()` gives for this generation, computed once per process."""
    value = kept(name, compute)
    return compute() if value is None else value


def kept(name, compute):
    """Like cached(), but None when nothing may be kept: for a value only worth
    computing to keep it (the caller then takes another way)."""
    generation = _generation()
    if generation is None:
        return None
    try:
        return generation.values[name]
    except KeyError:
        pass
    value = compute()
    generation.values[name] = value
    return value


def cached_in(name, key, compute, limit):
    """`compute()` for `key` in a table of at most `limit` entries per generation
    (per-article values: past the limit they are computed, not kept)."""
    generation = _generation()
    if generation is None:
        return compute()
    table = generation.values.setdefault(name, {})
    try:
        return table[key]
    except KeyError:
        pass
    value = compute()
    if len(table) < limit:
        table[key] = value
    return value


def clear():
    """Forget every kept value (the next page computes them again)."""
    global _current
    _current = None


def enabled(using=DEFAULT_DB_ALIAS):
    return pagecache.cache_seconds() > 0 and not connections[using].in_atomic_block


def _generation():
    """The values of the current generation, or None when nothing may be kept.

    The token is read before any value is computed: a change committed while a
    value is computed then ends its life at the next read, never the reverse.
    """
    global _current
    if not enabled():
        return None
    try:
        token = pagecache.current_generation()
    except Exception:
        return None
    now = timezone.now()
    current = _current
    if current is not None and current.token == token:
        if now.timestamp() < current.valid_until:
            return current
    _current = Generation(token, _valid_until(token, now))
    return _current


def _valid_until(token, now):
    valid_until = now.timestamp() + pagecache.cache_seconds()
    upcoming = pagecache.next_publication(token, now)
    if upcoming is not None:
        valid_until = min(valid_until, upcoming.timestamp())
    return valid_until
