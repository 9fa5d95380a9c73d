from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView

from .models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Organization,
    Person,
    Topic,
)


class EntityDetailView(DetailView):
    template_name = "relations/entity_detail.html"
    context_object_name = "entity"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = self.object.articles.published().with_cards()[:20]
        return context


class PersonDetailView(EntityDetailView):
    model = Person


class OrganizationDetailView(EntityDetailView):
    model = Organization


class EventDetailView(EntityDetailView):
    model = Event


class AgreementDetailView(EntityDetailView):
    model = Agreement


class TopicDetailView(EntityDetailView):
    model = Topic


class CountryDetailView(EntityDetailView):
    model = Country

    def get_object(self, queryset=None):
        return get_object_or_404(Country, code=self.kwargs["code"].upper())


class RelationDetailView(DetailView):
    template_name = "relations/relation_detail.html"
    context_object_name = "relation"

    def get_object(self, queryset=None):
        codes = self.kwargs["codes"].upper().split("-")
        if len(codes) != 2:
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
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))
