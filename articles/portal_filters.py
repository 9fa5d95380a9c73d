"""The search page's filters: entities named by slug are looked up in one query.

ArticleFilterSet validates each entity filter (person, organization, event,
topic, source) with a query of its own; the search page reads all the named
entities in one UNION query first and validates against what it found.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import CharField, Value
from django_filters import fields

from .filters import ArticleFilterSet


class PreloadedModelChoiceField(fields.ModelChoiceField):
    """A slug choice checked against the entity read beforehand (or its absence)."""

    def __init__(self, *args, preloaded=None, **kwargs):
        self.preloaded = preloaded
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.preloaded is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return self.preloaded


class SearchPageFilterSet(ArticleFilterSet):
    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        named = {
            name: (self.filters[name].queryset, self.data.get(name))
            for name in self.choices()
            if self.data.get(name)
        }
        self.preloaded = entities_by_slug(named)

    @classmethod
    def choices(cls):
        """The names of the filters naming an entity by its slug."""
        return [
            name
            for name, filter_ in cls.base_filters.items()
            if isinstance(filter_, django_filters.ModelChoiceFilter)
        ]

    @classmethod
    def form_filters(cls):
        filters = super().form_filters()
        for name in cls.choices():
            filters[name].field_class = PreloadedModelChoiceField
        return filters

    @property
    def form(self):
        """The form, its entity fields given what was read for this request
        (each form has copies of its fields)."""
        if not hasattr(self, "_form"):
            form = super().form
            for name in self.choices():
                form.fields[name].preloaded = self.preloaded.get(name)
        return self._form


def entities_by_slug(wanted):
    """{name: (queryset, slug)} -> {name: the entity with that slug}, one query."""
    branches = [
        queryset.filter(slug=slug)
        .order_by()
        .annotate(filter_name=Value(name, output_field=CharField()))
        .values_list("filter_name", "pk")
        for name, (queryset, slug) in wanted.items()
    ]
    if not branches:
        return {}
    rows = branches[0].union(*branches[1:], all=True)
    found = {}
    for name, pk in rows:
        queryset, slug = wanted[name]
        model = queryset.model
        found[name] = model.from_db(
            rows.db, [model._meta.pk.attname, "slug"], [pk, slug]
        )
    return found
