"""The catalog of known names: kept per process, rebuilt as soon as an entity
changes, so suggestions see a new spelling, entity or deletion at once."""

import pytest

from articles.tagging import name_catalog, suggest_for_article
from relations.services import entity_save
from tests.factories import ArticleFactory, CountryFactory, PersonFactory

pytestmark = pytest.mark.django_db


def suggested(article):
    return {s.label for s in suggest_for_article(article) if s.entity is not None}


def test_unchanged_entities_reuse_the_catalog_for_one_query(
    django_assert_num_queries,
):
    CountryFactory(name="Iraq")
    first = name_catalog()
    # The entity generation: row counts and latest changes, one UNION query.
    with django_assert_num_queries(1):
        assert name_catalog() is first


def test_a_new_alias_is_suggested_at_once():
    turkey = CountryFactory(name="Turkey")
    article = ArticleFactory(title="Türkiye hosts the talks", lead="", body="")
    assert suggested(article) == set()
    turkey.aliases = "Türkiye"
    entity_save(entity=turkey)
    assert suggested(article) == {"Turkey"}


def test_an_alias_saved_without_the_service_is_seen_too():
    person = PersonFactory(full_name="Jeyhun Bayramov")
    article = ArticleFactory(title="Talks with Dzheikhun Bairamoglu", body="")
    assert "Jeyhun Bayramov" not in suggested(article)
    person.aliases = "Dzheikhun Bairamoglu"
    person.save()  # the admin's plain save moves updated_at as well
    assert "Jeyhun Bayramov" in suggested(article)


def test_a_new_entity_is_suggested_at_once():
    article = ArticleFactory(title="Kyrgyzstan and Iraq sign a memorandum", body="")
    CountryFactory(name="Iraq")
    assert suggested(article) == {"Iraq"}
    CountryFactory(name="Kyrgyzstan")
    assert suggested(article) == {"Iraq", "Kyrgyzstan"}


def test_a_deleted_entity_is_no_longer_suggested():
    CountryFactory(name="Iraq")
    armenia = CountryFactory(name="Armenia")
    article = ArticleFactory(title="Armenia and Iraq", body="")
    assert suggested(article) == {"Iraq", "Armenia"}
    armenia.delete()
    assert suggested(article) == {"Iraq"}


def test_one_change_among_several_tables_is_enough():
    CountryFactory(name="Iraq")
    before = name_catalog()
    PersonFactory(full_name="Hiyam Al-Yasiri")
    assert name_catalog() is not before
