"""Role x URL matrix over every portal, admin and API route found at run time.

Roles: anonymous reader, editor, chief editor, superuser. The expected answer of
an admin page follows from the user's permissions; portal pages answer the same
for everyone; API writes need an account with the permission.
"""

import pytest
from django.contrib import admin
from django.urls import resolve, reverse

from articles.models import Article
from tests import factories

from .conftest import world_objects
from .crawl import public_urls
from .routes import admin_urls, api_routes, is_token_login, urls_for

ROLES = ["anonymous", "editor", "chief editor", "superuser"]
ADMIN_OPEN_PAGES = {"login", "password_reset", "logout"}
UNSAFE_METHODS = ["post", "put", "patch", "delete"]


def _user(role):
    return {
        "anonymous": lambda: None,
        "editor": factories.editor,
        "chief editor": factories.chief_editor,
        "superuser": lambda: factories.UserFactory(is_superuser=True),
    }[role]()


def _client_for(client, role):
    user = _user(role)
    if user is not None:
        client.force_login(user)
    return user


def _expected_admin_status(user, url):
    """What the admin must answer `user` for `url`."""
    match = resolve(url)
    if user is None:
        return {302}
    view = match.url_name.rsplit("_", 1)[-1]
    model = next(
        (
            m
            for m in admin.site._registry
            if match.url_name.startswith(f"{m._meta.app_label}_{m._meta.model_name}_")
        ),
        None,
    )
    if model is None:  # index and app pages: any staff user
        return {200}
    model_admin = admin.site._registry[model]
    request = type("R", (), {"user": user})()
    allowed = {
        "changelist": model_admin.has_view_or_change_permission(request),
        "history": model_admin.has_view_or_change_permission(request),
        "change": model_admin.has_view_or_change_permission(request),
        "add": model_admin.has_add_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }[view]
    return {200} if allowed else {403}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_follow_permissions(client, world, role):
    user = _client_for(client, role)
    checked = 0
    for url in admin_urls(world_objects(world)):
        response = client.get(url)
        assert response.status_code in _expected_admin_status(user, url), (role, url)
        if user is None:
            assert response["Location"].startswith(reverse("admin:login"))
        checked += 1
    assert checked > 50


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_portal_answers_the_same_for_every_role(client, world, role):
    # API answers depend on the caller by design (tokens, writes); see below.
    urls = [u for u in public_urls(world_objects(world)) if not u.startswith("/api/")]
    anonymous = {url: client.get(url).status_code for url in urls}
    _client_for(client, role)
    for url in urls:
        status = client.get(url).status_code
        assert status < 500 and status == anonymous[url], (role, url)
    for article in world["hidden"].values():
        assert anonymous[article.get_absolute_url()] == 404


@pytest.mark.django_db
def test_anonymous_cannot_write_through_any_api_route(client, world):
    before = Article.objects.count()
    for route in [r for r in api_routes() if not is_token_login(r)]:
        for url in urls_for(route, world_objects(world)) or urls_for(route, []):
            for method in UNSAFE_METHODS:
                response = getattr(client, method)(
                    url, {"title": "x"}, content_type="application/json"
                )
                assert response.status_code in {401, 403, 404, 405}, (method, url)
    assert Article.objects.count() == before


@pytest.mark.django_db
def test_editor_cannot_delete_or_publish_through_the_api(client, world):
    client.force_login(factories.editor())
    draft = world["hidden"]["draft"]
    for route in [r for r in api_routes() if r.model is Article and r.kwargs]:
        for url in urls_for(route, [draft]):
            assert client.delete(url).status_code in {403, 404, 405}, url
            response = client.patch(
                url,
                {"status": "published", "version": draft.version},
                content_type="application/json",
            )
            # Refused, or accepted with the status left alone (a read-only field).
            assert response.status_code in {200, 400, 403, 404, 405}, url
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
