"""Who may do what: every role against every endpoint and method."""

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.api.conftest import client_for


def revoked_client(db):
    user = factories.editor(username="revoked")
    client = client_for(user)
    Token.objects.filter(user=user).delete()
    return client


def inactive_client(db):
    return client_for(factories.editor(username="inactive", is_active=False))


ROLES = {
    "anonymous": lambda db: APIClient(),
    "editor": lambda db: client_for(factories.editor()),
    "chief": lambda db: client_for(factories.chief_editor()),
    "inactive": inactive_client,
    "revoked": revoked_client,
}

# Writable resources: method -> role -> status.
# Reads are open; a bad token (inactive user, revoked) is refused even for reads
# rather than quietly treated as anonymous. Deleting stays in the admin: editors
# lack the delete permission (403), chief editors have it but the API has no
# delete (405).
WRITABLE = {
    "list": {
        "anonymous": 200,
        "editor": 200,
        "chief": 200,
        "inactive": 401,
        "revoked": 401,
    },
    "detail": {
        "anonymous": 200,
        "editor": 200,
        "chief": 200,
        "inactive": 401,
        "revoked": 401,
    },
    "create": {
        "anonymous": 401,
        "editor": 201,
        "chief": 201,
        "inactive": 401,
        "revoked": 401,
    },
    "replace": {
        "anonymous": 401,
        "editor": 200,
        "chief": 200,
        "inactive": 401,
        "revoked": 401,
    },
    "patch": {
        "anonymous": 401,
        "editor": 200,
        "chief": 200,
        "inactive": 401,
        "revoked": 401,
    },
    "delete": {
        "anonymous": 401,
        "editor": 403,
        "chief": 405,
        "inactive": 401,
        "revoked": 401,
    },
}
# Relations and sources are edited in the admin only: the API has no writes.
# Editors and chiefs hold add/change on them, so they pass the permission check
# and meet 405; editors lack delete, so that one is 403.
READ_ONLY = {
    **{action: WRITABLE[action] for action in ("list", "detail")},
    "create": {
        "anonymous": 401,
        "editor": 405,
        "chief": 405,
        "inactive": 401,
        "revoked": 401,
    },
    "replace": {
        "anonymous": 401,
        "editor": 405,
        "chief": 405,
        "inactive": 401,
        "revoked": 401,
    },
    "patch": {
        "anonymous": 401,
        "editor": 405,
        "chief": 405,
        "inactive": 401,
        "revoked": 401,
    },
    "delete": {
        "anonymous": 401,
        "editor": 403,
        "chief": 405,
        "inactive": 401,
        "revoked": 401,
    },
}


def make_article():
    return factories.PublishedArticleFactory(), {"title": "Matrix article"}


def make_country():
    country = factories.CountryFactory()
    return country, {"name": "Matrixland", "code": "QZ"}


def make_event():
    return factories.EventFactory(), {
        "title": "Matrix event",
        "start_date": "2024-05-01",
    }


RESOURCES = {
    "articles": make_article,
    "people": lambda: (factories.PersonFactory(), {"full_name": "Matrix Person"}),
    "countries": make_country,
    "organizations": lambda: (factories.OrganizationFactory(), {"name": "Matrix Org"}),
    "events": make_event,
    "agreements": lambda: (factories.AgreementFactory(), {"title": "Matrix deal"}),
    "topics": lambda: (factories.TopicFactory(), {"name": "Matrix topic"}),
    "sources": lambda: (factories.SourceFactory(), {"name": "Matrix source"}),
    "relations": lambda: (factories.BilateralRelationFactory(), {"summary": "x"}),
}


def detail_key(name, obj):
    if name == "countries":
        return obj.code.lower()
    if name == "relations":
        return obj.url_codes()
    return obj.slug


def request(client, action, name, obj, payload):
    detail = f"/api/{name}/{detail_key(name, obj)}/"
    versioned = {**payload, "version": getattr(obj, "version", 1)}
    if name == "countries":
        versioned["code"] = obj.code  # replacing keeps the row's own code
    calls = {
        "list": lambda: client.get(f"/api/{name}/"),
        "detail": lambda: client.get(detail),
        "create": lambda: client.post(f"/api/{name}/", payload, format="json"),
        "replace": lambda: client.put(detail, versioned, format="json"),
        "patch": lambda: client.patch(detail, versioned, format="json"),
        "delete": lambda: client.delete(detail),
    }
    return calls[action]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", WRITABLE)
@pytest.mark.parametrize("name", RESOURCES)
def test_matrix(db, name, action, role):
    obj, payload = RESOURCES[name]()
    client = ROLES[role](db)
    table = READ_ONLY if name in ("sources", "relations") else WRITABLE
    response = request(client, action, name, obj, payload)
    assert response.status_code == table[action][role], response.content
    if response.status_code >= 400:
        assert response.json()["status"] == response.status_code


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_publishing_needs_the_publish_permission(db, role):
    draft = factories.ArticleFactory()
    client = ROLES[role](db)
    response = client.patch(
        f"/api/articles/{draft.slug}/",
        {"status": "published", "version": draft.version},
        format="json",
    )
    draft.refresh_from_db()
    if role == "editor":
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert (draft.status, draft.version) == ("draft", 1)
    else:
        assert response.status_code == 200
        assert draft.is_public and draft.version == 2


def test_editor_cannot_create_a_published_article(db):
    person = factories.PersonFactory()
    client = ROLES["editor"](db)
    response = client.post(
        "/api/articles/",
        {"title": "Sneaky", "status": "published", "people_ids": [person.pk]},
        format="json",
    )
    assert response.status_code == 403
    # Nothing half-written: no article, no tag rows.
    assert not person.articles.exists()


def test_session_writes_need_csrf(db):
    user = factories.editor()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    refused = client.post("/api/topics/", {"name": "No token"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    token = "k" * 32  # the cookie a page of the site would have set
    client.cookies["csrftoken"] = token
    accepted = client.post(
        "/api/topics/", {"name": "With token"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


def test_user_without_groups_reads_but_cannot_write(db):
    client = client_for(User.objects.create_user("reader", password="x" * 12))
    assert client.get("/api/topics/").status_code == 200
    assert client.post("/api/topics/", {"name": "t"}, format="json").status_code == 403
