"""Article and source endpoints, the ranked search behind `q=`, and bulk exports."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, renderers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.api_common import (
    SLUG_PATTERN,
    CappedPagination,
    ConditionalGetMixin,
)

from ..filters import ArticleFilterSet
from ..models import Article, Source
from .filters import (
    ARTICLE_ORDERING_FIELDS,
    DEFAULT_ARTICLE_ORDERING,
    QUERY_MAX_LENGTH,
    SEARCH_PARAMETER,
    search_sort,
)
from .search import facets_as_json, run_search
from .serializers import (
    TAG_MODELS,
    ArticleSerializer,
    SourceSerializer,
    with_api_relations,
)


def sees_unpublished(user):
    """Editors (who may change articles) see drafts; everyone else only the public."""
    return user.is_authenticated and user.has_perm("articles.change_article")


class WriteThroughSerializerMixin:
    """Create and update answer with the saved row read back with its relations."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(self._fresh(serializer.save()), status=201)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(self._fresh(serializer.save()))

    def _fresh(self, instance):
        return self.get_serializer(self.get_queryset().get(pk=instance.pk)).data


FACET_VALUE_SCHEMA = {
    "type": "object",
    "properties": {
        "value": {"type": "string", "description": "The filter parameter's value."},
        "label": {"type": "string"},
        "count": {"type": "integer"},
    },
    "required": ["value", "label", "count"],
}


class SearchPagination(CappedPagination):
    """Pages of articles; with `q=` they also carry facet counts and a suggestion."""

    def get_paginated_response(self, data, facets=None, suggestion=None):
        response = super().get_paginated_response(data)
        response.data["facets"] = facets or {}
        response.data["suggestion"] = suggestion
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["facets"] = {
            "type": "object",
            "additionalProperties": {"type": "array", "items": FACET_VALUE_SCHEMA},
            "description": "Facet counts of a `q=` search by facet name (country, "
            "person, language, ...); empty without `q=`.",
        }
        result["properties"]["suggestion"] = {"type": "string", "nullable": True}
        return result


