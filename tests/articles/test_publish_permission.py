import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, chief_editor, editor

pytestmark = pytest.mark.django_db


def test_editor_cannot_publish_through_the_service():
    article = ArticleFactory()
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, user=editor())
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_editor_cannot_publish_by_saving_a_published_status():
    article = ArticleFactory()
    article.status = Article.Status.PUBLISHED
    article.published_at = article.created_at
    with pytest.raises(PermissionDenied):
        services.article_save(article=article, user=editor())
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_editor_cannot_archive():
    article = ArticleFactory()
    with pytest.raises(PermissionDenied):
        services.article_archive(article=article, user=editor())


def test_chief_editor_publishes():
    article = ArticleFactory()
    services.article_publish(article=article, user=chief_editor())
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_editor_can_send_a_draft_to_review():
    article = ArticleFactory()
    services.article_submit_for_review(article=article, user=editor())
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_editor_posting_published_status_in_the_admin_changes_nothing(client):
    article = ArticleFactory()
    client.force_login(editor())
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "title": article.title,
        "slug": article.slug,
        "lead": "",
        "body": "<p>x</p>",
        "language": "en",
        "status": "published",
        "published_at_0": "2024-01-01",
        "published_at_1": "10:00:00",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    client.post(url, data)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_editor_does_not_get_the_publish_bulk_action(client):
    ArticleFactory()
    client.force_login(editor())
    response = client.get(reverse("admin:articles_article_changelist"))
    actions = [
        choice[0] for choice in response.context["action_form"].fields["action"].choices
    ]
    assert (
        "send_to_review" in actions
        and "publish" not in actions
        and "archive" not in actions
    )


def test_editor_posting_the_publish_action_changes_nothing(client):
    article = ArticleFactory()
    client.force_login(editor())
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
