"""Writes: version checks, read-only fields, tags, validation, sanitising."""

import pytest

from articles.models import Article
from relations.models import Event, Person
from tests import factories


@pytest.fixture
def draft(db):
    return factories.ArticleFactory(title="Original title")


def patch(client, url, data):
    return client.patch(url, data, format="json")


def test_stale_article_version_gets_409_and_nothing_changes(editor_client, draft):
    url = f"/api/articles/{draft.slug}/"
    first = patch(editor_client, url, {"title": "First edit", "version": 1})
    assert first.status_code == 200 and first.json()["version"] == 2
    second = patch(editor_client, url, {"title": "Second edit", "version": 1})
    assert second.status_code == 409
    assert second.json() == {
        "status": 409,
        "code": "stale_version",
        "detail": second.json()["detail"],
        "current_version": 2,
    }
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("First edit", 2)


def test_stale_tag_change_is_not_applied(editor_client, draft):
    person = factories.PersonFactory()
    url = f"/api/articles/{draft.slug}/"
    assert patch(editor_client, url, {"lead": "x", "version": 1}).status_code == 200
    stale = patch(editor_client, url, {"people_ids": [person.pk], "version": 1})
    assert stale.status_code == 409
    assert not draft.people.exists()


def test_update_without_version_is_refused(editor_client, draft):
    response = patch(editor_client, f"/api/articles/{draft.slug}/", {"title": "T"})
    assert response.status_code == 400
    assert "version" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.title == "Original title"


def test_stale_entity_version_gets_409(editor_client, db):
    person = factories.PersonFactory(full_name="Ilham Aliyev")
    url = f"/api/people/{person.slug}/"
    ok = patch(editor_client, url, {"aliases": ["Aliev", "Əliyev"], "version": 1})
    assert ok.status_code == 200
    assert ok.json()["aliases"] == ["Aliev", "Əliyev"]
    stale = patch(editor_client, url, {"bio": "Overwrite", "version": 1})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    person.refresh_from_db()
    assert (person.bio, person.aliases, person.version) == ("", "Aliev\nƏliyev", 2)


def test_read_only_fields_are_unchanged(editor_client, draft):
    other_user = factories.UserFactory()
    before = editor_client.get(f"/api/articles/{draft.slug}/").json()
    response = patch(
        editor_client,
        f"/api/articles/{draft.slug}/",
        {
            "version": 1,
            "id": 999,
            "slug": "taken-over",
            "created_at": "2001-01-01T00:00:00Z",
            "updated_at": "2001-01-01T00:00:00Z",
            "url": "https://evil.example/",
            "content_hash": "0" * 64,
            "created_by": other_user.pk,
            "source": {"name": "Injected source"},
            "people": [{"id": 1, "name": "Injected"}],
            "images": [{"url": "https://evil.example/x.png"}],
            "title": "Allowed change",
        },
    )
    assert response.status_code == 200
    after = response.json()
    for field in ("id", "slug", "created_at", "url", "source", "people", "images"):
        assert after[field] == before[field], field
    draft.refresh_from_db()
    assert draft.created_by_id != other_user.pk
    assert draft.content_hash != "0" * 64
    assert draft.title == "Allowed change" and draft.version == 2


def test_entity_read_only_fields_are_unchanged(editor_client, db):
    topic = factories.TopicFactory(name="Energy")
    response = patch(
        editor_client,
        f"/api/topics/{topic.slug}/",
        {"version": 1, "slug": "other", "id": 77, "name": "Energy security"},
    )
    assert response.status_code == 200
    topic.refresh_from_db()
    assert (topic.slug, topic.name, topic.pk) == ("energy", "Energy security", topic.pk)


def test_create_with_tags_and_sanitised_body(editor_client, db):
    person, country = factories.PersonFactory(), factories.CountryFactory()
    response = editor_client.post(
        "/api/articles/",
        {
            "title": "Talks in Baku",
            "body": '<p onclick="x()">Hi <a href="javascript:alert(1)">x</a></p>'
            '<svg onload="alert(1)"></svg><img src=x onerror="alert(1)">',
            "people_ids": [person.pk],
            "countries_ids": [country.pk],
        },
        format="json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "draft" and data["version"] == 1
    assert [p["slug"] for p in data["people"]] == [person.slug]
    assert data["countries"][0]["url"].endswith(f"/countries/{country.code.lower()}/")
    stored = Article.objects.get(pk=data["id"]).body
    for bad in ("javascript:", "onclick", "onload", "onerror", "<svg"):
        assert bad not in stored


def test_unknown_tag_id_is_a_400_and_nothing_is_written(editor_client, db):
    response = editor_client.post(
        "/api/articles/", {"title": "X", "people_ids": [987654]}, format="json"
    )
    assert response.status_code == 400
    assert "people_ids" in response.json()["errors"]
    assert not Article.objects.exists()


def test_event_ending_before_it_starts_is_a_400(editor_client, db):
    response = editor_client.post(
        "/api/events/",
        {"title": "Visit", "start_date": "2024-05-02", "end_date": "2024-05-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["errors"]
    assert not Event.objects.exists()


def test_country_code_is_checked_and_stored_upper_case(editor_client, db):
    factories.CountryFactory(code="AZ")
    taken = editor_client.post(
        "/api/countries/", {"name": "Again", "code": "az"}, format="json"
    )
    assert taken.status_code == 400
    bad = editor_client.post(
        "/api/countries/", {"name": "X", "code": "1!"}, format="json"
    )
    assert bad.status_code == 400
    made = editor_client.post(
        "/api/countries/", {"name": "Iraq", "code": "iq"}, format="json"
    )
    assert made.status_code == 201 and made.json()["code"] == "IQ"
    assert editor_client.get("/api/countries/iq/").json()["name"] == "Iraq"


def test_chief_schedules_an_article(chief_client, draft, anon_client):
    response = patch(
        chief_client,
        f"/api/articles/{draft.slug}/",
        {"status": "published", "published_at": "2999-01-01T09:00:00Z", "version": 1},
    )
    assert response.status_code == 200
    assert anon_client.get(f"/api/articles/{draft.slug}/").status_code == 404


def test_malformed_json_is_a_400(editor_client, db):
    response = editor_client.generic(
        "POST", "/api/people/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert not Person.objects.exists()


def test_a_transition_the_workflow_forbids_is_a_400(chief_client, draft):
    # Draft -> archived skips publication: refused, nothing written.
    response = patch(
        chief_client,
        f"/api/articles/{draft.slug}/",
        {"status": "archived", "version": 1},
    )
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.version == 1


def test_tags_set_through_the_api_are_searchable_at_once(chief_client, draft):
    person = factories.PersonFactory(full_name="Ilham Aliyev", aliases="Alijew")
    url = f"/api/articles/{draft.slug}/"
    published = patch(chief_client, url, {"status": "published", "version": 1})
    assert published.status_code == 200, published.json()
    # Tagging a public article must update its index row in the same write.
    tagged = patch(chief_client, url, {"people_ids": [person.pk], "version": 2})
    assert tagged.status_code == 200, tagged.json()
    found = chief_client.get("/api/articles/?q=Alijew").json()["results"]
    assert [article["slug"] for article in found] == [draft.slug]