@extend_schema_view(list=extend_schema(parameters=[SEARCH_PARAMETER]))
class ArticleViewSet(
    ConditionalGetMixin,
    WriteThroughSerializerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Published articles for everyone; editors also see and write drafts."""

    serializer_class = ArticleSerializer
    queryset = Article.objects.none()
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = ArticleFilterSet
    ordering_fields = ARTICLE_ORDERING_FIELDS
    ordering = DEFAULT_ARTICLE_ORDERING
    pagination_class = SearchPagination

    def get_queryset(self):
        if sees_unpublished(self.request.user):
            return with_api_relations(Article.objects.all())
        return with_api_relations(Article.objects.published())

    def list(self, request, *args, **kwargs):
        text = request.query_params.get("q", "").strip()
        return self.search(request, text) if text else super().list(request)

    def search(self, request, text):
        if len(text) > QUERY_MAX_LENGTH:
            raise ValidationError({"q": [f"At most {QUERY_MAX_LENGTH} characters."]})
        if "\x00" in text:  # PostgreSQL text cannot hold it; no search needs it
            raise ValidationError({"q": ["Null characters are not allowed."]})
        filterset = ArticleFilterSet(
            request.query_params, queryset=Article.objects.published()
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page, size = self._page_number(request), self.paginator.get_page_size(request)
        results = run_search(
            text,
            filterset=filterset,
            sort=search_sort(request.query_params.get("ordering")),
            page=page,
            page_size=size,
            # Only published articles, with every relation the serializer shows.
            articles=with_api_relations(Article.objects.published()),
        )
        if results.error:
            raise ValidationError({"q": [results.error]})
        return self._search_page(request, results, page, size)

    def _page_number(self, request):
        raw = request.query_params.get("page", "1")
        if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
            raise ValidationError({"page": ["A whole number from 1 to 10000."]})
        return int(raw)

    def _search_page(self, request, results, page, size):
        articles = [hit.article for hit in results.hits]
        highlights = {
            hit.article.pk: {"title": hit.title_html, "snippet": hit.snippet_html}
            for hit in results.hits
        }
        context = {**self.get_serializer_context(), "highlights": highlights}
        data = ArticleSerializer(articles, many=True, context=context).data
        url = request.build_absolute_uri()
        more = page * size < results.total
        body = {
            "count": results.total,
            "next": replace_query_param(url, "page", page + 1) if more else None,
            "previous": replace_query_param(url, "page", page - 1)
            if page > 1
            else None,
            "results": data,
            "facets": facets_as_json(results.facets),
            "suggestion": results.suggestion,
        }
        return Response(body)


class SourceViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SourceSerializer
    queryset = Source.objects.select_related("country")
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filter_backends = [OrderingFilter]
    ordering_fields = ["name"]


# ---------------------------------------------------------------- exports

PLAIN_EXPORT_FIELDS = [
    "id",
    "slug",
    "title",
    "lead",
    "body",
    "language",
    "source_url",
    "byline",
    "dateline_place",
    "published_at",
]
EXPORT_FIELDS = [*PLAIN_EXPORT_FIELDS, "source", "url", *TAG_MODELS]


def export_row(article, request):
    """One article as flat values; tags as lists of slugs (country codes)."""
    row = {name: getattr(article, name) for name in PLAIN_EXPORT_FIELDS}
    row["source"] = article.source.slug if article.source else None
    row["url"] = request.build_absolute_uri(article.get_absolute_url())
    for name in TAG_MODELS:
        key = EXPORT_TAG_KEYS.get(name, "slug")
        row[name] = [getattr(tag, key) for tag in getattr(article, f"export_{name}")]
    return row


EXPORT_TAG_KEYS = {"countries": "code"}


def export_tag_prefetches():
    """Tags as plain lists of their keys' rows: no related manager per row, which
    dominated the export's time."""
    return [
        Prefetch(
            name,
            queryset=model.objects.only("id", EXPORT_TAG_KEYS.get(name, "slug")),
            to_attr=f"export_{name}",
        )
        for name, model in TAG_MODELS.items()
    ]


class PassthroughRenderer(renderers.BaseRenderer):
    """Lets content negotiation accept the export types; errors still go out as JSON."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, cls=DjangoJSONEncoder).encode("utf-8")


class NDJSONRenderer(PassthroughRenderer):
    media_type = "application/x-ndjson"
    format = "ndjson"


class CSVRenderer(PassthroughRenderer):
    media_type = "text/csv"
    format = "csv"


class ArticleExportView(generics.GenericAPIView):
    """Every published article, streamed: memory stays flat at any size."""

    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ArticleFilterSet
    pagination_class = None
    queryset = Article.objects.none()
    chunk_size = 500

    def get_queryset(self):
        articles = Article.objects.published().select_related("source")
        return articles.prefetch_related(*export_tag_prefetches()).order_by("id")

    def rows(self, request):
        """Rows as a lazy generator; the filters are checked before it is returned,
        so a bad parameter is a 400 before streaming starts."""
        queryset = self.filter_queryset(self.get_queryset())
        articles = queryset.iterator(chunk_size=self.chunk_size)
        return (export_row(article, request) for article in articles)


class ArticleNDJSONExportView(ArticleExportView):
    renderer_classes = [renderers.JSONRenderer, NDJSONRenderer]

    @extend_schema(responses={(200, "application/x-ndjson"): OpenApiTypes.STR})
    def get(self, request):
        rows = self.rows(request)
        lines = (json.dumps(row, cls=DjangoJSONEncoder) + "\n" for row in rows)
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson")
        response["Content-Disposition"] = 'attachment; filename="articles.ndjson"'
        return response


def spreadsheet_safe(value):
    """Lists joined; text that a spreadsheet would run as a formula is quoted."""
    if isinstance(value, list):
        value = " ".join(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ArticleCSVExportView(ArticleExportView):
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request):
        response = StreamingHttpResponse(
            self.csv_lines(self.rows(request)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="articles.csv"'
        return response

    def csv_lines(self, rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_FIELDS)
        for row in rows:
            writer.writerow([spreadsheet_safe(row[name]) for name in EXPORT_FIELDS])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()
