"""Database connections outlive a request, on every engine."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

URLS = ["sqlite:////tmp/portal-example.sqlite3", "postgres://u@127.0.0.1:5432/p"]


@pytest.mark.parametrize("url", URLS)
def test_connections_are_kept_between_requests(url):
    # Read from the settings module itself as each engine configures it (the
    # test database of SQLite lives in memory and is never closed anyway).
    code = "from django.conf import settings as s; print(s.DATABASES['default'])"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "'CONN_MAX_AGE': 60," in result.stdout
