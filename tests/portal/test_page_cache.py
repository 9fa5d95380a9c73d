"""The page cache: hits without queries, invalidation, schedules, privacy, headers.

These tests commit their writes (a transactional database): the cache is skipped
inside an open transaction, and a new generation starts only after a commit.
"""

import datetime
import importlib
import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from articles import pagecache, services
from articles.search import index_article
from relations.services import entity_save
from tests.factories import (
    ArticleFactory,
    PersonFactory,
    PublishedArticleFactory,
    TopicFactory,
    chief_editor,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
grant_newsroom_groups = importlib.import_module(
    "articles.migrations.0003_editorial_groups"
).grant_newsroom_groups

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _newsroom_groups(transactional_db):
    # An earlier transactional test's flush can leave the database without the
    # groups the data migration made; the chief editor below needs one.
    grant_newsroom_groups(django_apps)


@pytest.fixture(autouse=True)
def _empty_cache(settings, tmp_path):
    settings.PORTAL_CACHE_SECONDS = 300
    settings.PORTAL_CACHE_GENERATION_FILE = str(tmp_path / "private" / "generation")
    cache.clear()
    yield
    cache.clear()


def get_counted(client, url, **extra):
    """(response, number of SQL queries it took)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def public_urls(w):
    return [
        "/",
        w.article.get_absolute_url(),
        w.minister.get_absolute_url(),
        w.north.get_absolute_url(),
        w.ministry.get_absolute_url(),
        w.event.get_absolute_url(),
        w.agreement.get_absolute_url(),
        w.topic.get_absolute_url(),
        w.relation.get_absolute_url(),
        "/search/?q=consultations&country=nl",
        "/feeds/latest/",
        f"/feeds/people/{w.minister.slug}/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/robots.txt",
    ]


def test_a_cache_hit_is_the_same_page_without_queries(client, world):
    for url in public_urls(world):
        first, first_queries = get_counted(client, url)
        again, queries = get_counted(client, url)
        assert first.status_code == again.status_code == 200, url
        assert first_queries > 0 or url == "/robots.txt", url
        assert queries == 0, url
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"], url
        assert again["ETag"] == first["ETag"], url


def test_head_is_answered_from_the_stored_page(client, world):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.head("/")
    assert response.status_code == 200
    assert len(queries) == 0


def test_each_query_string_is_its_own_page(client, world):
    url = world.article.get_absolute_url()
    client.get(url)
    # The load test's "uncached" figures add a unique parameter to every request.
    response, queries = get_counted(client, f"{url}?_=1")
    assert response.status_code == 200
    assert queries > 0
    assert get_counted(client, f"{url}?_=1")[1] == 0


def test_search_pages_differ_by_query(client, world):
    index_article(world.article)  # factories write past the services
    found = client.get("/search/?q=consultations").content
    nothing = client.get("/search/?q=zanzibar").content
    assert b"Deputy ministers hold" in found
    assert b"Deputy ministers hold" not in nothing
    assert client.get("/search/?q=consultations").content == found


def test_publishing_shows_at_once(client, world):
    draft = ArticleFactory(title="Trade commission meets in Salvia")
    assert b"Trade commission meets" not in client.get("/").content
    assert client.get(draft.get_absolute_url()).status_code == 404
    services.article_publish(article=draft, user=chief_editor())
    assert b"Trade commission meets" in client.get("/").content
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_an_edit_shows_at_once(client, world):
    article = world.article
    url = article.get_absolute_url()
    assert b"Deputy ministers hold" in client.get(url).content
    article.title = "Foreign ministers hold consultations in Salvia"
    services.article_save(article=article, user=chief_editor())
    for page in (url, "/", world.minister.get_absolute_url()):
        assert b"Foreign ministers hold" in client.get(page).content, page


def test_a_tag_change_shows_at_once(client, world):
    url = world.article.get_absolute_url()
    assert b"Hydropower" not in client.get(url).content
    hydro = TopicFactory(name="Hydropower")
    assert client.get(hydro.get_absolute_url()).status_code == 200
    services.article_set_tags(article=world.article, topics=[hydro])
    assert b"Hydropower" in client.get(url).content
    assert b"Deputy ministers hold" in client.get(hydro.get_absolute_url()).content


def test_renaming_an_entity_shows_on_every_page_naming_it(client, world):
    pages = [world.article.get_absolute_url(), "/", world.minister.get_absolute_url()]
    for page in pages:
        assert b"Farid Karimov" in client.get(page).content
    world.minister.full_name = "Farid Kerimov"
    entity_save(entity=world.minister)
    for page in pages:
        content = client.get(page).content
        assert b"Farid Kerimov" in content and b"Farid Karimov" not in content, page


def test_archiving_and_deleting_remove_pages_at_once(client, world):
    url = world.article.get_absolute_url()
    assert client.get(url).status_code == 200
    services.article_archive(article=world.article, user=chief_editor())
    assert client.get(url).status_code == 404
    assert b"Deputy ministers hold" not in client.get("/").content
    topic_url = world.topic.get_absolute_url()
    assert client.get(topic_url).status_code == 200
    world.topic.delete()
    assert client.get(topic_url).status_code == 404


def test_drafts_never_leak_through_the_cache(client, world):
    hidden_titles = [article.title.encode() for article in world.hidden]
    for url in public_urls(world):
        for _ in range(2):  # stored, then served from the cache
            content = client.get(url).content
            for title in hidden_titles:
                assert title not in content, (url, title)
    for article in world.hidden:
        assert client.get(article.get_absolute_url()).status_code == 404


def test_taking_an_article_back_to_draft_hides_it_at_once(client, world):
    url = world.article.get_absolute_url()
    assert client.get(url).status_code == 200
    services.article_unpublish(article=world.article, user=chief_editor())
    assert client.get(url).status_code == 404
    assert b"Deputy ministers hold" not in client.get("/").content


def test_a_scheduled_article_appears_on_time_without_any_write(
    client, world, monkeypatch
):
    start = timezone.now()
    scheduled = PublishedArticleFactory(
        title="Summit opens in Salvia", published_at=start + HOUR
    )
    assert b"Summit opens" not in client.get("/").content
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    response, queries = get_counted(client, "/")
    assert queries == 0 and b"Summit opens" not in response.content
    monkeypatch.setattr(timezone, "now", lambda: start + HOUR + datetime.timedelta(1))
    assert b"Summit opens" in client.get("/").content
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_a_page_lives_no_longer_than_the_setting(client, world, monkeypatch, settings):
    settings.PORTAL_CACHE_SECONDS = 60
    start = timezone.now()
    client.get("/")
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(0, 59))
    assert get_counted(client, "/")[1] == 0
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(0, 61))
    assert get_counted(client, "/")[1] > 0


def test_zero_seconds_turns_the_cache_off(client, world, settings):
    settings.PORTAL_CACHE_SECONDS = 0
    client.get("/")
    response, queries = get_counted(client, "/")
    assert response.status_code == 200 and queries > 0
    assert response.has_header("ETag")


def test_logged_in_readers_neither_get_nor_fill_the_cache(client, world):
    editor = chief_editor()
    client.force_login(editor)
    url = world.article.get_absolute_url()
    client.get(url)
    assert get_counted(client, url)[1] > 0  # not served from the cache
    client.logout()
    assert get_counted(client, url)[1] > 0  # the editor's visit stored nothing
    assert get_counted(client, url)[1] == 0  # an anonymous visit does
    client.force_login(editor)
    response, queries = get_counted(client, url)
    assert queries > 0 and not response.has_header("ETag")


def test_admin_and_api_are_never_cached(client, world):
    # The API sets ETags of its own (docs/api.md); none of these is stored.
    for url in ("/api/articles/", "/search/suggest/?q=kar"):
        client.get(url)
        assert get_counted(client, url)[1] > 0, url
    for url in ("/admin/login/", "/search/suggest/?q=kar"):
        client.get(url)
        assert not client.get(url).has_header("ETag"), url


def test_a_not_found_page_is_not_stored(client, world):
    client.get("/articles/no-such-story/")
    response, queries = get_counted(client, "/articles/no-such-story/")
    assert response.status_code == 404 and queries > 0


def test_if_none_match_gets_304_from_the_cache(client, world):
    url = world.article.get_absolute_url()
    etag = client.get(url)["ETag"]
    response, queries = get_counted(client, url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert queries == 0
    assert response.content == b""
    changed = get_counted(client, url, HTTP_IF_NONE_MATCH='"something-else"')[0]
    assert changed.status_code == 200


def test_if_none_match_gets_304_without_the_cache(client, world, settings):
    settings.PORTAL_CACHE_SECONDS = 0
    etag = client.get("/").headers["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_etag_changes_with_the_content(client, world):
    url = world.article.get_absolute_url()
    before = client.get(url)["ETag"]
    world.article.title = "Ministers hold consultations in Salvia"
    services.article_save(article=world.article, user=chief_editor())
    after = client.get(url)
    assert after["ETag"] != before
    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
]


def test_security_headers_are_on_cached_pages(client, world):
    first = client.get("/", secure=True)
    hit, queries = get_counted(client, "/", secure=True)
    assert queries == 0
    for header in SECURITY_HEADERS:
        assert hit.has_header(header), header
        assert hit[header] == first[header], header


@pytest.fixture
def nonce_in_footer(settings, tmp_path):
    """The footer carries an inline script with the request's CSP nonce."""
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "footer.html").write_text(
        '<script nonce="{{ CSP_NONCE }}">document.title += "";</script>'
    )
    templates = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**templates, "DIRS": [tmp_path, *templates["DIRS"]]}]


