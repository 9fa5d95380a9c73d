"""Facet counts from stored keys equal counting the tag tables; keys stay in step."""

import datetime
import importlib
import random
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from articles import services
from articles.models import Article, FacetKeys
from articles.search.facets import FACET_NAMES, FACET_SIZE, facet_counts, facet_keys
from relations.models import Event
from tests.factories import (
    CountryFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
    chief_editor,
)

pytestmark = pytest.mark.django_db


def counted_from_the_tables(ids):
    """The facets as the tag tables give them, ranked by count, label, value."""
    articles = Article.objects.filter(pk__in=ids).select_related("source")
    articles = articles.prefetch_related(
        "countries", "people", "organizations", "events", "topics"
    )
    counts = {name: Counter() for name in FACET_NAMES}
    kinds = dict(Event.Kind.choices)
    for article in articles:
        for name, field, value, label in (
            ("country", "countries", "code", "name"),
            ("person", "people", "slug", "full_name"),
            ("organization", "organizations", "slug", "name"),
            ("topic", "topics", "slug", "name"),
        ):
            for tag in getattr(article, field).all():
                counts[name][(getattr(tag, value), getattr(tag, label))] += 1
        for kind in {event.kind for event in article.events.all()}:
            counts["event_kind"][(kind, kind)] += 1
        if article.source:
            counts["source"][(article.source.slug, article.source.name)] += 1
        counts["language"][(article.language, article.language)] += 1
        year = str(timezone.localtime(article.published_at).year)
        counts["year"][(year, year)] += 1
    ranked = {}
    for name, counter in counts.items():
        rows = sorted(counter.items(), key=lambda row: (-row[1], row[0][1], row[0][0]))
        ranked[name] = [
            (value, str(kinds[label]) if name == "event_kind" else label, count)
            for (value, label), count in rows[:FACET_SIZE]
        ]
    return ranked


def as_rows(facets):
    return {
        name: [(facet.value, facet.label, facet.count) for facet in values]
        for name, values in facets.items()
    }


@pytest.fixture
def corpus(publish):
    """60 articles tagged at random from small pools, so counts tie often."""
    rng = random.Random(7)
    pools = {
        "countries": [CountryFactory() for _ in range(6)],
        "people": [PersonFactory() for _ in range(14)],
        "organizations": [OrganizationFactory() for _ in range(4)],
        "topics": [TopicFactory() for _ in range(5)],
        "events": [
            EventFactory(kind=kind)
            for kind in (Event.Kind.OFFICIAL_VISIT, Event.Kind.OFFICIAL_VISIT)
            + tuple(Event.Kind.values[:3])
        ],
    }
    sources = [SourceFactory() for _ in range(3)] + [None]
    articles = []
    for number in range(60):
        tags = {
            field: rng.sample(pool, rng.randint(0, 3)) for field, pool in pools.items()
        }
        published_at = timezone.make_aware(
            datetime.datetime(2010 + rng.randint(0, 5), 12, 31, 23, 30)
        )
        articles.append(
            publish(
                title=f"Item {number}",
                language=rng.choice(["en", "de"]),
                source=rng.choice(sources),
                published_at=published_at,
                tags=tags,
            )
        )
    return articles


def test_counts_equal_those_of_the_tag_tables_for_any_scope(corpus):
    rng = random.Random(11)
    ids = [article.pk for article in corpus]
    for size in (1, 5, 20, 60):
        scope = rng.sample(ids, size)
        assert as_rows(facet_counts(scope)) == counted_from_the_tables(scope)


def test_a_renamed_tag_shows_its_new_name_without_a_rewrite(corpus):
    person = corpus[0].people.first() or PersonFactory()
    services.article_set_tags(article=corpus[0], people=[person])
    person.full_name = "Renamed Person"
    person.save()
    people = facet_counts([corpus[0].pk])["person"]
    assert [facet.label for facet in people] == ["Renamed Person"]


def test_changing_an_event_kind_moves_its_articles_to_the_new_kind(publish):
    visit = EventFactory(kind=Event.Kind.OFFICIAL_VISIT)
    article = publish(title="Visit", tags={"events": [visit]})
    visit.kind = Event.Kind.SUMMIT
    visit.save()
    kinds = facet_counts([article.pk])["event_kind"]
    assert [(facet.value, facet.count) for facet in kinds] == [("summit", 1)]


def test_keys_follow_tags_unpublishing_and_deletion(publish):
    iraq, agency = CountryFactory(code="IQ"), SourceFactory()
    article = publish(title="Talks", source=agency, tags={"countries": [iraq]})
    stored = FacetKeys.objects.get(article=article).keys
    assert f"country={iraq.pk}" in stored.split()
    assert f"source={agency.pk}" in stored.split()
    services.article_set_tags(article=article, countries=[])
    assert f"country={iraq.pk}" not in FacetKeys.objects.get(article=article).keys
    services.article_unpublish(article=article, user=chief_editor())
    assert not FacetKeys.objects.filter(article=article).exists()
    again = publish(title="Talks again")
    again.delete()
    assert not FacetKeys.objects.filter(article_id=again.pk).exists()


def test_drafts_have_no_keys(unpublished):
    drafts = unpublished(title="Hidden")
    stored = FacetKeys.objects.filter(article__in=drafts)
    # The scheduled article has the published status: it is indexed, and keyed.
    assert [keys.article.status for keys in stored] == [Article.Status.PUBLISHED]


def test_the_migration_writes_the_keys_the_index_writes(corpus):
    expected = {
        article.pk: set(facet_keys(article).split())
        for article in Article.objects.all()
    }
    FacetKeys.objects.all().delete()
    migration = importlib.import_module("articles.migrations.0008_facet_keys")
    migration.fill(apps, None)
    written = {
        keys.article_id: set(keys.keys.split()) for keys in FacetKeys.objects.all()
    }
    assert written == expected


@pytest.mark.parametrize("zone, year", [("UTC", "2019"), ("Asia/Baku", "2020")])
def test_the_year_is_that_of_the_site_time_zone(publish, zone, year):
    late = datetime.datetime(2019, 12, 31, 22, 30, tzinfo=datetime.UTC)
    with override_settings(TIME_ZONE=zone):
        article = publish(title="New year talks", published_at=late)
        years = facet_counts([article.pk])["year"]
    assert [(facet.value, facet.count) for facet in years] == [(year, 1)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's rowid tables")
def test_sqlite_finds_an_articles_keys_by_rowid():
    """The keys are read with one search of the table's own tree per article,
    not through a separate index (migration 0012)."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA table_info(articles_facetkeys)")
        columns = {row[1]: (row[2].lower(), row[5]) for row in cursor.fetchall()}
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT keys FROM articles_facetkeys "
            "WHERE article_id IN (SELECT value FROM json_each('[1, 2]'))"
        )
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert columns["article_id"] == ("integer", 1)
    assert "USING INTEGER PRIMARY KEY" in plan
