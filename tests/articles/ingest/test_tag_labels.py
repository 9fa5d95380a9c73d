"""Tags and event people are read with only the columns of their labels: a label
that needed another column would cost one query per entity."""

import pytest

from articles.tagging import LABEL_FIELDS, labelled
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    EventFactory,
    OrganizationFactory,
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
