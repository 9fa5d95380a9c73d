"""A small world for the portal pages: two countries, their pair, people, events."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from relations.models import Event, Milestone, Participation
from tests.factories import (
    AgreementFactory,
    ArticleFactory,
    BilateralRelationFactory,
    CountryFactory,
    EventFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    PublishedArticleFactory,
    TopicFactory,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fresh_country_codes():
    # Generated codes wrap after 676 countries per process; starting each test
    # from the same point keeps them clear of the fixed codes used below.
    CountryFactory.reset_sequence(0)


class World:
    """Named rows the tests refer to; built by the `world` fixture."""


@pytest.fixture
def world(db):
    w = World()
    w.north = CountryFactory(name="Northland", code="NL", aliases="Northlandish")
    w.south = CountryFactory(name="Southia", code="SO")
    w.relation = BilateralRelationFactory(
        country_a=w.north,
        country_b=w.south,
        established_on=datetime.date(1992, 3, 9),
        summary="Two neighbours with a long record of visits.",
    )
    w.ministry = OrganizationFactory(
        name="Ministry of Foreign Affairs", country=w.north
    )
    w.minister = PersonFactory(full_name="Farid Karimov", country=w.north)
    PositionFactory(
        person=w.minister,
        title="Deputy Minister of Foreign Affairs",
        organization=w.ministry,
        start_date=datetime.date(2018, 5, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    PositionFactory(
        person=w.minister,
        title="Minister of Foreign Affairs",
        organization=w.ministry,
        start_date=datetime.date(2022, 1, 1),
        end_date=None,
    )
    w.topic = TopicFactory(name="Energy")
    w.event = EventFactory(
        title="Political consultations in Salvia",
        kind=Event.Kind.CONSULTATIONS,
        start_date=datetime.date(2024, 4, 20),
        city="Salvia",
        host_country=w.south,
    )
    w.event.countries.add(w.north, w.south)
    ParticipationFactory(
        event=w.event, person=w.minister, role=Participation.Role.HEAD_OF_DELEGATION
    )
    w.agreement = AgreementFactory(
        title="Memorandum on energy cooperation",
        signed_on=datetime.date(2023, 11, 20),
        event=None,
    )
    w.agreement.parties.add(w.north, w.south)
    w.milestone = MilestoneFactory(
        relation=w.relation,
        date=datetime.date(1992, 3, 1),
        precision=Milestone.Precision.MONTH,
        title="Diplomatic relations established",
    )
    w.article = PublishedArticleFactory(
        title="Deputy ministers hold consultations in Salvia",
        lead="The talks covered energy and transport.",
        byline="Staff reporter",
        source_url="https://news.example.org/consultations",
        published_at=timezone.now() - 2 * DAY,
    )
    w.article.people.add(w.minister)
    w.article.countries.add(w.north, w.south)
    w.article.events.add(w.event)
    w.article.topics.add(w.topic)
    w.hidden = hidden_articles(tag_with=[w.minister], countries=[w.north, w.south])
    return w


def hidden_articles(tag_with=(), countries=()):
    """One article in every state the public must never see, all tagged."""
    now = timezone.now()
    rows = [
        ArticleFactory(title="Draft about the visit", status=Article.Status.DRAFT),
        ArticleFactory(
            title="In review about the visit", status=Article.Status.IN_REVIEW
        ),
        ArticleFactory(
            title="Archived about the visit",
            status=Article.Status.ARCHIVED,
            published_at=now - 5 * DAY,
        ),
        PublishedArticleFactory(
            title="Scheduled about the visit", published_at=now + 3 * DAY
        ),
    ]
    for article in rows:
        article.people.add(*tag_with)
        article.countries.add(*countries)
    return rows
