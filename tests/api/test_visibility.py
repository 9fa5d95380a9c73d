"""Unpublished articles never reach anyone without editor rights, by any route."""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from articles.models import Article
from articles.search import reindex_articles
from tests import factories
from tests.api.conftest import client_for

WORD = "Zanzibarite"


@pytest.fixture
def world(db):
    """One public article and one of each hidden kind, all tagged alike."""
    person, relation = factories.PersonFactory(), factories.BilateralRelationFactory()
    past = timezone.now() - datetime.timedelta(days=2)
    future = timezone.now() + datetime.timedelta(days=2)
    kinds = {
        "public": dict(status=Article.Status.PUBLISHED, published_at=past),
        "draft": dict(status=Article.Status.DRAFT),
        "in_review": dict(status=Article.Status.IN_REVIEW),
        "scheduled": dict(status=Article.Status.PUBLISHED, published_at=future),
        "archived": dict(status=Article.Status.ARCHIVED, published_at=past),
    }
    articles = {}
    for kind, fields in kinds.items():
        article = factories.ArticleFactory(
            title=f"{WORD} {kind} story", language=f"x{len(articles)}", **fields
        )
        article.people.add(person)
        article.countries.add(relation.country_a, relation.country_b)
        articles[kind] = article
    # A public translation whose original is still a draft.
    translation = articles["public"]
    translation.story = articles["draft"]
    translation.save()
    # Factories save rows directly; index them as the services would have.
    reindex_articles([article.pk for article in articles.values()])
    return {"articles": articles, "person": person, "relation": relation}


def hidden_slugs(world):
    return {a.slug for kind, a in world["articles"].items() if kind != "public"}


def streamed(response):
    return b"".join(response.streaming_content).decode()


READERS = {
    "anonymous": lambda: client_for(None),
    "user without editor rights": lambda: client_for(
        User.objects.create_user("plain", password="p" * 12)
    ),
}


@pytest.mark.parametrize("reader", READERS)
def test_hidden_articles_are_absent_everywhere(world, reader):
    client = READERS[reader]()
    public = world["articles"]["public"]
    hidden = hidden_slugs(world)
    person, relation = world["person"], world["relation"]
    lists = [
        "/api/articles/",
        f"/api/articles/?person={person.slug}",
        f"/api/articles/?country={relation.country_a.code}",
        f"/api/articles/?q={WORD}",
        f"/api/articles/?q={WORD}&ordering=-published_at",
    ]
    for url in lists:
        data = client.get(url).json()
        assert [a["slug"] for a in data["results"]] == [public.slug], url
        assert data["count"] == 1, url
        assert data["results"][0]["story_id"] is None
        assert data["results"][0]["other_languages"] == []
    for slug in hidden:
        assert client.get(f"/api/articles/{slug}/").status_code == 404
    # Each article has its own language code (x0 is the public one): no hidden
    # article's language may be counted in any facet.
    facets = json.dumps(client.get(f"/api/articles/?q={WORD}").json()["facets"])
    assert '"x0"' in facets
    assert not any(f'"x{n}"' in facets for n in range(1, 5))
    for export in ("/api/articles/export.ndjson", "/api/articles/export.csv"):
        text = streamed(client.get(export))
        assert public.slug in text
        assert not any(slug in text for slug in hidden), export
    timeline = client.get(f"/api/relations/{relation.url_codes()}/").json()["timeline"]
    titles = [item["title"] for item in timeline if item["kind"] == "article"]
    assert titles == [public.title]


def test_editors_see_drafts_but_exports_stay_public(world, editor_client):
    slugs = {a["slug"] for a in editor_client.get("/api/articles/").json()["results"]}
    assert hidden_slugs(world) <= slugs
    draft = world["articles"]["draft"]
    assert editor_client.get(f"/api/articles/{draft.slug}/").status_code == 200
    text = streamed(editor_client.get("/api/articles/export.ndjson"))
    assert not any(slug in text for slug in hidden_slugs(world))
