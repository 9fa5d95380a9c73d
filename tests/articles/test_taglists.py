"""load_tags: the tag lists prefetch_related would give, in one query."""

import datetime

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects, signals

from articles.models import Article
from articles.taglists import SHOWN_FIELDS, load_tags, shown_instance, union_sql
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


def made_by_from_db(model, pk, texts):
    names = [
        field.attname
        for field in model._meta.concrete_fields
        if field.attname in {model._meta.pk.attname, *SHOWN_FIELDS[model]}
    ]
    present = dict(zip(SHOWN_FIELDS[model], texts, strict=True))
    present[model._meta.pk.attname] = pk
    return model.from_db("default", names, [present[name] for name in names])


def state(instance):
    fields = {k: v for k, v in instance.__dict__.items() if k != "_state"}
    return (
        type(instance),
        fields,
        instance._state.db,
        instance._state.adding,
        instance.get_deferred_fields(),
    )


@pytest.mark.parametrize("model", list(SHOWN_FIELDS), ids=lambda m: m.__name__)
def test_a_shown_tag_is_the_instance_from_db_makes(model):
    texts = [f"text {index}" for index in range(len(SHOWN_FIELDS[model]))]
    made = shown_instance(model, 7, texts + ["padding"], "default")
    assert state(made) == state(made_by_from_db(model, 7, texts))
    assert made.pk == 7 and made == made_by_from_db(model, 7, texts)


def test_a_tag_model_with_a_post_init_receiver_is_made_through_init():
    made = []

    def receiver(sender, instance, **kwargs):
        made.append(instance)

    signals.post_init.connect(receiver, sender=Event)
    try:
        event = shown_instance(Event, 3, ["Talks", "talks"], "default")
    finally:
        signals.post_init.disconnect(receiver, sender=Event)
    assert made == [event]
    assert state(event) == state(made_by_from_db(Event, 3, ["Talks", "talks"]))


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
    sql = union_sql(Article, ("people",), connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql.format(ids=", ".join(["%s"] * 20)), ids)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Not a hash or merge join reading every person: one probe per link row.
    assert "Hash" not in plan and "Merge" not in plan
    assert "Nested Loop" in plan and "Index Cond: (id = l.person_id)" in plan
    loaded = load_tags(Article.objects.filter(pk__in=ids), ("people",))
    assert all(len(article.people.all()) == 2 for article in loaded)


def as_django_builds_it(obj, field):
    """The queryset the related manager gives when nothing is prefetched."""
    cache = obj.__dict__.pop("_prefetched_objects_cache", {})
    try:
        return getattr(obj, field).get_queryset()
    finally:
        obj._prefetched_objects_cache = cache


@pytest.mark.parametrize("field", TAGS)
def test_the_prefetched_queryset_is_the_one_its_manager_builds(field):
    first, second, _untagged = tagged_articles()
    load_tags([first, second], TAGS)
    for article in (first, second):
        loaded = getattr(article, field).all()
        expected = as_django_builds_it(article, field)
        assert type(loaded) is type(expected)
        assert loaded._hints == expected._hints == {"instance": article}
        assert str(loaded.query) == str(expected.query)
        assert list(loaded) == list(expected)
        # A chained filter reuses the relation's join (sticky), as Django's does:
        # both find the other articles' tags shared with this one only.
        chained = getattr(article, field).filter(articles__pk__gt=0)
        assert str(chained.query) == str(expected.filter(articles__pk__gt=0).query)
        assert sorted(tag.pk for tag in chained) == sorted(tag.pk for tag in expected)


def test_a_prefetched_list_is_read_once_and_chained_filters_query(
    django_assert_num_queries,
):
    first, second, _untagged = tagged_articles()  # second lacks "Zara Ali"
    load_tags([first, second], ["people"])
    with django_assert_num_queries(0):
        names = [person.full_name for person in first.people.all()]
    assert names == ["Anar Aliyev", "Zara Ali"]
    for article, expected in ((first, ["Zara Ali"]), (second, [])):
        with django_assert_num_queries(1):
            found = article.people.filter(full_name__contains="Z")
            assert [person.full_name for person in found] == expected


def test_tags_of_reads_what_was_loaded_and_queries_otherwise(
    django_assert_num_queries,
):
    from articles.taglists import tags_of

    first, second, _untagged = tagged_articles()
    load_tags([first], ["people"])
    with django_assert_num_queries(0):
        assert [p.full_name for p in tags_of(first, "people")] == [
            "Anar Aliyev",
            "Zara Ali",
        ]
    with django_assert_num_queries(1):
        assert [p.full_name for p in tags_of(second, "people")] == ["Anar Aliyev"]
