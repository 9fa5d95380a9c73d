"""The index follows article edits, tag changes and entity renames, transactionally."""

import pytest
from django.db import transaction

from articles.models import Article
from articles.search import search_articles
from articles.services import article_save, article_set_tags
from relations.services import entity_save
from tests.factories import PersonFactory, chief_editor

pytestmark = pytest.mark.django_db


def found(query):
    return [hit.article for hit in search_articles(query).hits]


def test_edit_through_service_reindexes(publish):
    article = publish(title="Trade fair opens")
    article.title = "Grain corridor opens"
    article_save(article=article, user=chief_editor())
    assert found("grain") == [article]
    assert found("fair") == []


def test_tag_change_reindexes(publish, aliyev):
    article = publish(title="Reception at the palace")
    assert found("Aliev") == []
    article_set_tags(article=article, people=[aliyev])
    assert found("Aliev") == [article]
    article_set_tags(article=article, people=[])
    assert found("Aliev") == []


def test_new_alias_reindexes_tagged_articles(publish, azerbaijan):
    person = PersonFactory(full_name="Hikmat Hajiyev", country=azerbaijan)
    article = publish(title="Adviser speaks", tags={"people": [person]})
    untagged = publish(title="Adviser writes")
    assert found("Gadzhiev") == []
    person.aliases = "Gadzhiev\nHadjiyev"
    entity_save(entity=person)
    assert found("Gadzhiev") == [article]
    assert found("Hadjiyev") == [article]
    assert untagged not in found("adviser Gadzhiev")
    person.aliases = "Hadjiyev"
    entity_save(entity=person)
    assert found("Gadzhiev") == []


def test_rename_without_name_change_skips_reindex(
    publish, aliyev, django_assert_num_queries
):
    publish(title="Reception", tags={"people": [aliyev]})
    aliyev.bio = "President."
    # SELECT the stored row to compare names, SAVEPOINT/RELEASE, the version
    # claim (conditional UPDATE), UPDATE person.
    with django_assert_num_queries(5):
        entity_save(entity=aliyev)


def test_failed_write_leaves_no_index_row(publish):
    article = publish(title="Harbour works")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Lighthouse works"
        article_save(article=article, user=chief_editor())
        raise RuntimeError("the rest of the edit failed")
    assert found("lighthouse") == []
    assert found("harbour") == [Article.objects.get(pk=article.pk)]


def test_admin_save_related_reindexes_tags(client, publish, aliyev):
    article = publish(title="Reception at the palace")
    user = chief_editor(is_superuser=True)
    client.force_login(user)
    form = {
        "title": article.title,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "language": "en",
        "people": [aliyev.pk],
        "status": "published",
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "source": article.source_id,
        "loaded_version": article.version,  # the change form refuses stale saves
    }
    url = f"/admin/articles/article/{article.pk}/change/"
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert found("Alijew") == [article]


def test_admin_entity_edit_reindexes(client, publish, aliyev):
    article = publish(title="Reception", tags={"people": [aliyev]})
    client.force_login(chief_editor(is_superuser=True))
    url = f"/admin/relations/person/{aliyev.pk}/change/"
    form = {
        "full_name": aliyev.full_name,
        "slug": aliyev.slug,
        "country": aliyev.country_id,
        "aliases": "Ilham Heydar oglu",
        "positions-TOTAL_FORMS": 0,
        "positions-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert found("Heydar") == [article]
