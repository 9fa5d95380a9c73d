"""Work handed to other processes of this machine: forked, so they start with
what this process has loaded (settings, the language model) and need no set-up
of their own."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from django.db import connections


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
    if initializer is not None:
        initializer(*initargs)


def _forget_connections():
    """Drop the database connections inherited from the parent without closing
    them: closing would end the parent's sessions. Workers never use one."""
    for connection in connections.all(initialized_only=True):
        connection.connection = None
