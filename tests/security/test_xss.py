"""Script, event-handler and javascript: payloads in every text field of every model.

Each payload is written into every text field of one instance of every model; then
every public page, feed, sitemap and API route (discovered at run time) and every
admin changelist, change, history and delete page is fetched and checked for
active content. Article bodies go through the article service like every write.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models
from django.urls import reverse

from articles import services
from articles.models import Article
from tests import factories

from .conftest import world_objects
from .crawl import body_of, public_urls
from .html_check import html_problems, response_problems
from .routes import admin_urls, api_routes, project_models, urls_for

PAYLOADS = {
    "script": '<script>alert("xss")</script>',
    "event-handler": '"><img src=x onerror=alert(1)><svg onload=alert(2)>',
    "javascript-url": "javascript:alert(3)",
    "attribute-breakout": "' onmouseover='alert(4)' x='<a href=javascript:alert(5)>",
}
# Slugs are generated from names, never typed in (and URL patterns refuse markup).
SKIPPED_FIELD_TYPES = (models.SlugField,)


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, SKIPPED_FIELD_TYPES)
        and not field.choices
        and field.editable
    ]


def _fits(field, payload):
    return field.max_length is None or len(payload) <= field.max_length


def plant(world, payload):
    """Write `payload` into every text field that can hold it; returns fields set."""
    planted = []
    for obj in world_objects(world):
        values = {
            f.attname: payload for f in text_fields(type(obj)) if _fits(f, payload)
        }
        type(obj)._base_manager.filter(pk=obj.pk).update(**values)
        planted += [f"{type(obj).__name__}.{name}" for name in values]
    article = Article.objects.get(pk=world["article"].pk)
    article.body = f"<p>{payload}</p><a href='{payload}'>link</a>"
    services.article_save(article=article)
    return planted


def _log_history(user, objects):
    for obj in objects:
        obj.refresh_from_db()
        LogEntry.objects.log_actions(user.pk, [obj], CHANGE, change_message=str(obj))


def _problems(client, urls):
    found = {}
    for url in urls:
        response = client.get(url)
        problems = response_problems(response, body_of(response))
        if problems:
            found[url] = problems
    return found


@pytest.mark.django_db
def test_every_model_has_text_fields_to_attack():
    # Guards the test below: if discovery broke, it would check nothing.
    fields = [f for model in project_models() for f in text_fields(model)]
    assert len(fields) > 20


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payloads_render_inert_in_portal_feeds_sitemap_and_api(client, world, payload):
    planted = plant(world, payload)
    assert "Article.title" in planted and "Person.full_name" in planted
    urls = public_urls(world_objects(world))
    assert not _problems(client, urls)
    # Markup in plain-text fields shows as text: escaped, never as tags.
    page = client.get(world["article"].get_absolute_url())
    assert "<" not in payload or payload.encode() not in page.content


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payloads_render_inert_in_admin_lists_forms_and_history(client, world, payload):
    superuser = factories.UserFactory(is_superuser=True)
    client.force_login(superuser)
    plant(world, payload)
    objects = world_objects(world)
    _log_history(superuser, objects)
    assert not _problems(client, admin_urls(objects))


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_admin_form_stores_body_without_active_content(client, payload):
    client.force_login(factories.UserFactory(is_superuser=True))
    form = {
        "title": "Ministers meet",
        "lead": "Talks on transport.",
        "body": f"<p onclick='alert(1)'>{payload}</p><svg onload=alert(2)></svg>"
        f"<a href='javascript:alert(3)'>x</a><img src=x onerror=alert(4)>",
        "language": "en",
        "status": "draft",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:articles_article_add"), form)
    assert response.status_code == 302
    stored = Article.objects.get(title="Ministers meet").body
    assert not html_problems(stored)
    assert "<svg" not in stored and "<img" not in stored and "<script" not in stored


@pytest.mark.django_db
def test_api_writes_store_bodies_without_active_content(client, world):
    # Covers every API route about articles that accepts a POST, once it exists.
    client.force_login(factories.UserFactory(is_superuser=True))
    body = "<p onclick='alert(1)'>x</p><script>alert(2)</script>"
    for route in [r for r in api_routes() if r.model is Article and not r.kwargs]:
        for url in urls_for(route, []):
            payload = {"title": f"Posted to {url}", "body": body, "language": "en"}
            client.post(url, payload, content_type="application/json")
    for article in Article.objects.filter(title__startswith="Posted to"):
        assert not html_problems(article.body)
