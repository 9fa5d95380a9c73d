import pytest
from django.conf import settings as django_settings

from articles import contentcache


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


# Production redirects http to https; the test client speaks plain http. Set once
# here, before any test module builds a WSGI application at import time (the
# schema tests do); tests/security/ turns the redirect on where it is tested.
django_settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing costs seconds per login on this hardware; tests only
    # need a working hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    # Values kept per content generation live in the process: a test's database
    # starts again without the write that would start a new generation.
    contentcache.clear()
    yield
    contentcache.clear()
