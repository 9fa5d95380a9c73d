"""The filter sets make their form class once; what differs per request (the
data, the search page's preloaded entities) stays with each form."""

import pytest

from articles.filters import ArticleFilterSet
from articles.models import Article
from articles.portal_filters import SearchPageFilterSet
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("filterset_class", [ArticleFilterSet, SearchPageFilterSet])
def test_one_form_class_serves_every_request(filterset_class):
    person = PersonFactory()
    known = filterset_class({"person": person.slug}, queryset=Article.objects.all())
    unknown = filterset_class({"person": "nobody"}, queryset=Article.objects.all())
    assert type(known.form) is type(unknown.form)
    # Validated in either order, each form keeps its own fields and errors.
    assert not unknown.is_valid()
    assert known.is_valid()
    assert known.form.cleaned_data["person"].pk == person.pk
    assert list(unknown.errors) == ["person"]
    assert known.form.fields["person"] is not unknown.form.fields["person"]


@pytest.fixture
def fields_built_on_the_filters(monkeypatch):
    """The form classes made again, after something (the API's schema) built
    form fields on the filter sets' own filters."""
    for filterset_class in (ArticleFilterSet, SearchPageFilterSet):
        for filter_ in filterset_class.base_filters.values():
            filter_.field  # noqa: B018 (builds and keeps the field)
        monkeypatch.delattr(filterset_class, "_form_class", raising=False)


def test_the_search_page_reads_its_entities_beforehand(
    fields_built_on_the_filters, django_assert_num_queries
):
    person = PersonFactory()
    with django_assert_num_queries(1):  # one query for every entity named
        filterset = SearchPageFilterSet(
            {"person": person.slug, "topic": "none"}, queryset=Article.objects.all()
        )
    with django_assert_num_queries(0):
        assert not filterset.is_valid()
    assert list(filterset.errors) == ["topic"]
    assert filterset.form.cleaned_data["person"].pk == person.pk
