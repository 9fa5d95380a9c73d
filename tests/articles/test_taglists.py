"""load_tags: the tag lists prefetch_related would give, in one query."""

import datetime

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects

from articles.models import Article
from articles.taglists import SHOWN_FIELDS, _union_sql, load_tags
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


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL plan is inspected"
)
def test_postgresql_looks_up_tags_by_key_instead_of_hashing_their_table():
    """A page's few dozen tags are looked up one by one, so the time does not
    grow with the number of people or events in the database."""
    people = PersonFactory.create_batch(300)
    articles = ArticleFactory.create_batch(20)
    for number, article in enumerate(articles):
        article.people.add(people[number], people[number + 20])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE relations_person; ANALYZE articles_article_people")
    ids = [article.pk for article in articles]
    sql = _union_sql(Article, ("people",), connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql.format(ids=", ".join(["%s"] * 20)), ids)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Not a hash or merge join reading every person: one probe per link row.
    assert "Hash" not in plan and "Merge" not in plan
    assert "Nested Loop" in plan and "Index Cond: (id = l.person_id)" in plan
    loaded = load_tags(Article.objects.filter(pk__in=ids), ("people",))
    assert all(len(article.people.all()) == 2 for article in loaded)
