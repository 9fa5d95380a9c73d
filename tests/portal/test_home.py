import datetime

import pytest
from django.utils import timezone

from articles.views import topics_with_counts
from tests.factories import (
    BilateralRelationFactory,
    CountryFactory,
    EventFactory,
    PersonFactory,
    PublishedArticleFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_home_shows_latest_public_articles_events_pairs_and_topics(client, world):
    today = timezone.localdate()
    upcoming = EventFactory(
        title="Joint commission next month",
        start_date=today + datetime.timedelta(days=30),
        host_country=world.north,
    )
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert world.article.title in html
    for hidden in world.hidden:
        assert hidden.title not in html
    assert list(response.context["upcoming_events"]) == [upcoming]
    assert list(response.context["recent_events"]) == [world.event]
    assert f'href="{world.relation.get_absolute_url()}"' in html
    assert f'href="{world.topic.get_absolute_url()}"' in html


def test_topic_counts_leave_out_hidden_articles(client, world):
    for hidden in world.hidden:
        hidden.topics.add(world.topic)
    (energy,) = client.get("/").context["topics"]
    assert energy.article_count == 1


def test_home_is_paginated_newest_first(client, db):
    now = timezone.now()
    for days in range(14):
        PublishedArticleFactory(
            title=f"Story {days} days old",
            published_at=now - datetime.timedelta(days=days, hours=1),
        )
    first = client.get("/")
    assert [a.title for a in first.context["articles"]][:2] == [
        "Story 0 days old",
        "Story 1 days old",
    ]
    second = client.get("/", {"page": 2})
    assert [a.title for a in second.context["articles"]] == [
        "Story 12 days old",
        "Story 13 days old",
    ]


def test_page_has_landmarks_skip_link_and_labelled_search(client, db):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<header class="site-header">' in html and "<footer" in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert '<label for="site-search"' in html
    assert 'action="/search/" method="get"' in html
    assert 'name="q"' in html
    # Nothing is loaded from another site.
    assert "https://" not in html.split("<body")[0].replace('"https://schema', "")


@pytest.mark.parametrize("count", [1, 30])
def test_home_query_count_does_not_grow(client, db, count, django_assert_num_queries):
    countries = CountryFactory.create_batch(count)
    people = PersonFactory.create_batch(count, country=None)
    for article in PublishedArticleFactory.create_batch(count):
        article.countries.add(*countries)
        article.people.add(*people)
        article.topics.add(*TopicFactory.create_batch(1))
    EventFactory.create_batch(count, host_country=countries[0])
    for partner in CountryFactory.create_batch(min(count, 15)):
        BilateralRelationFactory(country_a=countries[0], country_b=partner)
    # articles count, articles + source, card countries and people,
    # recent events + host, upcoming events + host, pairs + countries,
    # topics with counts
    with django_assert_num_queries(7):
        assert client.get("/").status_code == 200


def test_topic_counts_read_the_joined_articles_columns():
    # "article id IN (public ids)" cannot be hashed by PostgreSQL at a million
    # articles; it then checks the list row by row and the query runs for minutes.
    sql = str(topics_with_counts().query).upper()
    assert "IN (SELECT" not in sql
    assert '"ARTICLES_ARTICLE"."STATUS"' in sql
