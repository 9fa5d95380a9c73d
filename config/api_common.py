"""What every API resource shares: errors, permissions, throttles, pages, ETags."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.utils.cache import (
    get_conditional_response,
    patch_vary_headers,
    set_response_etag,
)
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, permissions, serializers, status, throttling
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from articles.services import InvalidTransitionError, StaleVersionError
from relations.services import StaleEntityVersionError

# ---------------------------------------------------------------- errors


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error answer (documented in docs/api.md)."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)
    current_version = serializers.IntegerField(required=False)


def _first_code(codes):
    while isinstance(codes, (list, dict)) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) else "error"


def _error_body(exc, response):
    body = {"status": response.status_code, "code": _first_code(exc.get_codes())}
    if isinstance(exc.detail, (dict, list)):
        body["detail"] = "The request has invalid fields."
        errors = (
            exc.detail
            if isinstance(exc.detail, dict)
            else {"non_field_errors": exc.detail}
        )
        body["errors"] = errors
    else:
        body["detail"] = str(exc.detail)
    return body


def api_exception_handler(exc, context):
    """DRF's handler, then every error reshaped into ErrorSerializer's shape."""
    if isinstance(exc, (StaleVersionError, StaleEntityVersionError)):
        body = {
            "status": 409,
            "code": "stale_version",
            "detail": str(exc),
            "current_version": exc.current_version,
        }
        return Response(body, status=status.HTTP_409_CONFLICT)
    # Imported here: this module is loaded while DRF's own views module initialises.
    from rest_framework.views import exception_handler

    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, InvalidTransitionError):
        exc = exceptions.ValidationError({"status": [str(exc)]})
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = _error_body(exc, response)
    return response


def add_error_responses(result, generator, request, public):
    """Schema hook: every operation documents the error shape as its default answer."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "status": {"type": "integer"},
            "code": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {}},
            "current_version": {"type": "integer"},
        },
        "required": ["status", "code", "detail"],
    }
    error = {
        "description": "An error, in the one error shape.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        },
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            operation.setdefault("responses", {}).setdefault("default", error)
    return result


# Slugs are ASCII (relations.slugs): the route and the schema both say so.
SLUG_PATTERN = "[-a-zA-Z0-9_]+"


@csrf_exempt  # it writes nothing; a CSRF page would break the error shape
def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in the error shape, not with an HTML page."""
    body = {"status": 404, "code": "not_found", "detail": "No such endpoint."}
    return JsonResponse(body, status=404)


# ---------------------------------------------------------------- access


class ReadAnyoneWriteWithModelPermission(permissions.DjangoModelPermissions):
    """Anyone reads; writes need the same model permission as in the admin
    (add_<model> to create, change_<model> to update)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class SettingsRateMixin:
    """Rates are read from settings at request time, so they can change per deploy
    (and per test) without re-importing DRF's class attributes."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    pass


class LoginThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    """Per IP, whoever the request claims to be: token requests guess passwords."""

    scope = "login"


# ---------------------------------------------------------------- pages


class ShortListPaginator(Paginator):
    """Reads the first page's rows before counting: a first page shorter than the
    page size is the whole list, so its length is the count and the COUNT query
    is left out. Later pages, and a full first page, count as usual."""

    def page(self, number):
        if number not in (1, "1") or self.orphans or not self.allow_empty_first_page:
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.count = len(rows)
        return self._get_page(rows, 1, self)


class CappedPagination(PageNumberPagination):
    django_paginator_class = ShortListPaginator
    page_size = 20
    page_size_query_param = "page_size"
    # An unbounded page size would let one request read the whole table.
    max_page_size = 100


# ---------------------------------------------------------------- conditional GET


class ConditionalGetMixin:
    """Answers carry an ETag; a matching If-None-Match gets 304 and no body."""

    # (A docstring here becomes the schema's description of views that have none.)
    # The tag is taken from the rendered body, so it changes with anything shown,
    # and callers shown different things (editors also see drafts) get different
    # tags. The answer still reads the database: a 304 saves the transfer.

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # What a token is shown differs from what an anonymous caller is.
            patch_vary_headers(response, ["Authorization"])
            response.add_post_render_callback(
                partial(_answer_conditionally, request._request)
            )
        return response


def _answer_conditionally(request, response):
    set_response_etag(response)
    etag = response.headers.get("ETag")
    return get_conditional_response(request, etag=etag, response=response)
