"""Facets count the current query and filters; unpublished articles never show."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from articles.search import search_articles
from relations.models import Event
from tests.factories import EventFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def in_year(year):
    return timezone.make_aware(datetime.datetime(year, 5, 1, 12))


@pytest.fixture
def world(publish, aliyev, azerbaijan, iraq):
    agency = SourceFactory(name="Capital Agency")
    energy = TopicFactory(name="Energy")
    visit = EventFactory(title="Official visit to Baku", kind=Event.Kind.OFFICIAL_VISIT)
    common = {"source": agency}
    return {
        "a": publish(
            title="Energy talks in Baku",
            published_at=in_year(2023),
            tags={"countries": [azerbaijan, iraq], "people": [aliyev]},
            **common,
        ),
        "b": publish(
            title="Energy corridor",
            published_at=in_year(2024),
            language="de",
            tags={"countries": [azerbaijan], "topics": [energy], "events": [visit]},
            **common,
        ),
        "c": publish(
            title="Culture week",
            body="<p>Music and film.</p>",
            published_at=in_year(2024),
            tags={"countries": [iraq]},
        ),
    }


def facet(results, name):
    return {(value.value, value.label, value.count) for value in results.facets[name]}


def test_facets_count_the_matches_only(world, aliyev):
    results = search_articles("energy")
    assert results.total == 2
    assert facet(results, "country") == {("AZ", "Azerbaijan", 2), ("IQ", "Iraq", 1)}
    assert facet(results, "person") == {(aliyev.slug, "Ilham Aliyev", 1)}
    assert facet(results, "topic") == {("energy", "Energy", 1)}
    assert facet(results, "event_kind") == {("official_visit", "Official visit", 1)}
    assert facet(results, "source") == {("capital-agency", "Capital Agency", 2)}
    assert facet(results, "language") == {("en", "en", 1), ("de", "de", 1)}
    assert facet(results, "year") == {("2023", "2023", 1), ("2024", "2024", 1)}
    assert facet(results, "organization") == set()


def test_filters_narrow_hits_and_facets(world):
    results = search_articles("energy", filters={"country": "iq"})
    assert [hit.article for hit in results.hits] == [world["a"]]
    assert facet(results, "year") == {("2023", "2023", 1)}


def test_filter_queryset_is_intersected_with_published(world, unpublished):
    drafts = unpublished(title="Energy draft")
    everything = Article.objects.all()
    results = search_articles("energy", filters=everything)
    assert {hit.article for hit in results.hits} == {world["a"], world["b"]}
    assert not {hit.article for hit in results.hits} & set(drafts)


def test_empty_query_with_filters_lists_newest_first(world):
    results = search_articles("", filters={"language": "de"})
    assert [hit.article for hit in results.hits] == [world["b"]]
    assert results.sort == "date"


def test_unpublished_absent_from_hits_facets_and_totals(publish, unpublished, iraq):
    public = publish(title="Border talks", tags={"countries": [iraq]})
    hidden = unpublished(title="Border talks secret plan")
    for article in hidden:
        article.countries.add(iraq)
    results = search_articles("border talks")
    assert [hit.article for hit in results.hits] == [public]
    assert results.total == 1
    assert facet(results, "country") == {("IQ", "Iraq", 1)}
    assert search_articles("secret").total == 0


def test_scheduled_article_appears_when_its_time_comes(publish, unpublished):
    scheduled = unpublished(title="Pipeline opening")[-1]
    assert search_articles("pipeline").total == 0
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert [hit.article for hit in search_articles("pipeline").hits] == [scheduled]
