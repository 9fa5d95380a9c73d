"""Error shape, conditional GET, throttling, tokens, schema and docs."""

import re

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from articles.search import reindex_articles
from tests import factories
from tests.api.conftest import client_for


def test_errors_share_one_shape(anon_client, editor_client, db):
    answers = [
        anon_client.get("/api/articles/no-such-article/"),
        anon_client.get("/api/no-such-endpoint/"),
        anon_client.get("/api/articles/?person=nobody"),
        anon_client.post("/api/topics/", {"name": "x"}, format="json"),
        editor_client.delete(f"/api/topics/{factories.TopicFactory().slug}/"),
        editor_client.post("/api/topics/", {}, format="json"),
    ]
    statuses = [response.status_code for response in answers]
    assert statuses == [404, 404, 400, 401, 403, 400]
    for response in answers:
        data = response.json()
        assert data["status"] == response.status_code
        assert data["code"] and data["detail"]
    assert answers[-1].json()["errors"]["name"]


def test_etag_gives_304_until_something_shown_changes(anon_client, db):
    article = factories.PublishedArticleFactory()
    url = f"/api/articles/{article.slug}/"
    first = anon_client.get(url)
    etag = first["ETag"]
    again = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    article.people.add(factories.PersonFactory())  # a tag changes what is shown
    changed = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_entity_details_have_etags(anon_client, db):
    topic = factories.TopicFactory()
    etag = anon_client.get(f"/api/topics/{topic.slug}/")["ETag"]
    response = anon_client.get(f"/api/topics/{topic.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_list_etags_follow_what_the_reader_is_shown(anon_client, editor_client, db):
    factories.PublishedArticleFactory()
    factories.ArticleFactory()  # a draft: only editors are shown it
    first = anon_client.get("/api/articles/")
    etag = first["ETag"]
    assert "Authorization" in first["Vary"]
    again = anon_client.get("/api/articles/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    editors = editor_client.get("/api/articles/", HTTP_IF_NONE_MATCH=etag)
    assert editors.status_code == 200 and editors["ETag"] != etag
    factories.PublishedArticleFactory()
    changed = anon_client.get("/api/articles/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize("url", ["/api/topics/", "/api/articles/?q=energy"])
def test_entity_lists_and_searches_have_etags(anon_client, db, url):
    article = factories.PublishedArticleFactory(title="Energy talks")
    article.topics.add(factories.TopicFactory())
    reindex_articles([article.pk])
    etag = anon_client.get(url)["ETag"]
    assert anon_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize(
    "query,count,on_page,more",
    [
        ("page_size=2", 3, 2, True),  # a full first page: counted
        ("page_size=2&page=2", 3, 1, False),
        ("page_size=5", 3, 3, False),  # a short first page: its length
        ("page_size=5&language=xx", 0, 0, False),
    ],
)
def test_pages_count_the_whole_list(anon_client, db, query, count, on_page, more):
    factories.PublishedArticleFactory.create_batch(3)
    data = anon_client.get(f"/api/articles/?{query}").json()
    assert data["count"] == count and len(data["results"]) == on_page
    assert (data["next"] is not None) == more


def test_a_page_past_the_end_is_not_found(anon_client, db):
    factories.PublishedArticleFactory.create_batch(3)
    assert anon_client.get("/api/articles/?page_size=2&page=3").status_code == 404


def test_anonymous_reads_are_throttled_per_ip(anon_client, settings, db):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/minute"}
    statuses = [anon_client.get("/api/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other_ip = anon_client.get("/api/topics/", REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 200
    refused = anon_client.get("/api/topics/")
    assert refused.json()["code"] == "throttled" and "Retry-After" in refused


def test_token_obtain_and_revoke(anon_client, db):
    user = factories.editor(username="reporter")
    answer = anon_client.post(
        "/api/auth/token/",
        {"username": "reporter", "password": "correct horse battery staple"},
        format="json",
    )
    assert answer.status_code == 200
    key = answer.json()["token"]
    assert Token.objects.get(user=user).key == key
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert (
        anon_client.post("/api/topics/", {"name": "T"}, format="json").status_code
        == 201
    )
    assert anon_client.post("/api/auth/token/revoke/").status_code == 204
    assert anon_client.get("/api/topics/").status_code == 401
    assert not Token.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "username,password",
    [("reporter", "wrong password"), ("nobody", "whatever"), ("inactive", "pw")],
)
def test_failed_logins_look_alike(anon_client, db, username, password):
    factories.editor(username="reporter")
    factories.editor(username="inactive", is_active=False, password="pw")
    response = anon_client.post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "authorization",
        "detail": "The request has invalid fields.",
        "errors": {"non_field_errors": ["Unable to log in with provided credentials."]},
    }


def test_token_requests_are_throttled(anon_client, settings, db):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "login": "2/minute"}
    statuses = [
        anon_client.post(
            "/api/auth/token/", {"username": "a", "password": "b"}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]


def test_revoke_needs_a_login(anon_client, db):
    assert anon_client.post("/api/auth/token/revoke/").status_code == 401


def test_schema_is_valid_without_warnings(db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_docs_use_only_the_sites_own_assets(anon_client, db):
    html = anon_client.get("/api/docs/").content.decode()
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    )
    # No address elsewhere ("cdn" alone also turns up in the page's random tokens).
    assert "https://" not in html and "http://" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?//""", html)


def test_browsable_api_is_off_without_debug(db):
    response = client_for(None).get("/api/topics/", HTTP_ACCEPT="text/html,*/*")
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "query,status",
    [
        ("a" * 50_000, 400),
        ("nul\x00byte", 400),
        ('"unclosed OR -( AND *:* ~~ ^^', 200),
        ("' OR 1=1 --", 200),
    ],
)
def test_hostile_queries_get_an_answer_not_a_500(anon_client, db, query, status):
    factories.PublishedArticleFactory()
    response = anon_client.get("/api/articles/", {"q": query})
    assert response.status_code == status
    if status == 400:
        assert response.json()["errors"]["q"]
    else:
        assert response.json()["results"] == []


def test_search_results_from_the_engine_are_shaped_for_json(
    anon_client, db, monkeypatch
):
    """The ranked engine's objects (hits, facet values) become the documented JSON,
    and the engine reads its hits from the public queryset the API hands it."""
    from dataclasses import dataclass

    from articles.api import search
    from articles.search import Hit, SearchResults

    @dataclass
    class FacetValue:
        value: object
        label: str
        count: int

    public = factories.PublishedArticleFactory(title="Trade talks")
    draft = factories.ArticleFactory(title="Trade draft")
    calls = {}

    def engine(text, **kwargs):
        calls.update(kwargs, text=text)
        # Like the real engine: the page's ids are read from `articles`.
        found = kwargs["articles"].in_bulk([public.pk, draft.pk])
        hits = [
            Hit(article=a, title_html=f"<mark>{a.title}</mark>", snippet_html="")
            for a in found.values()
        ]
        facets = {"year": [FacetValue(2024, "2024", 1)]}
        return SearchResults(hits=hits, total=1, facets=facets, suggestion="trade")

    monkeypatch.setattr(search, "search_articles", engine)
    data = anon_client.get("/api/articles/?q=trade&language=en&page_size=5").json()
    assert [a["slug"] for a in data["results"]] == [public.slug]
    assert data["results"][0]["highlight"]["title"] == "<mark>Trade talks</mark>"
    assert data["facets"] == {"year": [{"value": "2024", "label": "2024", "count": 1}]}
    assert data["suggestion"] == "trade"
    assert calls["text"] == "trade" and calls["page_size"] == 5
    assert list(calls["filters"]) == [public]  # the filtered, published queryset


def test_docs_inline_script_and_style_carry_the_csp_nonce(anon_client, db):
    response = anon_client.get("/api/docs/")
    policy = response.headers["Content-Security-Policy"]
    nonces = re.findall(r"'nonce-([^']+)'", policy)
    assert nonces, policy
    html = response.content.decode()
    tags = re.findall(r"<(?:script|style)\b[^>]*>", html)
    assert len(tags) >= 4
    assert all(f'nonce="{nonces[0]}"' in tag for tag in tags), tags
