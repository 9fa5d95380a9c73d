"""Whole-page cache for anonymous readers of the public portal, and conditional GET.

Pages are stored in the configured Django cache (local memory, or Redis when
`REDIS_URL` is set) under the current *content generation*: a random token
replaced once any change to an article or an entity has been committed.
Replacing it makes every stored page unreachable at once, so no list of pages
to purge is needed and nothing can be missed. The token is shared by all worker
processes: it lives in Redis, or, when each process caches in its own memory,
in a small file (settings.PORTAL_CACHE_GENERATION_FILE).

Scheduled articles become public without any write, so a stored page never lives
past the next scheduled publication time, nor past `PORTAL_CACHE_SECONDS`.

Only anonymous GET and HEAD requests for the portal's public URLs take part: a
request carrying a session cookie (a logged-in editor, a preview) is never
answered from the cache and never stored, and neither is an answer that sets a
cookie, varies on a header or is not a plain 200.

The middleware sits outside the session, CSRF, CSP and frame-options middleware:
a stored page keeps the Content-Security-Policy header it was rendered with, so
a nonce in the header always matches the nonce in the body. The security
middleware runs outside it and adds HSTS and the other headers to every answer.
"""

import datetime
import functools
import hashlib
import logging
import math
import os
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Min
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_http_date_safe

logger = logging.getLogger(__name__)

PREFIX = "portal-page"
GENERATION_KEY = f"{PREFIX}:generation"
TOKEN = re.compile(r"[0-9a-f]{32}")
# Changes to any model of these apps can alter a public page.
WATCHED_APPS = {"articles", "relations"}
PUBLIC_NAMESPACES = {"articles", "relations"}
PUBLIC_VIEWS = {"sitemap", "sitemap-section", "robots"}
# Answers JSON or HTML depending on the Accept header: not one page per URL.
UNSHARED_VIEWS = {"articles:search_suggest"}
SAFE_METHODS = {"GET", "HEAD"}
UNSHAREABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")


def cache_seconds():
    return max(0, settings.PORTAL_CACHE_SECONDS)


# -- The content generation -------------------------------------------------


def new_generation():
    """Make every stored page unreachable (a new random token).

    The token is stored with the next scheduled publication as of now, read
    here, after the write: the first page of the new generation, in any process,
    then knows how long it may be kept without a query of its own.
    """
    try:
        _store_generation(Generation(uuid.uuid4().hex, *_schedule_now()))
    except Exception:
        # The write itself succeeded; pages then live at most PORTAL_CACHE_SECONDS.
        logger.exception("Could not start a new page cache generation")


@dataclass(frozen=True)
class Generation:
    """A content generation as stored: its token and, when the write that
    started it read it, the next scheduled publication."""

    token: str
    # When `upcoming` was read and what it was (epoch seconds, None when no
    # article was scheduled); `since` is None when it was not read.
    since: float | None = None
    upcoming: float | None = None

    def upcoming_at(self, now):
        """(known, the next publication after `now`): known when noted for it."""
        stamp = now.timestamp()
        if self.since is None or stamp < self.since:
            return False, None
        if self.upcoming is None:
            return True, None
        if self.upcoming <= stamp:
            return False, None
        return True, datetime.datetime.fromtimestamp(self.upcoming, datetime.UTC)


def _schedule_now():
    """(now, the first publication after now) in epoch seconds, or (None, None)
    when the articles cannot be read (tables being rebuilt by migrate or flush)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        return None, None  # a failed read would break the open transaction
    now = timezone.now()
    try:
        upcoming = _first_publication_after(now)
    except DatabaseError:
        return None, None
    return now.timestamp(), _timestamp(upcoming)


def current_generation():
    """The current token; a random new one when there is none yet (a restart, an
    eviction), so pages stored before can never be mistaken for current ones."""
    generation = _read_generation()
    if generation is None:
        _store_generation(Generation(uuid.uuid4().hex))
        # Another process may have stored its own just before: one wins for all.
        generation = _read_generation()
    if generation is None:
        return uuid.uuid4().hex  # nowhere to keep it: this request's own
    if generation.token not in _noted:
        if len(_noted) >= 8:
            _noted.clear()
        _noted[generation.token] = generation
    return generation.token


# token -> Generation, as this process last read it (a new token replaces the
# old entry: at most a few are kept).
_noted = {}


def _read_generation():
    path = generation_file()
    if path is None:
        return _parsed(cache.get(GENERATION_KEY))
    try:
        with open(path, encoding="ascii") as handle:
            return _parsed(handle.read(128))
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _parsed(stored):
    """A Generation from its stored text ("token since upcoming", "-" for None),
    or None for anything else."""
    if not isinstance(stored, str):
        return None
    token, *times = stored.split(" ")
    if not TOKEN.fullmatch(token) or len(times) not in (0, 2):
        return None
    try:
        since, upcoming = [_seconds(t) for t in times] if times else (None, None)
    except ValueError:
        return None
    return Generation(token, since, upcoming)


def _seconds(text):
    if text == "-":
        return None
    seconds = float(text)
    if not math.isfinite(seconds):
        raise ValueError(f"not a time: {text}")
    return seconds


def _stored_text(generation):
    times = [generation.since, generation.upcoming]
    return " ".join([generation.token] + ["-" if t is None else repr(t) for t in times])


def _store_generation(generation):
    # Two processes storing at once is harmless: either token is a new one.
    text = _stored_text(generation)
    path = generation_file()
    if path is None:
        cache.set(GENERATION_KEY, text, timeout=None)
        return
    written = f"{path}.{generation.token}"
    with open(written, "w", encoding="ascii") as handle:
        handle.write(text)
    os.replace(written, path)  # readers see the old token or the new, never half


@functools.cache
def _private_folder(folder):
    """Whether `folder` is this user's alone (created if missing)."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        info = None
    if info and info.st_uid == os.getuid() and not info.st_mode & 0o022:
        return True
    logger.warning(
        "%s is not private to this user: page cache generations stay per process",
        folder,
    )
    return False


