"""Logins: throttled per client, no hint whether a user exists, safe redirects."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

from .routes import all_routes, is_token_login, urls_for

PASSWORD = "correct horse battery staple"
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _admin_login(client, username, password, **extra):
    return client.post(
        reverse("admin:login") + extra.pop("query", ""),
        {"username": username, "password": password, **extra},
    )


def _token_urls():
    """Every API token endpoint, found by its view."""
    return [
        url
        for route in all_routes()
        if is_token_login(route)
        for url in urls_for(route, [])
    ]


def _token_login(client, url, username, password):
    return client.post(
        url,
        {"username": username, "password": password},
        content_type="application/json",
    )


@pytest.mark.django_db
def test_unknown_user_and_wrong_password_get_the_same_admin_answer(client):
    factories.UserFactory(username="chief", is_superuser=True)
    unknown = _admin_login(client, "nobody-here", "wrong password")
    wrong = _admin_login(client, "chief", "wrong password")
    assert unknown.status_code == wrong.status_code == 200
    strip = lambda r: CSRF_TOKEN.sub(b"", r.content).replace(b"nobody-here", b"chief")  # noqa: E731
    assert strip(unknown) == strip(wrong)


@pytest.mark.django_db
def test_unknown_user_and_wrong_password_get_the_same_token_answer(client):
    factories.UserFactory(username="chief", is_superuser=True)
    for url in _token_urls():
        unknown = _token_login(client, url, "nobody", "x")
        wrong = _token_login(client, url, "chief", "x")
        assert unknown.status_code == wrong.status_code == 400
        assert unknown.json() == wrong.json()


def test_the_api_token_endpoint_is_found():
    assert _token_urls()


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client):
    factories.UserFactory(username="chief", is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _admin_login(client, "chief", "guess").status_code == 200
    # The failure that reaches the limit is refused; from then on so is the right
    # password, and so is guessing under other names.
    assert _admin_login(client, "chief", "guess").status_code == 429
    assert _admin_login(client, "chief", PASSWORD).status_code == 429
    assert _admin_login(client, "someone-else", "guess").status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_lockout_is_per_client_address(client):
    factories.UserFactory(username="chief", is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _admin_login(client, "chief", "guess")
    other = client.__class__(REMOTE_ADDR="198.51.100.7")
    assert _admin_login(other, "chief", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_token_endpoint_locks_out_after_repeated_failures(client):
    factories.UserFactory(username="chief", is_superuser=True)
    for url in _token_urls():
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _token_login(client, url, "chief", "guess")
        response = _token_login(client, url, "chief", PASSWORD)
        assert response.status_code in {400, 403, 429}
        assert "token" not in response.json()


@pytest.mark.django_db
def test_successful_login_clears_earlier_failures(client):
    factories.UserFactory(username="chief", is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _admin_login(client, "chief", "guess")
    assert _admin_login(client, "chief", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _admin_login(client, "chief", "guess")
    assert _admin_login(client, "chief", PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "https:evil.example",
        "http://testserver@evil.example/",
    ],
)
def test_login_never_redirects_off_site(client, target):
    factories.UserFactory(username="chief", is_superuser=True)
    response = _admin_login(client, "chief", PASSWORD, next=target)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location and "javascript" not in location


@pytest.mark.django_db
def test_login_follows_a_local_next(client):
    factories.UserFactory(username="chief", is_superuser=True)
    target = reverse("admin:articles_article_changelist")
    response = _admin_login(client, "chief", PASSWORD, next=target)
    assert response["Location"] == target
