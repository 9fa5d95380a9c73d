"""Timing helpers: bounded loops and percentiles."""

import math
import time


def percentile(samples, p):
    """Linear-interpolated percentile of `samples` (p in 0..100); None when empty."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(seconds):
    """p50/p95/p99/max in milliseconds of a list of durations in seconds."""
    millis = [s * 1000 for s in seconds]
    return {
        "n": len(millis),
        "p50_ms": _round(percentile(millis, 50)),
        "p95_ms": _round(percentile(millis, 95)),
        "p99_ms": _round(percentile(millis, 99)),
        "max_ms": _round(max(millis) if millis else None),
    }


def _round(value):
    return None if value is None else round(value, 2)


def timed_calls(call, items, *, budget_seconds):
    """Call `call(item)` for each item until the time budget runs out.

    Returns (durations, results). The first call always runs, so a slow engine
    yields at least one sample instead of none.
    """
    durations, results, deadline = [], [], time.monotonic() + budget_seconds
    for item in items:
        started = time.perf_counter()
        results.append(call(item))
        durations.append(time.perf_counter() - started)
        if time.monotonic() > deadline:
            break
    return durations, results
