"""Entity list filters: a name query `q` plus each resource's own fields."""

import django_filters
from django.db.models import Q

from ..models import Agreement, Event, Organization, Person


class NameQueryFilterSet(django_filters.FilterSet):
    """`q` matches names and aliases (substring, case-insensitive)."""

    q = django_filters.CharFilter(method="filter_q", max_length=200, label="Name")
    name_fields = ["name", "aliases"]

    def filter_q(self, queryset, name, value):
        match = Q()
        for field in self.name_fields:
            match |= Q(**{f"{field}__icontains": value})
        return queryset.filter(match)


def country_code_filter(field_name, label="Country code"):
    return django_filters.CharFilter(
        field_name=f"{field_name}__code",
        max_length=2,
        label=label,
        method="filter_country",
    )


class CountryCodeMixin:
    def filter_country(self, queryset, name, value):
        # Codes are stored upper-case; URLs use lower-case.
        return queryset.filter(**{name: value.upper()}).distinct()


class PersonFilterSet(CountryCodeMixin, NameQueryFilterSet):
    name_fields = ["full_name", "aliases"]
    country = country_code_filter("country")

    class Meta:
        model = Person
        fields = []


class OrganizationFilterSet(CountryCodeMixin, NameQueryFilterSet):
    name_fields = ["name", "acronym", "aliases"]
    country = country_code_filter("country")

    class Meta:
        model = Organization
        fields = ["kind"]


class EventFilterSet(CountryCodeMixin, NameQueryFilterSet):
    name_fields = ["title", "city"]
    country = country_code_filter("countries", "Involved country code")
    start_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Event
        fields = ["kind"]


class AgreementFilterSet(CountryCodeMixin, NameQueryFilterSet):
    name_fields = ["title", "place"]
    country = country_code_filter("parties", "Party country code")

    class Meta:
        model = Agreement
        fields = ["kind", "status"]
