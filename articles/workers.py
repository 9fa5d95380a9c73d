"""Work handed to other processes of this machine: forked, so they start with
what this process has loaded (settings, the language model, the name catalog)
and need no set-up of their own."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from django.db import connections


def forked_pool(workers, initializer=None, initargs=()):
    """A pool of `workers` forked processes; `initializer(*initargs)` runs in
    each (with fork, `initargs` are inherited, not copied through a pipe)."""
    return ProcessPoolExecutor(
        workers,
        multiprocessing.get_context("fork"),
        initializer=_start,
        initargs=(initializer, initargs),
    )


def _start(initializer, initargs):
    _forget_connections()
    if initializer is not None:
        initializer(*initargs)


def _forget_connections():
    """Drop the database connections inherited from the parent without closing
    them: closing would end the parent's sessions. Workers never use one."""
    for connection in connections.all(initialized_only=True):
        connection.connection = None
