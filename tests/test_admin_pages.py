"""Every admin page renders for both newsroom roles, in a number of queries that does
not grow with the number of rows or tags."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROLES = {"editor": factories.editor, "chief": factories.chief_editor}

# One instance per admin-registered model of the two apps.
INSTANCE_FACTORIES = {
    "country": factories.CountryFactory,
    "organization": factories.OrganizationFactory,
    "person": factories.PersonFactory,
    "event": factories.EventFactory,
    "agreement": factories.AgreementFactory,
    "bilateralrelation": factories.BilateralRelationFactory,
    "topic": factories.TopicFactory,
    "source": factories.SourceFactory,
    "article": factories.ArticleFactory,
}


def admin_url(model_name, view, *args):
    app = "articles" if model_name in {"article", "source"} else "relations"
    return reverse(f"admin:{app}_{model_name}_{view}", args=args)


def test_every_registered_model_has_a_factory_here():
    registered = {
        model._meta.model_name
        for model in admin.site._registry
        if model._meta.app_label in {"articles", "relations"}
    }
    assert registered == set(INSTANCE_FACTORIES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model_name", INSTANCE_FACTORIES)
def test_changelist_add_and_change_pages_render(client, role, model_name):
    instance = INSTANCE_FACTORIES[model_name]()
    client.force_login(ROLES[role]())
    for url in (
        admin_url(model_name, "changelist"),
        admin_url(model_name, "add"),
        admin_url(model_name, "change", instance.pk),
    ):
        assert client.get(url).status_code == 200, url


def tag_article(article, count):
    """Tag `article` with `count` entities of every kind."""
    article.people.set(factories.PersonFactory.create_batch(count))
    article.countries.set(factories.CountryFactory.create_batch(count))
    article.organizations.set(factories.OrganizationFactory.create_batch(count))
    article.events.set(factories.EventFactory.create_batch(count))
    article.agreements.set(factories.AgreementFactory.create_batch(count))
    article.topics.set(factories.TopicFactory.create_batch(count))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role", ROLES)
def test_article_change_form_queries_do_not_grow_with_tags(client, role):
    client.force_login(ROLES[role]())
    few, many = factories.ArticleFactory(), factories.ArticleFactory()
    tag_article(few, 1)
    tag_article(many, 30)
    # The first visit builds the catalog of names the suggested tags come from.
    count_queries(client, admin_url("article", "change", few.pk))
    few_count = count_queries(client, admin_url("article", "change", few.pk))
    assert count_queries(client, admin_url("article", "change", many.pk)) == few_count


@pytest.mark.parametrize("role", ROLES)
def test_article_changelist_queries_do_not_grow_with_rows_or_tags(client, role):
    client.force_login(ROLES[role]())
    tag_article(factories.PublishedArticleFactory(), 1)
    one = count_queries(client, admin_url("article", "changelist"))
    for article in factories.PublishedArticleFactory.create_batch(29):
        tag_article(article, 2)
    assert count_queries(client, admin_url("article", "changelist")) == one


@pytest.mark.parametrize("model_name", ["person", "event", "bilateralrelation"])
def test_entity_changelists_queries_do_not_grow_with_rows(client, model_name):
    client.force_login(factories.chief_editor())
    INSTANCE_FACTORIES[model_name]()
    one = count_queries(client, admin_url(model_name, "changelist"))
    INSTANCE_FACTORIES[model_name].create_batch(10)
    assert count_queries(client, admin_url(model_name, "changelist")) == one


def test_article_change_form_query_count_is_pinned(client, django_assert_num_queries):
    client.force_login(factories.chief_editor())
    article = factories.ArticleFactory()
    tag_article(article, 30)
    url = admin_url("article", "change", article.pk)
    ContentType.objects.clear_cache()  # earlier tests may have warmed it
    # session, user, article, 2 x user permissions (user + group), the six tag
    # fields' selected rows, images inline, status changes panel, content type
    # (view on site), the six autocomplete widgets' selected options, source;
    # suggested tags panel: the entity generation, then (entities changed since
    # the last catalog of names) the known people, countries, organizations,
    # topics, agreements, events with their countries and participants, the
    # article's tags, other-language articles in the date window and undated
    # ones (11)
    with django_assert_num_queries(32):
        assert client.get(url).status_code == 200


def test_article_changelist_query_count_is_pinned(client, django_assert_num_queries):
    client.force_login(factories.chief_editor())
    for article in factories.PublishedArticleFactory.create_batch(30):
        tag_article(article, 1)
    # session, user, 2 x permissions, source / country / person filter choices,
    # 2 counts (filtered, total), the page of rows with their source, date
    # hierarchy bounds and years, language filter values
    with django_assert_num_queries(13):
        assert client.get(admin_url("article", "changelist")).status_code == 200
