"""Deployment settings and the security headers on portal, admin and API answers."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

from .conftest import world_objects
from .crawl import body_of
from .routes import admin_urls, api_routes, urls_for

ROOT = Path(__file__).resolve().parents[2]
CSP_REQUIRED = {
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {
        **env,
        "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Qp2" * 10,
        "DJANGO_ALLOWED_HOSTS": "news.example.org",
        **extra,
    }


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_key_or_hosts():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def _csp(response):
    header = response["Content-Security-Policy"]
    return dict(
        (part.split(" ", 1) + [""])[:2] for part in header.split("; ") if part.strip()
    )


def _assert_security_headers(response):
    csp = _csp(response)
    for directive, value in CSP_REQUIRED.items():
        assert csp[directive] == value, directive
    assert "'unsafe-inline'" not in csp["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_headers_on_portal_admin_and_api(client, world):
    urls = ["/", world["article"].get_absolute_url(), reverse("admin:login")]
    for route in [r for r in api_routes() if not r.kwargs][:5]:
        urls += urls_for(route, [])
    for url in urls:
        _assert_security_headers(client.get(url, secure=True))


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_settings_switch_off_only_in_debug():
    assert not settings.DEBUG
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    renderers = settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]
    assert not any("Browsable" in renderer for renderer in renderers)


@pytest.mark.django_db
def test_session_cookie_is_secure_httponly_samesite(client):
    factories.UserFactory(username="chief", is_superuser=True)
    client.get(reverse("admin:login"))
    response = client.post(
        reverse("admin:login"),
        {"username": "chief", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        cookie = response.cookies[name]
        assert cookie["secure"] and cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


@pytest.mark.django_db
def test_api_never_answers_with_the_browsable_html(client, world):
    for route in api_routes():
        for url in urls_for(route, world_objects(world)):
            response = client.get(url, HTTP_ACCEPT="text/html")
            # HTML only from the API's documentation pages, never DRF's own
            # browsable renderer (recognisable by its static files).
            body = body_of(response)
            assert b"rest_framework/" not in body, url


class _InlineCode(HTMLParser):
    """Inline scripts and styles that lack the request's nonce, and style attributes."""

    def __init__(self, nonce):
        super().__init__()
        self.nonce, self.problems = nonce, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.problems.append(f"<{tag} style=...>")
        inline_script = tag == "script" and "src" not in attrs
        executable = attrs.get("type", "text/javascript") in {
            "text/javascript",
            "module",
        }
        if (inline_script and executable) or tag == "style":
            if not self.nonce or attrs.get("nonce") != self.nonce:
                self.problems.append(f"<{tag}> without the nonce")


@pytest.mark.django_db
def test_admin_pages_work_under_the_policy(client, world):
    """Every admin page: nothing inline that the enforced policy would block."""
    client.force_login(factories.UserFactory(is_superuser=True))
    pages = 0
    for url in admin_urls(world_objects(world)):
        response = client.get(url, secure=True)
        # 403: an admin that allows no adding at all (django-axes' lockout log).
        assert response.status_code in {200, 403}, url
        pages += response.status_code == 200
        assert "Content-Security-Policy-Report-Only" not in response
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        finder = _InlineCode(nonce and nonce.group(1))
        finder.feed(response.content.decode())
        assert not finder.problems, (url, finder.problems)
    assert pages > 30
