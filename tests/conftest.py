import pytest


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


@pytest.fixture(autouse=True)
def _plain_http_test_client(settings):
    # Production redirects http to https; the test client speaks plain http.
    # tests/security/ turns the redirect back on where it is what is tested.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing costs seconds per login on this hardware; tests only
    # need a working hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
