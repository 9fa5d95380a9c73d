"""Entity endpoints: anyone reads; editors write with the admin's model permissions."""

from django.db.models import Prefetch
from django.http import Http404, StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from articles.api.views import PassthroughRenderer, WriteThroughSerializerMixin
from config.api_common import SLUG_PATTERN, ConditionalGetMixin

from ..models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Organization,
    Participation,
    Person,
    Position,
    Topic,
)
from . import filters, serializers
from .calendar import calendar_lines


class CalendarRenderer(PassthroughRenderer):
    media_type = "text/calendar"
    format = "ics"


class EntityViewSet(
    ConditionalGetMixin,
    WriteThroughSerializerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and update; deleting stays in the admin."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.NameQueryFilterSet


class CountryViewSet(EntityViewSet):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    ordering_fields = ["name", "code"]

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class OrganizationViewSet(EntityViewSet):
    queryset = Organization.objects.select_related("country")
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilterSet
    ordering_fields = ["name"]


class PersonViewSet(EntityViewSet):
    queryset = Person.objects.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("organization"),
        )
    )
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilterSet
    ordering_fields = ["full_name"]


class EventViewSet(EntityViewSet):
    queryset = Event.objects.prefetch_related(
        "countries",
        "organizations",
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("person"),
        ),
    )
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilterSet
    ordering_fields = ["start_date", "title"]


class AgreementViewSet(EntityViewSet):
    queryset = Agreement.objects.prefetch_related("parties")
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilterSet
    ordering_fields = ["signed_on", "title"]


class TopicViewSet(EntityViewSet):
    queryset = Topic.objects.all()
    serializer_class = serializers.TopicSerializer
    ordering_fields = ["name"]


class RelationViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Country pairs; the detail carries the pair's timeline."""

    queryset = BilateralRelation.objects.select_related("country_a", "country_b")
    lookup_field = "codes"
    lookup_value_regex = "[A-Za-z]{2}-[A-Za-z]{2}"
    filter_backends = []

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.RelationDetailSerializer
        return serializers.RelationSerializer

    def get_object(self):
        # A pair is one row whichever country comes first, and never a country with
        # itself: both codes in the pair's two countries find it, in one query.
        codes = self.kwargs["codes"].upper().split("-")
        pair = self.get_queryset().filter(
            country_a__code__in=codes, country_b__code__in=codes
        )
        try:
            return pair.get()
        except BilateralRelation.DoesNotExist:
            raise Http404("Unknown country pair.") from None


class EventCalendarView(generics.GenericAPIView):
    """All events as an iCalendar feed, for calendar applications to subscribe to."""

    permission_classes = [AllowAny]
    queryset = Event.objects.select_related("host_country").order_by("start_date", "id")
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.EventFilterSet
    pagination_class = None
    renderer_classes = [JSONRenderer, CalendarRenderer]

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.STR})
    def get(self, request):
        events = self.filter_queryset(self.get_queryset()).iterator(chunk_size=500)
        lines = calendar_lines(
            events, host=request.get_host(), base=request.build_absolute_uri("/")
        )
        response = StreamingHttpResponse(
            lines, content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = 'inline; filename="events.ics"'
        return response