def nonces(response):
    in_body = re.findall(r'<script nonce="([^"]+)"', response.content.decode())
    in_header = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return in_body, set(in_header)


def test_the_csp_nonce_of_a_cached_page_matches_its_header(
    client, world, nonce_in_footer
):
    first = client.get("/")
    hit, queries = get_counted(client, "/")
    assert queries == 0
    body, header = nonces(hit)
    assert len(body) == 1 and header == set(body)
    assert nonces(first) == (body, header)


def test_a_change_saved_by_another_process_shows_at_once(client, world, settings):
    # Each gunicorn worker has its own local-memory cache; they share the token.
    assert pagecache.generation_file() == settings.PORTAL_CACHE_GENERATION_FILE
    client.get("/")
    assert get_counted(client, "/")[1] == 0
    bump = "from articles import pagecache; pagecache.new_generation()"
    env = {
        **os.environ,
        "PORTAL_CACHE_GENERATION_FILE": settings.PORTAL_CACHE_GENERATION_FILE,
    }
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", bump],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    assert get_counted(client, "/")[1] > 0


def test_a_shared_folder_is_not_trusted_with_the_token(client, world, settings):
    folder = Path(settings.PORTAL_CACHE_GENERATION_FILE).parent.parent / "open"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    settings.PORTAL_CACHE_GENERATION_FILE = str(folder / "generation")
    assert pagecache.generation_file() is None
    client.get("/")
    assert get_counted(client, "/")[1] == 0  # the token is kept in the cache
    TopicFactory()
    assert get_counted(client, "/")[1] > 0
    assert not (folder / "generation").exists()


