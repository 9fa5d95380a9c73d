"""A loopback load test: readers browse and search while editors save articles.

gunicorn serves the configured database on 127.0.0.1; reader threads fetch pages
and searches, editor threads log in to the admin and create and edit articles. At
the end every save the server answered with success is looked up in the database.
Plain `http.client` and threads: no load-testing dependency.
"""

import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import Article

PREFIX = "loadtest"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOADED_VERSION_INPUT = re.compile(r'name="loaded_version" value="(\d+)"')
SEARCH_WORDS = ["Azerbaijan", "Iraq", "minister", "energy", "visit", "Baku", "trade"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    """gunicorn on a free loopback port with production settings, for tests."""

    def __init__(self, workers=3, env=None):
        self.port = free_port()
        self.workers = workers
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY")
            or "load-test-only",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain http on loopback: no redirect to https, no collectstatic.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_MANIFEST": "0",
            **(env or {}),
        }
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
            + ["--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_until_ready()
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited during start-up")
            try:
                if self.request("GET", "/robots.txt")[0] < 500:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read(), response.msg
        finally:
            connection.close()


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    created: list = field(default_factory=list)  # titles the server saved
    edits: dict = field(default_factory=dict)  # article title -> last saved lead

    def record(self, kind, started, ok, detail=""):
        with self.lock:
            self.requests[kind] += 1
            self.latencies.append(time.perf_counter() - started)
            if not ok:
                self.errors.append(f"{kind}: {detail}")


class Session:
    """A logged-in admin session over plain http.client, cookies kept by hand."""

    def __init__(self, server):
        self.server, self.cookies = server, {}

    def _headers(self, extra=None):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie, **(extra or {})}

    def call(self, method, path, form=None):
        body = urlencode(form, doseq=True) if form is not None else None
        extra = {"Content-Type": "application/x-www-form-urlencoded"} if form else {}
        status, content, msg = self.server.request(
            method, path, body, self._headers(extra)
        )
        for header in msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, content.decode("utf-8", "replace")

    def csrf(self, path):
        return self.form_values(path)["csrfmiddlewaretoken"]

    def form_values(self, path):
        """The hidden values a browser would send back: CSRF token, loaded version."""
        status, page = self.call("GET", path)
        match = CSRF_INPUT.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path} answered {status} without a form")
        values = {"csrfmiddlewaretoken": match.group(1)}
        version = LOADED_VERSION_INPUT.search(page)
        if version:
            values["loaded_version"] = version.group(1)
        return values

    def login(self, username, password):
        path = reverse("admin:login")
        token = self.csrf(path)
        status, _ = self.call(
            "POST",
            path,
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}")


def article_form(hidden, title, lead):
    return {
        **hidden,
        "title": title,
        "lead": lead,
        "body": f"<p>{lead}</p>",
        "language": "en",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }


def reader_paths():
    """Pages a reader visits: home, searches, articles, entity pages, API lists."""
    paths = ["/"]
    paths += [f"/search/?{urlencode({'q': w})}" for w in SEARCH_WORDS]
    for article in Article.objects.published().order_by("?")[:20]:
        paths.append(article.get_absolute_url())
        paths += [entity.get_absolute_url() for entity in article.countries.all()[:2]]
    for name in ("api:article-list", "api:person-list", "feeds:latest", "sitemap"):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue
    return paths


def reader(server, paths, stop, stats):
    rng = random.Random()
    while not stop.is_set():
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            status = server.request("GET", path)[0]
            # 429 is the API's anonymous throttle doing its job, not a failure.
            kind = "throttled" if status == 429 else "read"
            stats.record(kind, started, status in {200, 429}, f"{path} -> {status}")
        except OSError as exc:
            stats.record("read", started, False, f"{path} -> {exc!r}")


def editor(server, username, password, stop, stats):
    try:
        _edit_until_stopped(server, username, password, stop, stats)
    finally:
        connections.close_all()  # this thread's own database connection


def _edit_until_stopped(server, username, password, stop, stats):
    session = Session(server)
    try:
        session.login(username, password)
    except (OSError, RuntimeError) as exc:
        stats.record("login", time.perf_counter(), False, repr(exc))
        return
    count = 0
    while not stop.is_set():
        count += 1
        title = f"{PREFIX} {username} article {count}"
        _save(session, reverse("admin:articles_article_add"), title, "first", stats)
        edited = Article._base_manager.filter(title=title).values_list("pk", flat=True)
        if count % 2 == 0 and edited:
            path = reverse("admin:articles_article_change", args=[edited[0]])
            _save(session, path, title, f"edit {count}", stats)


def _save(session, path, title, lead, stats):
    started = time.perf_counter()
    try:
        hidden = session.form_values(path)
        status, _ = session.call("POST", path, article_form(hidden, title, lead))
    except (OSError, RuntimeError) as exc:
        stats.record("save", started, False, f"{title}: {exc!r}")
        return
    ok = status == 302
    stats.record("save", started, ok, f"{title}: {status}")
    if ok:
        with stats.lock:
            if lead == "first":
                stats.created.append(title)
            stats.edits[title] = lead


def verify_saves(stats):
    """Every save answered with success is in the database, with its last lead."""
    stored = dict(
        Article._base_manager.filter(title__startswith=f"{PREFIX} ").values_list(
            "title", "lead"
        )
    )
    missing = [title for title in stats.created if title not in stored]
    wrong = [t for t, lead in stats.edits.items() if stored.get(t) != lead]
    return missing, wrong


class LoadTestError(Exception):
    """The database is not ready for a load test."""


def create_editors(count):
    group = Group.objects.filter(name="Editor").first()
    if group is None:
        raise LoadTestError(
            "The Editor group is missing (it is created by `migrate`); "
            "run the load test against a migrated database."
        )
    accounts = []
    for number in range(count):
        username = f"{PREFIX}-editor-{number}-{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(16)
        user = get_user_model().objects.create_user(
            username, password=password, is_staff=True
        )
        user.groups.add(group)
        accounts.append((username, password))
    return accounts


def ensure_published_articles(minimum=10):
    """A few public articles to read when the database has none."""
    for number in range(minimum - Article.objects.published().count()):
        Article.objects.create(
            title=f"{PREFIX} reading article {number}",
            lead="Foreign ministers met to discuss trade and energy.",
            body="<p>Azerbaijan and Iraq discussed trade and energy.</p>",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )


def clean_up(accounts):
    Article._base_manager.filter(title__startswith=f"{PREFIX} ").delete()
    get_user_model().objects.filter(username__in=[u for u, _ in accounts]).delete()


def run(*, seconds, readers, editors, workers):
    """Run the load for `seconds`; returns (stats, missing, wrong, elapsed)."""
    ensure_published_articles()
    accounts = create_editors(editors)
    paths = reader_paths()
    stats, stop = Stats(), threading.Event()
    try:
        with GunicornServer(workers=workers) as server:
            threads = [
                threading.Thread(target=reader, args=(server, paths, stop, stats))
                for _ in range(readers)
            ] + [
                threading.Thread(target=editor, args=(server, *acct, stop, stats))
                for acct in accounts
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            time.sleep(seconds)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            elapsed = time.perf_counter() - started
        missing, wrong = verify_saves(stats)
        return stats, missing, wrong, elapsed
    finally:
        clean_up(accounts)
