"""Work handed to other processes of this machine: forked, so they start with
what this process has loaded (settings, the language model) and need no set-up
of their own."""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from django.db import connections

# How much lower a helper's scheduling priority is than its parent's.
HELPER_NICENESS = 5


def can_fork():
    """Whether this platform starts processes by forking (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def forked_pool(workers, initializer=None, initargs=()):
    """A pool of `workers` forked processes, for work that needs no database.

    Each runs `initializer(*initargs)` first. Forked, a worker inherits
    `initargs` as they are in this process, without copying them through a pipe.
    """
    return ProcessPoolExecutor(
        workers,
        multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(initializer, initargs),
    )


def _start_worker(initializer, initargs):
    _forget_connections()
    # Helpers give way to the process they work for when the cores are busy:
    # it is the one that writes, which everything waits for.
    os.nice(HELPER_NICENESS)
    if initializer is not None:
        initializer(*initargs)


def _forget_connections():
    """Drop the database connections inherited from the parent without closing
    them: closing would end the parent's sessions. Workers never use one."""
    for connection in connections.all(initialized_only=True):
        connection.connection = None
