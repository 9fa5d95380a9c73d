"""Against a real gunicorn on loopback: a killed worker, and the load test.

SQLite runs use a migrated database file of their own; PostgreSQL runs serve the
test database itself (committed data, hence transactional tests).
"""

import importlib
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection

from articles.loadtest import GunicornServer

grant_newsroom_groups = importlib.import_module(
    "articles.migrations.0003_editorial_groups"
).grant_newsroom_groups

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _manage(*args, env, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def served_env(tmp_path):
    """Environment for processes that must see the same database as this test."""
    env = {**os.environ, "DJANGO_MEDIA_ROOT": str(tmp_path / "media")}
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'served.sqlite3'}"
        result = _manage("migrate", "--noinput", env=env)
        assert result.returncode == 0, result.stderr
    else:
        # Serving the test database itself: a transactional test's flush has
        # removed the groups the data migration made, so put them back.
        grant_newsroom_groups(django_apps)
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


def _start_then_stall(port):
    """Send half a request's headers: the worker that takes it now waits."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"GET /search/?q=Baku HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ")
    return sock


def test_worker_killed_mid_request_does_not_affect_next_requests(served_env):
    with GunicornServer(workers=1, env=served_env) as server:
        assert server.request("GET", "/")[0] == 200
        stalled = _start_then_stall(server.port)
        time.sleep(1)  # let the worker pick the request up
        (worker,) = server.worker_pids()
        os.kill(worker, signal.SIGKILL)
        # The cut-off client sees its connection closed, not a hang.
        assert stalled.recv(1024) == b""
        stalled.close()
        statuses = [server.request("GET", "/")[0] for _ in range(20)]
        assert statuses == [200] * 20
        assert server.worker_pids() != [worker]


def test_loadtest_command_finishes_without_errors(served_env):
    result = _manage(
        "loadtest",
        "--seconds=6",
        "--readers=3",
        "--editors=2",
        "--workers=2",
        env=served_env,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = dict(
        line.split(None, 1) for line in result.stdout.splitlines() if line[:1] != " "
    )
    assert figures["errors"].strip() == "0"
    assert int(figures["requests"].split()[0]) > 10
    assert " 0 missing, 0 with a lost edit" in result.stdout
