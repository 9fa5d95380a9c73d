"""Tags and event people are read with only the columns of their labels: a label
that needed another column would cost one query per entity."""

import pytest
from django.db.models import Prefetch

from articles.tagging import LABEL_FIELDS, event_facts, labelled
from relations.models import Country, Event, Participation, Person
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = [
    AgreementFactory,
    CountryFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_a_label_reads_only_the_label_columns(factory, django_assert_num_queries):
    entity = factory()
    with django_assert_num_queries(1):
        (loaded,) = labelled(type(entity)).filter(pk=entity.pk)
        assert str(loaded) == str(entity)


def test_organisations_with_an_acronym_keep_it():
    organization = OrganizationFactory(name="Non-Aligned Movement", acronym="NAM")
    (loaded,) = labelled(type(organization)).filter(pk=organization.pk)
    assert str(loaded) == "Non-Aligned Movement (NAM)"


def test_every_tag_model_has_label_columns():
    assert {factory._meta.model for factory in FACTORIES} == set(LABEL_FIELDS)


def prefetched_facts(events):
    """The reference: each event's countries and participants as Django's
    prefetch lists them, labelled by str()."""
    loaded = Event.objects.filter(pk__in=[e.pk for e in events]).prefetch_related(
        Prefetch("countries", queryset=labelled(Country), to_attr="country_list"),
        Prefetch("participants", queryset=labelled(Person), to_attr="participant_list"),
    )
    return {
        event.pk: (
            [(c.pk, str(c)) for c in event.country_list],
            [(p.pk, str(p)) for p in event.participant_list],
        )
        for event in loaded
    }


def test_event_facts_list_countries_and_people_as_a_prefetch_would(
    django_assert_num_queries,
):
    zeta, alpha = CountryFactory(name="Zetaland"), CountryFactory(name="Alphania")
    first = EventFactory()
    first.countries.set([zeta, alpha])
    ParticipationFactory(event=first, person=PersonFactory(full_name="Yusif Zeynalov"))
    host = PersonFactory(full_name="Ali Asadov")
    ParticipationFactory(event=first, person=host, role=Participation.Role.HOST)
    second = EventFactory()
    second.countries.set([alpha])
    empty = EventFactory()
    events = [second, first, empty]
    with django_assert_num_queries(2):
        facts = event_facts(events)
    expected = prefetched_facts(events)
    assert [f.event for f in facts] == events
    for found in facts:
        assert (found.countries, found.participants) == expected[found.event.pk]
    assert facts[1].countries == [(alpha.pk, "Alphania"), (zeta.pk, "Zetaland")]
    assert [name for _pk, name in facts[1].participants] == [
        "Ali Asadov",
        "Yusif Zeynalov",
    ]
    assert facts[2].countries == facts[2].participants == []
