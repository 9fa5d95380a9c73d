"""Answers for when a backing service fails in the middle of a request."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def service_unavailable():
    """A 503 rendered without touching the database (no request context)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost or refused database connection into a 503 page, not a 500.

    Writes happen inside atomic blocks, so the transaction that was cut off
    has already been rolled back when this runs: nothing is left half-saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            logger.error("Database unavailable: %s", exception, exc_info=exception)
            return service_unavailable()
        return None


class RejectNulCharactersMiddleware:
    """Answer 400 to a query string or form holding a NUL character.

    No text a person types contains one, PostgreSQL refuses to store or compare
    one (a 500 deep in a query), and SQLite and PostgreSQL would disagree on it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or _form_has_nul(request):
            return HttpResponseBadRequest(
                "Request refused: it contains a NUL character.",
                content_type="text/plain",
            )
        return self.get_response(request)


def _has_nul(querydict):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in querydict.lists()
    )


def _form_has_nul(request):
    # Only forms are read here: JSON and uploads are left to their parsers.
    if request.content_type != "application/x-www-form-urlencoded":
        return False
    return _has_nul(request.POST)
