"""The database going away mid-request: a 503 page and nothing half-saved."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse

from articles.models import Article
from tests import factories


class DatabaseGoesAway:
    """Execute wrapper: lets queries through until one matches, then fails them all."""

    def __init__(self, fail_from_sql="", error=OperationalError):
        self.fail_from_sql = fail_from_sql
        self.error = error
        self.failed = 0

    def _matches(self, sql):
        if not self.fail_from_sql:
            return True
        return sql.startswith("INSERT") and self.fail_from_sql in sql

    def __call__(self, execute, sql, params, many, context):
        if self.failed or self._matches(sql):
            self.failed += 1
            raise self.error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def _article_form(country):
    return {
        "title": "Foreign ministers hold consultations in Baku",
        "slug": "",
        "lead": "Deputy ministers reviewed the agenda.",
        "body": "<p>Both sides discussed energy and transport.</p>",
        "language": "en",
        "countries": [country.pk],
        "status": "draft",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_public_page_answers_503_when_database_is_gone(client, error):
    article = factories.PublishedArticleFactory()
    with connection.execute_wrapper(DatabaseGoesAway(error=error)):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Temporarily unavailable" in response.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_save_cut_off_between_article_and_tags_leaves_nothing(client):
    client.force_login(factories.UserFactory(is_superuser=True))
    country = factories.CountryFactory()
    fault = DatabaseGoesAway(fail_from_sql='"articles_article_countries"')
    with connection.execute_wrapper(fault):
        response = client.post(
            reverse("admin:articles_article_add"), _article_form(country)
        )
    assert fault.failed, f"the fault was never reached: {response.content[:3000]}"
    assert response.status_code == 503
    assert not Article.objects.filter(title__contains="consultations").exists()
    assert not Article.countries.through.objects.exists()


@pytest.mark.django_db
def test_same_admin_save_succeeds_without_the_fault(client):
    client.force_login(factories.UserFactory(is_superuser=True))
    country = factories.CountryFactory()
    response = client.post(
        reverse("admin:articles_article_add"), _article_form(country)
    )
    assert response.status_code == 302
    assert Article.objects.get().countries.get() == country