def test_models_of_other_apps_do_not_start_a_generation(world):
    before = pagecache.current_generation()
    chief_editor()
    assert pagecache.current_generation() == before
    TopicFactory()
    assert pagecache.current_generation() != before


def test_rebuilding_the_search_index_shows_at_once(client, world):
    # Factories write past the services: the article is not in the index yet.
    url = "/search/?q=consultations"
    assert b"Deputy ministers hold" not in client.get(url).content
    call_command("search_reindex")
    assert b"Deputy ministers hold" in client.get(url).content


def test_one_transaction_starts_one_generation(world, monkeypatch):
    topic, person = TopicFactory(), PersonFactory()
    started = []
    monkeypatch.setattr(pagecache, "new_generation", lambda: started.append(1))
    services.article_set_tags(article=world.article, topics=[topic], people=[person])
    assert started == [1]


def test_pages_render_when_the_cache_is_unreachable(client, world):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=unreachable, PORTAL_CACHE_GENERATION_FILE=""):
        response = client.get(world.article.get_absolute_url())
        assert response.status_code == 200
        assert b"Deputy ministers hold" in response.content
        # A write still succeeds; only the new generation is lost.
        world.minister.full_name = "Farid Kerimov"
        entity_save(entity=world.minister)


def unused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# A database number of its own; TEST_REDIS_URL points elsewhere if needed.
REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def redis_cache(settings):
    url = os.environ.get("TEST_REDIS_URL", REDIS_URL)
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(
            f"Redis at {url} is not reachable ({error}); start it or set TEST_REDIS_URL"
        )
    prefix = f"test-{uuid.uuid4().hex}"
    settings.PORTAL_CACHE_GENERATION_FILE = ""  # as with REDIS_URL set
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_the_redis_backend_stores_and_invalidates(client, world, redis_cache):
    redis_client, prefix = redis_cache
    url = world.article.get_absolute_url()
    first = client.get(url)
    hit, queries = get_counted(client, url)
    assert queries == 0 and hit.content == first.content
    stored = {key.decode() for key in redis_client.scan_iter(f"{prefix}:*")}
    assert f"{prefix}:1:{pagecache.GENERATION_KEY}" in stored
    assert any(":portal-page:" in key for key in stored)
    world.minister.full_name = "Farid Kerimov"
    entity_save(entity=world.minister)
    assert b"Farid Kerimov" in client.get(url).content


