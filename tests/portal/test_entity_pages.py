import re

import pytest

from tests.factories import (
    AgreementFactory,
    BilateralRelationFactory,
    CountryFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    PublishedArticleFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_TITLES = ["Draft about", "In review about", "Archived about", "Scheduled about"]


def assert_public_only(html, world):
    assert world.article.title in html
    for title in HIDDEN_TITLES:
        assert title not in html


def test_person_page_lists_positions_articles_and_events(client, world):
    response = client.get(world.minister.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert_public_only(html, world)
    assert [p.title for p in response.context["current_positions"]] == [
        "Minister of Foreign Affairs"
    ]
    assert [p.title for p in response.context["past_positions"]] == [
        "Deputy Minister of Foreign Affairs"
    ]
    positions = re.findall(r'class="dated-list__dates">(.*?)</span>', html, re.S)
    assert re.sub(r"<[^>]+>", "", positions[0]) == "Jan 2022 – present"
    assert re.sub(r"<[^>]+>", "", positions[1]) == "May 2018 – Dec 2021"
    assert f'href="{world.event.get_absolute_url()}"' in html
    assert "Head of delegation" in html
    assert 'href="/feeds/people/farid-karimov/"' in html
    assert f'href="{world.relation.get_absolute_url()}"' in html


def test_country_page_lists_articles_pairs_people_and_events(client, world):
    response = client.get("/countries/nl/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_public_only(html, world)
    assert f'href="{world.relation.get_absolute_url()}"' in html
    assert f'href="{world.minister.get_absolute_url()}"' in html
    assert f'href="{world.event.get_absolute_url()}"' in html
    assert "Also written: Northlandish" in html
    assert client.get("/countries/NL/").status_code == 200


def test_organization_page_lists_people_who_held_positions(client, world):
    world.article.organizations.add(world.ministry)
    html = client.get(world.ministry.get_absolute_url()).content.decode()
    assert_public_only(html, world)
    assert "Farid Karimov</a>, Minister of Foreign Affairs" in html


def test_event_page_lists_participants_countries_and_articles(client, world):
    html = client.get(world.event.get_absolute_url()).content.decode()
    assert_public_only(html, world)
    assert "20 April 2024" in html
    assert f'href="{world.minister.get_absolute_url()}"' in html
    assert f'href="{world.south.get_absolute_url()}"' in html


def test_agreement_page_lists_parties_and_articles(client, world):
    world.article.agreements.add(world.agreement)
    html = client.get(world.agreement.get_absolute_url()).content.decode()
    assert_public_only(html, world)
    assert 'Signed <time datetime="2023-11-20">20 November 2023</time>' in html
    assert f'href="{world.north.get_absolute_url()}"' in html


def test_topic_page_lists_articles(client, world):
    html = client.get(world.topic.get_absolute_url()).content.decode()
    assert_public_only(html, world)
    assert 'href="/feeds/topics/energy/atom/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/people/nobody/",
        "/countries/zz/",
        "/countries/not-a-code/",
        "/countries/n%00/",
        "/countries/%C3%A9%C3%A9/",
        "/organizations/nothing/",
        "/events/never/",
        "/agreements/none/",
        "/topics/nothing/",
    ],
)
def test_unknown_entities_are_not_found(client, world, url):
    assert client.get(url).status_code == 404


def test_entity_articles_are_paginated(client, db):
    topic = TopicFactory()
    for article in PublishedArticleFactory.create_batch(25):
        article.topics.add(topic)
    first = client.get(topic.get_absolute_url())
    assert len(first.context["articles"]) == 20
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(topic.get_absolute_url(), {"page": 2})
    assert len(second.context["articles"]) == 5
    assert client.get(topic.get_absolute_url(), {"page": "x"}).status_code == 404


def _tagged(entity, field, count):
    """`count` public articles tagging `entity`, each with `count` people, countries."""
    # Shared tags: country codes are a small space, so they are not made per article.
    people = PersonFactory.create_batch(count, country=None)
    countries = CountryFactory.create_batch(count)
    for article in PublishedArticleFactory.create_batch(count):
        getattr(article, field).add(entity)
        article.people.add(*people)
        article.countries.add(*countries)


# Every entity page: 1 entity, its own facts, 1 count + 1 page of articles with
# source, 1 for the cards' countries and people.
@pytest.mark.parametrize("count", [1, 30])
def test_person_page_query_count_is_fixed(client, db, count, django_assert_num_queries):
    person = PersonFactory()
    BilateralRelationFactory(country_a=person.country)
    _tagged(person, "people", count)
    PositionFactory.create_batch(count, person=person)
    for _ in range(count):
        ParticipationFactory(person=person, event=EventFactory(host_country=None))
    # person + country, positions, country pairs, articles count, articles,
    # cards' countries and people, participations + events + host countries
    with django_assert_num_queries(7):
        assert client.get(person.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_country_page_query_count_is_fixed(
    client, db, count, django_assert_num_queries
):
    country = CountryFactory()
    _tagged(country, "countries", count)
    PersonFactory.create_batch(count, country=country)
    EventFactory.create_batch(count, host_country=country)
    # country, articles count, articles, cards' countries and people, relations,
    # people of the country, events
    with django_assert_num_queries(7):
        assert client.get(country.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_topic_page_query_count_is_fixed(client, db, count, django_assert_num_queries):
    topic = TopicFactory()
    _tagged(topic, "topics", count)
    # topic, articles count, articles, cards' countries and people
    with django_assert_num_queries(4):
        assert client.get(topic.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_event_page_query_count_is_fixed(client, db, count, django_assert_num_queries):
    event = EventFactory(host_country=None)
    _tagged(event, "events", count)
    event.countries.add(*event.articles.first().countries.all())
    for person in event.articles.first().people.all():
        ParticipationFactory(event=event, person=person)
    # event + host, its countries, organizations and agreements, articles count,
    # articles, cards' countries and people, participations + people
    with django_assert_num_queries(6):
        assert client.get(event.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_organization_page_query_count_is_fixed(
    client, db, count, django_assert_num_queries
):
    organization = OrganizationFactory(country=CountryFactory())
    _tagged(organization, "organizations", count)
    PositionFactory.create_batch(count, organization=organization)
    organization.events.add(*EventFactory.create_batch(count, host_country=None))
    # organization + country, articles count, articles, cards' countries and
    # people, positions + people, events + host countries
    with django_assert_num_queries(6):
        assert client.get(organization.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_agreement_page_query_count_is_fixed(
    client, db, count, django_assert_num_queries
):
    agreement = AgreementFactory(event=EventFactory(host_country=None))
    agreement.parties.add(*CountryFactory.create_batch(count))
    _tagged(agreement, "agreements", count)
    # agreement + event, parties, articles count, articles, cards' countries and
    # people
    with django_assert_num_queries(5):
        assert client.get(agreement.get_absolute_url()).status_code == 200
