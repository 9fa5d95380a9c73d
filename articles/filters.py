"""One set of filters for the portal's search form and the API's article lists."""

import copy

import django_filters
from django import forms
from django.db.models import F
from django.db.models.functions import ExtractYear
from django.db.models.lookups import Exact, In, YearExact

from relations.models import Event, Organization, Person, Topic

from .models import Article, Source
from .search.keys import (
    LANGUAGE,
    SOURCE,
    entity_key,
    filter_key,
    lookup_key,
    year_key,
)


def without_nul(data):
    """A mutable copy of request parameters with NUL characters removed.

    PostgreSQL refuses NUL in text, and a slug lookup with one would fail inside
    form validation instead of being reported as an invalid choice.
    """
    copy = data.copy()
    if hasattr(copy, "setlist"):
        for key in list(copy):
            copy.setlist(key, [v.replace("\x00", "") for v in copy.getlist(key)])
        return copy
    return {key: str(value).replace("\x00", "") for key, value in copy.items()}


def slug_input(label):
    # A text box, not a <select>: rendering every person or event as an option
    # would read whole tables on each search page.
    return {"label": label, "widget": forms.TextInput(attrs={"size": 18})}


class ArticleFilterSet(django_filters.FilterSet):
    """Filters by entity (slug or country code), source, language and date range."""

    country = django_filters.CharFilter(
        method="filter_country", max_length=2, label="Country code"
    )
    person = django_filters.ModelChoiceFilter(
        field_name="people",
        method="filter_tagged",
        queryset=Person.objects.all(),
        to_field_name="slug",
        **slug_input("Person (slug)"),
    )
    organization = django_filters.ModelChoiceFilter(
        field_name="organizations",
        method="filter_tagged",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        **slug_input("Organization (slug)"),
    )
    event = django_filters.ModelChoiceFilter(
        field_name="events",
        method="filter_tagged",
        queryset=Event.objects.all(),
        to_field_name="slug",
        **slug_input("Event (slug)"),
    )
    event_kind = django_filters.ChoiceFilter(
        method="filter_event_kind",
        choices=Event.Kind.choices,
        label="Event kind",
        empty_label="Any kind",
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        method="filter_tagged",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        **slug_input("Topic (slug)"),
    )
    source = django_filters.ModelChoiceFilter(
        field_name="source",
        method="filter_source",
        queryset=Source.objects.all(),
        to_field_name="slug",
        **slug_input("Source (slug)"),
    )
    language = django_filters.CharFilter(
        field_name="language",
        method="filter_language",
        max_length=12,
        label="Language code",
    )
    year = django_filters.NumberFilter(
        field_name="published_at__year",
        method="filter_year",
        min_value=1,
        max_value=9999,
        label="Year",
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
            data = without_nul(data)
            for public, internal in (("from", "from_date"), ("to", "to_date")):
                if public in data and internal not in data:
                    data[internal] = data[public]
        super().__init__(data, *args, **kwargs)

    @classmethod
    def form_class(cls):
        """The form validating the filters, made once per class.

        django-filter makes a form class per filter set, building every
        filter's form field again (a third of the 3.4 ms a filtered search
        spent on its filters). No field here depends on the request, and each
        form copies its fields, so one class serves every request.
        """
        if "_form_class" not in cls.__dict__:
            fields = {
                name: filter_.field for name, filter_ in cls.form_filters().items()
            }
            cls._form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
        return cls._form_class

    @classmethod
    def form_filters(cls):
        """Copies of the filters to build the form's fields from, without a
        field built before (the API's schema builds them on the filters
        themselves, and a filter keeps the field it built)."""
        filters = copy.deepcopy(cls.base_filters)
        for filter_ in filters.values():
            filter_.__dict__.pop("_field", None)
        return filters

    def get_form_class(self):
        return self.form_class()

    def filter_tagged(self, queryset, name, value):
        return tagged(queryset, name, value)

    def filter_country(self, queryset, name, value):
        # Codes are stored upper-case; URLs use lower-case (/countries/az/).
        return tagged(queryset, "countries", code=value.upper())

    def filter_event_kind(self, queryset, name, value):
        return tagged(queryset, "events", kind=value)

    # The article's own fields the index has keys for (`search.keys`): the
    # same conditions as the filters' own, naming the key.

    def filter_source(self, queryset, name, value):
        key = filter_key(SOURCE, value.pk)
        return queryset.filter(KeyedExact(F("source"), value.pk, key=key))

    def filter_language(self, queryset, name, value):
        key = filter_key(LANGUAGE, value)
        return queryset.filter(KeyedExact(F("language"), value, key=key))

    def filter_year(self, queryset, name, value):
        year = int(value)
        lookup = KeyedYearExact(ExtractYear("published_at"), year, key=year_key(year))
        return queryset.filter(lookup)


def tagged(queryset, field_name, entity=None, **entity_lookups):
    """The articles of `queryset` tagged through `field_name` with `entity`, or
    with any entity matching `entity_lookups`.

    Written as `id IN (SELECT article_id FROM <tag table> ...)`, not as a join,
    so that the search can take the ids from the tag table alone
    (`articles.search.backends.kept_ids`): joining each tag row to its article
    took 32 ms for the 40,861 articles of one country at 100,000 articles,
    against 3 ms for the tag rows alone.
    """
    field = Article._meta.get_field(field_name)
    target = field.m2m_reverse_field_name()
    if entity is not None:
        lookups = {target: entity}
    else:
        lookups = {f"{target}__{key}": value for key, value in entity_lookups.items()}
    tags = field.remote_field.through.objects.filter(**lookups).values(
        field.m2m_field_name()
    )
    key = _filter_key(field_name, entity, entity_lookups)
    if key is None:
        return queryset.filter(pk__in=tags)
    return queryset.filter(TaggedIn(F("pk"), tags, key=key))


def _filter_key(field_name, entity, entity_lookups):
    """The index key of the articles `tagged` keeps, when one entity (or an
    event kind) names them."""
    if entity is not None:
        return entity_key(field_name, entity)
    return lookup_key(field_name, entity_lookups)


class Keyed:
    """A condition naming the filter key every article it keeps carries in the
    search index (`search.keys`; None: no key), so that the search can find
    those articles there (`search.backends.filter_keys`)."""

    def __init__(self, lhs, rhs, *, key):
        super().__init__(lhs, rhs)
        self.key = key


class TaggedIn(Keyed, In):
    """`id IN (<the articles tagged with one entity>)`, with its key."""


class KeyedExact(Keyed, Exact):
    """`<column> = <value>`, with its key."""


class KeyedYearExact(Keyed, YearExact):
    """Published in a year (of the current time zone), with its key."""
