import re
import sys

import pytest

from articles.search import reindex_articles, search_articles
from benchmarks import indexing
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


def test_it_times_indexing_and_leaves_the_index_as_it_was(monkeypatch, capsys):
    # Factories write past the services: none of these is in the index.
    PublishedArticleFactory.create_batch(3, title="Lighthouse keepers")
    monkeypatch.setattr(
        sys, "argv", ["indexing", "--articles", "2", "--warm", "1", "--passes", "2"]
    )
    indexing.main()
    out = capsys.readouterr().out
    assert re.fullmatch(
        r"indexed 2 articles: \d+ us per article \(fastest of 2 passes\)\n", out
    )
    assert search_articles("lighthouse").total == 0


def test_each_pass_indexes_the_articles_before_rolling_back(monkeypatch):
    import articles.search

    keepers = PublishedArticleFactory.create_batch(2, title="Lighthouse keepers")
    found = []

    def reindex_then_search(ids):
        done = reindex_articles(ids)
        found.append(search_articles("lighthouse").total)
        return done

    monkeypatch.setattr(articles.search, "reindex_articles", reindex_then_search)
    assert indexing.reindex_rolled_back([article.pk for article in keepers]) > 0
    assert found == [2]
    assert search_articles("lighthouse").total == 0
