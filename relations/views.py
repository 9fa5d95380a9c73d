import re

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, ListView

from articles.taglists import load_tags
from articles.views import PublishedArticlesMixin

from .chart import coverage_chart
from .models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Organization,
    Person,
    Topic,
)
from .timeline import KINDS, Timeline

COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def country_code(value):
    """The upper-case code in a URL part; anything else is not found.

    Checked before the database sees it: PostgreSQL refuses NUL characters
    with an error rather than an empty result.
    """
    if not COUNTRY_CODE.fullmatch(value):
        raise Http404("A country code is two letters, like az.")
    return value.upper()


class EntityArticlesView(PublishedArticlesMixin, ListView):
    """An entity's page: its facts, then the public articles tagging it, paginated."""

    model = None
    context_object_name = "articles"
    feed_name = None

    def get_entity_queryset(self):
        return self.model.objects.all()

    def get_entity(self):
        return get_object_or_404(self.get_entity_queryset(), slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.entity = self.get_entity()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().mentioning(self.entity)

    def get_template_names(self):
        return [f"relations/{self.model._meta.model_name}_detail.html"]

    def entity_context(self):
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            entity=self.entity, **self.entity_context(), **kwargs
        )


class PersonDetailView(EntityArticlesView):
    model = Person

    def get_entity_queryset(self):
        return Person.objects.select_related("country")

    def entity_context(self):
        positions = self.entity.positions.select_related("organization", "country")
        today = timezone.localdate()
        positions = list(positions.order_by("-start_date", "-end_date"))
        participations = self.entity.participations.select_related(
            "event__host_country"
        ).order_by("-event__start_date")
        return {
            "relations": relations_of(self.entity.country),
            "current_positions": [p for p in positions if _holds(p, today)],
            "past_positions": [p for p in positions if not _holds(p, today)],
            "participations": participations,
        }


def relations_of(country):
    """The country pairs `country` belongs to, for links to their timelines."""
    pairs = BilateralRelation.objects.filter(
        Q(country_a=country) | Q(country_b=country)
    )
    return pairs.select_related("country_a", "country_b") if country else []


def _holds(position, day):
    return position.end_date is None or position.end_date >= day


class CountryDetailView(EntityArticlesView):
    model = Country

    def get_entity(self):
        return get_object_or_404(Country, code=country_code(self.kwargs["code"]))

    def entity_context(self):
        country = self.entity
        in_event = Event.countries.through.objects.filter(country=country)
        events = Event.objects.filter(
            Q(pk__in=in_event.values("event")) | Q(host_country=country)
        )
        return {
            "relations": relations_of(country),
            "people": country.people.all()[:24],
            "events": events.select_related("host_country")[:10],
        }


class OrganizationDetailView(EntityArticlesView):
    model = Organization

    def get_entity_queryset(self):
        return Organization.objects.select_related("country")

    def entity_context(self):
        return {
            "positions": self.entity.positions.select_related("person").order_by(
                "-start_date"
            )[:30],
            "events": self.entity.events.select_related("host_country")[:10],
        }


class EventDetailView(EntityArticlesView):
    model = Event

    def get_entity_queryset(self):
        return Event.objects.select_related("host_country")

    def get_entity(self):
        event = super().get_entity()
        return load_tags([event], ("countries", "organizations", "agreements"))[0]

    def entity_context(self):
        return {
            "participations": self.entity.participations.select_related(
                "person"
            ).order_by("role", "person__full_name"),
        }


class AgreementDetailView(EntityArticlesView):
    model = Agreement

    def get_entity_queryset(self):
        return Agreement.objects.select_related("event").prefetch_related("parties")


class TopicDetailView(EntityArticlesView):
    model = Topic


class TimelineFilterForm(forms.Form):
    """GET filters of a pair's timeline; bad values are reported, never a 500."""

    kind = forms.MultipleChoiceField(
        choices=list(KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Show",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these fields are added by name.
        for name, label in (("from", "From year"), ("to", "To year")):
            self.fields[name] = forms.IntegerField(
                label=label, required=False, min_value=1800, max_value=2200
            )

    def years(self):
        """(first, last) year, or None when neither end is given."""
        first, last = self.cleaned_data.get("from"), self.cleaned_data.get("to")
        if first is None and last is None:
            return None
        first, last = first or 1800, last or 2200
        return (min(first, last), max(first, last))


class RelationDetailView(DetailView):
    template_name = "relations/relation_detail.html"
    context_object_name = "relation"
    timeline_page_size = 100

    def get_object(self, queryset=None):
        codes = [country_code(code) for code in self.kwargs["codes"].split("-")]
        if len(codes) != 2 or codes[0] == codes[1]:
            raise Http404("A country pair looks like az-iq.")
        countries = list(Country.objects.filter(code__in=codes))
        if len(countries) != 2:
            raise Http404("Unknown country code.")
        return get_object_or_404(
            BilateralRelation.objects.select_related("country_a", "country_b"),
            country_a_id=min(c.pk for c in countries),
            country_b_id=max(c.pk for c in countries),
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.kwargs["codes"] != self.object.url_codes():
            url = self.object.get_absolute_url()
            query = request.GET.urlencode()
            return redirect(f"{url}?{query}" if query else url, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        form = TimelineFilterForm(self.request.GET or None)
        valid = form.is_valid() if form.is_bound else True
        kinds = form.cleaned_data.get("kind") if valid and form.is_bound else None
        years = form.years() if valid and form.is_bound else None
        timeline = Timeline(self.object, kinds=kinds, years=years)
        page = Paginator(timeline, self.timeline_page_size).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            form=form,
            page_obj=page,
            entries=page.object_list,
            entry_count=page.paginator.count,
            chart=coverage_chart(timeline.coverage()),
            **kwargs,
        )
