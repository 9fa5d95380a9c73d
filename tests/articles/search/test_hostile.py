"""Queries nobody means: an empty page or a clear message, never an exception."""

import pytest

from articles.search import search_articles

pytestmark = pytest.mark.django_db

NO_WORDS = [
    "!!!",
    '"',
    "*",
    "-",
    "()",
    "^",
    ":",
    "\x00",
    '"*" - ( ) : ^ + {}',
    "\u200b\u200b",
]


@pytest.fixture
def corpus(publish):
    return publish(title="Near and far: the OR question", body="<p>Talks.</p>")


@pytest.mark.parametrize("query", NO_WORDS)
def test_no_words_gives_a_message(corpus, query):
    results = search_articles(query)
    assert results.hits == [] and results.total == 0
    assert results.error == "The search has no words to look for."


@pytest.mark.parametrize("query", ["", "   ", None])
def test_empty_gives_nothing_and_no_message(corpus, query):
    results = search_articles(query)
    assert (results.hits, results.total, results.error) == ([], 0, None)


@pytest.mark.parametrize(
    "query",
    [
        "OR OR",
        "NEAR(",
        "NEAR(or",
        'near" OR "question',
        "AND NOT or*",
        "question\x00or",
        "title:question",
        "{title}: question",
    ],
)
def test_operators_are_plain_words(corpus, query):
    # FTS5 / tsquery syntax is never passed on: these are words to look for.
    results = search_articles(query)
    assert results.error is None
    assert [hit.article for hit in results.hits] in ([corpus], [])


def test_operator_words_match_as_words(corpus):
    assert [hit.article for hit in search_articles("OR OR").hits] == [corpus]
    assert [hit.article for hit in search_articles('NEAR("or').hits] == [corpus]


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000,
        "talks " * 2_000,
        "(" * 5_000 + "talks",
        "ə" * 10_000,
        " ".join(f"w{n}" for n in range(3_000)),
    ],
)
def test_very_long_queries_answer(corpus, query):
    results = search_articles(query)
    assert results.total in (0, 1)


def test_page_and_size_are_clamped(corpus):
    results = search_articles("talks", page=10**9, page_size=10**6)
    assert results.page == 500 and results.page_size == 100
    assert results.hits == [] and results.total == 1


def test_invalid_filter_mapping_gives_a_message(corpus):
    results = search_articles("talks", filters={"person": "nobody-at-all"})
    assert results.hits == [] and "person" in results.error


@pytest.mark.parametrize("page, size", [("abc", "x"), (None, None), (float("inf"), -5)])
def test_page_and_size_that_are_not_numbers(corpus, page, size):
    results = search_articles("talks", page=page, page_size=size)
    assert results.total == 1 and results.page == 1
