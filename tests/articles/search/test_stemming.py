"""English and German words match their inflected forms on both engines."""

import pytest

from articles.search import search_articles, text

pytestmark = pytest.mark.django_db


def found(query):
    return [hit.article for hit in search_articles(query).hits]


def test_english_plural_and_singular(publish):
    article = publish(
        title="Second round of political consultations", body="<p>Held.</p>"
    )
    publish(title="Unrelated news", body="<p>Culture week.</p>")
    assert found("consultation") == [article]
    assert found("consultations") == [article]
    assert found("consulting") == [article]


def test_german_ministry_forms(publish):
    article = publish(
        title="Konsultationen zwischen den Außenministerien",
        body="<p>Gespräche in Bagdad.</p>",
        language="de",
    )
    publish(title="Kulturwoche", body="<p>Musik.</p>", language="de")
    for query in [
        "Außenministerium",
        "Außenministerien",
        "Aussenministerium",
        "Konsultation",
        "konsultationen",
    ]:
        assert found(query) == [article], query


def test_stemming_runs_on_the_c_stemmer():
    # requirements.txt pins PyStemmer so indexing does not stem in pure Python.
    import Stemmer

    assert isinstance(text._stemmer("de"), Stemmer.Stemmer)
