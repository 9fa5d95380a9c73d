"""Property-based runs over every operation of the published schema, in-process."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from config.wsgi import application
from tests import factories

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
BOUNDED = settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# Generating the schema reads no rows, so it can be fetched at collection time.
# (schemathesis.pytest.from_fixture would be lazier, but it relies on a pytest
# internal that pytest 9 removed.)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# Writes by an editor: random data only. The coverage phase would try every
# boundary of every field of every write, minutes on a small machine; the
# anonymous run above keeps it, and tests/api/test_writes.py covers the edges.
WITHOUT_COVERAGE = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}}}
)
editor_schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", application, config=WITHOUT_COVERAGE
)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The real WSGI handler closes database connections at the end of each request;
    inside a test's transaction that would drop the connection (PostgreSQL). Django's
    test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _content(db):
    """Some published content for the runs to find."""
    article = factories.PublishedArticleFactory()
    article.people.add(factories.PersonFactory())
    factories.BilateralRelationFactory()
    factories.EventFactory()
    factories.AgreementFactory()
    factories.TopicFactory()


def unrouted(response):
    """A generated path value outside the route's pattern reaches no resource."""
    return response.status_code == 404 and response.json()["detail"] == (
        "No such endpoint."
    )


def refuses_anonymous_writes(ctx, response, case):
    """Every write but asking for a token is refused to anonymous callers."""
    if case.operation.method.upper() == "GET":
        return
    if case.operation.path != "/api/auth/token/" and not unrouted(response):
        assert response.status_code in (401, 403), (case.method, case.path)


@schema.parametrize()
@BOUNDED
def test_anonymous(case):
    case.call_and_validate(checks=CHECKS, additional_checks=[refuses_anonymous_writes])


@editor_schema.parametrize()
@BOUNDED
def test_chief_editor(case, chief_user):
    token, _ = Token.objects.get_or_create(user=chief_user)
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {token}"})
