"""One set of filters for the portal's search form and the API's article lists."""

import django_filters
from django import forms

from relations.models import Event, Organization, Person, Topic

from .models import Article, Source


class ArticleFilterSet(django_filters.FilterSet):
    """Filters by entity (slug or country code), source, language and date range."""

    country = django_filters.CharFilter(
        method="filter_country", max_length=2, label="Country code"
    )
    person = django_filters.ModelChoiceFilter(
        field_name="people", queryset=Person.objects.all(), to_field_name="slug"
    )
    organization = django_filters.ModelChoiceFilter(
        field_name="organizations",
        queryset=Organization.objects.all(),
        to_field_name="slug",
    )
    event = django_filters.ModelChoiceFilter(
        field_name="events", queryset=Event.objects.all(), to_field_name="slug"
    )
    event_kind = django_filters.ChoiceFilter(
        field_name="events__kind", choices=Event.Kind.choices, distinct=True
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", queryset=Topic.objects.all(), to_field_name="slug"
    )
    source = django_filters.ModelChoiceFilter(
        field_name="source", queryset=Source.objects.all(), to_field_name="slug"
    )
    language = django_filters.CharFilter(field_name="language", max_length=12)
    year = django_filters.NumberFilter(
        field_name="published_at__year", min_value=1, max_value=9999
    )
    from_date = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    to_date = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Article
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # The URL contract uses `from` and `to`, which are Python keywords.
        if data is not None:
            data = data.copy()
            for public, internal in (("from", "from_date"), ("to", "to_date")):
                if public in data and internal not in data:
                    data[internal] = data[public]
        super().__init__(data, *args, **kwargs)

    def filter_country(self, queryset, name, value):
        # Codes are stored upper-case; URLs use lower-case (/countries/az/).
        return queryset.filter(countries__code=value.upper())
