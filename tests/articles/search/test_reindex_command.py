import pytest
from django.core.management import call_command

from articles.search import search_articles
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


def test_command_indexes_rows_written_without_services(capsys):
    # Factories (like loaddata) write rows without going through the services.
    article = PublishedArticleFactory(title="Lighthouse keepers")
    assert search_articles("lighthouse").total == 0
    call_command("search_reindex")
    assert [hit.article for hit in search_articles("lighthouse").hits] == [article]
    assert "Indexed 1 article(s)" in capsys.readouterr().out


def test_deleted_article_is_not_found(publish):
    article = publish(title="Lighthouse keepers")
    article.delete()
    assert search_articles("lighthouse").total == 0
    call_command("search_reindex")
    assert search_articles("lighthouse").total == 0