def counting_schedule_reads(monkeypatch):
    """A list that grows by one at each read of the next scheduled publication."""
    reads = []
    first_after = pagecache._first_publication_after

    def counted(now):
        reads.append(now)
        return first_after(now)

    monkeypatch.setattr(pagecache, "_first_publication_after", counted)
    return reads


def test_a_write_notes_the_next_publication_with_its_generation(world, monkeypatch):
    start = timezone.now()
    scheduled = PublishedArticleFactory(title="Later", published_at=start + HOUR)
    reads = counting_schedule_reads(monkeypatch)
    pagecache.new_generation()
    assert len(reads) == 1  # read once, by the write's new generation
    token = pagecache.current_generation()
    upcoming = pagecache.next_publication(token, timezone.now())
    assert upcoming == scheduled.published_at
    assert len(reads) == 1
    # The same generation as another process reads it from the shared file.
    pagecache._noted.clear()
    assert pagecache.current_generation() == token
    assert pagecache.next_publication(token, timezone.now()) == upcoming
    assert len(reads) == 1
    # Once that time has passed, the next one is read again.
    later = start + 2 * HOUR
    after_that = pagecache.next_publication(token, later)
    assert after_that is None or after_that > later
    assert len(reads) == 2


def at(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)


def test_what_a_noted_generation_tells_of_the_schedule():
    none_scheduled = pagecache.Generation("a" * 32, since=100.0, upcoming=None)
    assert none_scheduled.upcoming_at(at(5000)) == (True, None)
    assert none_scheduled.upcoming_at(at(99)) == (False, None)  # before it was read
    scheduled = pagecache.Generation("a" * 32, since=100.0, upcoming=200.5)
    assert scheduled.upcoming_at(at(150)) == (True, at(200.5))
    assert scheduled.upcoming_at(at(200.5)) == (False, None)  # passed: read again
    assert pagecache.Generation("a" * 32).upcoming_at(at(150)) == (False, None)


def test_a_generation_started_without_a_write_reads_the_schedule_once(
    world, monkeypatch, settings
):
    Path(settings.PORTAL_CACHE_GENERATION_FILE).unlink(missing_ok=True)
    reads = counting_schedule_reads(monkeypatch)
    token = pagecache.current_generation()  # none stored: a new one, no schedule
    now = timezone.now()
    upcoming = pagecache.next_publication(token, now)
    assert upcoming > now
    assert pagecache.next_publication(token, now) == upcoming
    assert len(reads) == 1


def test_a_remembered_schedule_of_another_shape_is_read_again(
    world, monkeypatch, settings
):
    """A value an older version left in a shared cache is not trusted."""
    from django.core.cache import cache

    Path(settings.PORTAL_CACHE_GENERATION_FILE).unlink(missing_ok=True)
    reads = counting_schedule_reads(monkeypatch)
    token = pagecache.current_generation()
    now = timezone.now()
    cache.set(f"{pagecache.PREFIX}:{token}:next-publication", (now, None))
    upcoming = pagecache.next_publication(token, now)
    assert upcoming is not None and upcoming > now  # not the None stored
    assert len(reads) == 1
    assert pagecache.next_publication(token, now) == upcoming
    assert len(reads) == 1


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "not a token",
        "0" * 31,
        f"{'a' * 32} 12.5",
        f"{'a' * 32} x -",
        f"{'a' * 32} nan -",
        "a" * 32 + "\n",
    ],
)
def test_a_damaged_generation_record_gives_a_new_token(settings, stored):
    path = Path(settings.PORTAL_CACHE_GENERATION_FILE)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_text(stored, "ascii")
    token = pagecache.current_generation()
    assert re.fullmatch(r"[0-9a-f]{32}", token) and token != "a" * 32
    assert pagecache.current_generation() == token


def test_the_first_filtered_search_after_a_write_reads_no_schedule(
    client, world, monkeypatch
):
    url = "/search/?q=consultations&country=nl"
    client.get(url)
    world.minister.full_name = "Farid Kerimov"
    entity_save(entity=world.minister)  # commits: a new generation
    reads = counting_schedule_reads(monkeypatch)
    response, queries = get_counted(client, url)
    assert response.status_code == 200
    assert reads == []
    assert queries <= 8
