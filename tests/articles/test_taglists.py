"""load_tags: the tag lists prefetch_related would give, in one query."""

import datetime

import pytest
from django.db.models import prefetch_related_objects

from articles.models import Article
from articles.taglists import SHOWN_FIELDS, load_tags
from relations.models import Event
from tests.factories import (
    AgreementFactory,
    ArticleFactory,
    CountryFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

TAGS = ("people", "countries", "organizations", "events", "agreements", "topics")


def shown(objects, fields):
    """Per object and field: each tag's id and shown fields, in list order."""
    return [
        [
            [
                (tag.pk, *(getattr(tag, name) for name in SHOWN_FIELDS[type(tag)]))
                for tag in getattr(obj, field).all()
            ]
            for field in fields
        ]
        for obj in objects
    ]


def tagged_articles():
    people = [PersonFactory(full_name=name) for name in ("Zara Ali", "Anar Aliyev")]
    countries = CountryFactory.create_batch(3)
    organizations = [
        OrganizationFactory(name="Union", acronym="EU"),
        OrganizationFactory(name="Agency", acronym=""),
    ]
    day = datetime.date(2024, 1, 1)
    events = [
        EventFactory(title="Talks", start_date=day),
        EventFactory(title="Summit", start_date=day + datetime.timedelta(days=9)),
        EventFactory(title="Forum", start_date=day),
    ]
    agreements = [AgreementFactory(signed_on=day), AgreementFactory(signed_on=None)]
    topics = [TopicFactory(name=name) for name in ("Trade", "Energy")]
    first, second, untagged = ArticleFactory.create_batch(3)
    for article, share in ((first, slice(None)), (second, slice(1, None))):
        article.people.add(*people[share])
        article.countries.add(*countries[share])
        article.organizations.add(*organizations[share])
        article.events.add(*events[share])
        article.agreements.add(*agreements[share])
        article.topics.add(*topics[share])
    return [first, second, untagged]


def test_the_same_lists_in_the_same_order_as_prefetch_related(
    django_assert_num_queries,
):
    ids = [article.pk for article in tagged_articles()]
    expected = list(Article.objects.filter(pk__in=ids).order_by("pk"))
    prefetch_related_objects(expected, *TAGS)
    loaded = list(Article.objects.filter(pk__in=ids).order_by("pk"))
    with django_assert_num_queries(1):
        load_tags(loaded, TAGS)
    with django_assert_num_queries(0):
        assert shown(loaded, TAGS) == shown(expected, TAGS)
    assert shown(loaded, TAGS)[2] == [[]] * len(TAGS)
    assert [event.title for event in loaded[0].events.all()] == [
        "Summit",
        "Forum",
        "Talks",
    ]


def test_a_reverse_foreign_key_is_loaded_too(django_assert_num_queries):
    event = EventFactory()
    AgreementFactory.create_batch(2, event=event)
    event.countries.add(*CountryFactory.create_batch(2))
    expected = Event.objects.prefetch_related("agreements", "countries").get()
    loaded = Event.objects.get()
    with django_assert_num_queries(1):
        load_tags([loaded], ("agreements", "countries"))
    fields = ("agreements", "countries")
    assert shown([loaded], fields) == shown([expected], fields)


def test_fields_a_page_does_not_show_are_read_when_asked_for(
    django_assert_num_queries,
):
    article = ArticleFactory()
    article.people.add(PersonFactory(bio="Diplomat since 1994."))
    load_tags([article], ["people"])
    person = article.people.all()[0]
    with django_assert_num_queries(1):
        assert person.bio == "Diplomat since 1994."


def test_nothing_to_load_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert load_tags([], TAGS) == []
