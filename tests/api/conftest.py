import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Many users per test module: a deliberately slow hasher would dominate.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttles(settings):
    """Throttle counters live in the cache: each test starts with none, and with
    rates high enough that only the throttle tests meet them."""
    cache.clear()
    settings.API_THROTTLE_RATES = {
        "anon": "100000/minute",
        "user": "100000/minute",
        "login": "100000/minute",
    }
    yield
    cache.clear()


def client_for(user=None):
    client = APIClient()
    if user is not None:
        token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon_client(db):
    return APIClient()


@pytest.fixture
def editor_user(db):
    return factories.editor()


@pytest.fixture
def chief_user(db):
    return factories.chief_editor()


@pytest.fixture
def editor_client(editor_user):
    return client_for(editor_user)


@pytest.fixture
def chief_client(chief_user):
    return client_for(chief_user)