def generation_file():
    """The file holding the token, shared by every worker process on the machine,
    or None when the token lives in the cache (Redis, shared already)."""
    path = settings.PORTAL_CACHE_GENERATION_FILE
    if path and _private_folder(os.path.dirname(path)):
        return path
    return None


def content_changed(using=DEFAULT_DB_ALIAS):
    """Start a new generation once the current transaction commits (at once
    outside a transaction). Pages rendered before the commit show the old
    content, so the token must change after it, not before."""
    connection = connections[using]
    if connection.in_atomic_block and _generation_pending(connection):
        return
    transaction.on_commit(new_generation, using=using)


def _generation_pending(connection):
    # An article save touches many rows (tags, images, revisions, transitions):
    # one new generation per transaction is enough.
    return any(entry[1] is new_generation for entry in connection.run_on_commit)


def on_model_saved_or_deleted(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        content_changed(using)


def on_many_to_many_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_") and sender._meta.app_label in WATCHED_APPS:
        content_changed(using)


def on_database_reset(sender, **kwargs):
    # `migrate` and `flush` rewrite tables without model signals.
    if sender.name == "articles":
        new_generation()


# -- Scheduled publication --------------------------------------------------


def next_publication(generation, now):
    """The earliest publication time after `now` of a published article, or None.

    Remembered per generation: scheduling or rescheduling an article is a write,
    which starts a new generation, so the remembered time can only go stale by
    passing, and then it is read again. A generation started by a write comes
    with the time read then (`new_generation`): no query until it passes.
    """
    key = f"{PREFIX}:{generation}:next-publication"
    # What the write noted with the token, then what a request here read; both
    # are checked by Generation.upcoming_at. (A value of another shape, left by
    # an older version in a shared cache, is ignored.)
    for remembered in (_noted.get(generation), cache.get(key)):
        if isinstance(remembered, Generation):
            known, upcoming = remembered.upcoming_at(now)
            if known:
                return upcoming
    upcoming = _first_publication_after(now)
    read = Generation(generation, now.timestamp(), _timestamp(upcoming))
    cache.set(key, read, timeout=cache_seconds())
    return upcoming


def _timestamp(moment):
    return None if moment is None else moment.timestamp()


def _first_publication_after(now):
    from .models import Article

    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    upcoming = published.filter(published_at__gt=now)
    return upcoming.aggregate(first=Min("published_at"))["first"]


# -- Requests and responses -------------------------------------------------


def is_public_page_request(request):
    """An anonymous GET or HEAD of a public portal URL."""
    if request.method not in SAFE_METHODS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.view_name in UNSHARED_VIEWS:
        return False
    return match.namespace in PUBLIC_NAMESPACES or match.view_name in PUBLIC_VIEWS


def is_shareable(response):
    """The same for every anonymous reader: a plain 200 without cookies or Vary."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Vary"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in UNSHAREABLE_CACHE_CONTROL)


def page_key(generation, request):
    # Scheme and host are part of the page (canonical links, the sitemap).
    url = request.build_absolute_uri()
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"{PREFIX}:{generation}:{digest}"


def conditional(request, response):
    """304 Not Modified when the reader already holds this version of the page."""
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=last_modified,
        response=response,
    )


def stored_entry(response, valid_until):
    return (valid_until, response.content, list(response.items()))


def response_from(entry):
    _, content, headers = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


# -- The middleware ---------------------------------------------------------


class PageCacheMiddleware:
    """Serve anonymous readers stored pages; tag public pages with an ETag."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_page_request(request):
            return self.get_response(request)
        if not self.caching():
            return self.uncached(request)
        now = timezone.now()
        try:
            generation = current_generation()
            key = page_key(generation, request)
            entry = cache.get(key)
            if entry is not None and now.timestamp() < entry[0]:
                return conditional(request, response_from(entry))
            # Read before rendering: the page's own parts kept per generation
            # (articles.contentcache) then find it remembered for their `now`.
            upcoming = next_publication(generation, now)
        except Exception:
            logger.exception("Page cache unavailable")
            return self.uncached(request)
        response = self.get_response(request)
        if not is_shareable(response):
            return response
        set_response_etag(response)
        self.store(key, response, now, upcoming)
        return conditional(request, response)

    def caching(self):
        # Inside an open transaction a page may show rows not yet committed
        # (and the commit that would start a new generation may never come).
        return cache_seconds() > 0 and not connections[DEFAULT_DB_ALIAS].in_atomic_block

    def uncached(self, request):
        response = self.get_response(request)
        if not is_shareable(response):
            return response
        set_response_etag(response)
        return conditional(request, response)

    def store(self, key, response, now, upcoming):
        """Keep the page until the next scheduled publication (`upcoming`) at the
        latest.

        `now` was taken before the page was rendered, so an article that became
        public during rendering still ends the page's life.
        """
        try:
            valid_until = now.timestamp() + cache_seconds()
            if upcoming is not None:
                valid_until = min(valid_until, upcoming.timestamp())
            timeout = max(1, math.ceil(valid_until - now.timestamp()))
            cache.set(key, stored_entry(response, valid_until), timeout=timeout)
        except Exception:
            logger.exception("Could not store a page in the cache")
