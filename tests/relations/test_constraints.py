import datetime

import pytest
from django.db import IntegrityError, transaction

from relations.models import BilateralRelation, Country, Position
from tests.factories import (
    BilateralRelationFactory,
    CountryFactory,
    EventFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def test_relation_pair_is_stored_in_one_order():
    first, second = CountryFactory(), CountryFactory()
    relation = BilateralRelation.objects.create(country_a=second, country_b=first)
    assert (relation.country_a, relation.country_b) == (first, second)


def test_relation_pair_in_reverse_order_is_refused():
    first, second = CountryFactory(), CountryFactory()
    BilateralRelationFactory(country_a=first, country_b=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        BilateralRelation.objects.create(country_a=second, country_b=first)


def test_relation_of_a_country_with_itself_is_refused():
    country = CountryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BilateralRelation.objects.create(country_a=country, country_b=country)


def test_relation_between_finds_either_order():
    first, second = CountryFactory(), CountryFactory()
    relation = BilateralRelationFactory(country_a=first, country_b=second)
    assert BilateralRelation.objects.between(second, first).get() == relation


def test_country_code_must_be_unique_whatever_the_case():
    CountryFactory(code="AZ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.create(name="Duplicate", code="az")


def test_country_code_of_wrong_length_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.bulk_create([Country(name="Bad", code="A", slug="bad")])


def test_position_ending_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        PositionFactory(
            start_date=datetime.date(2020, 5, 1), end_date=datetime.date(2020, 4, 30)
        )


def test_event_ending_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(
            start_date=datetime.date(2020, 5, 1), end_date=datetime.date(2020, 4, 1)
        )


def test_slug_collision_is_refused_by_the_database():
    PersonFactory(full_name="Same Name", slug="same-name")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(full_name="Other", slug="same-name")


def test_position_held_on_a_date():
    person = PersonFactory()
    old = PositionFactory(
        person=person,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    new = PositionFactory(
        person=person, start_date=datetime.date(2022, 1, 1), end_date=None
    )
    assert list(Position.objects.held_on(datetime.date(2020, 6, 1))) == [old]
    assert list(Position.objects.held_on(datetime.date(2022, 2, 9))) == [new]
