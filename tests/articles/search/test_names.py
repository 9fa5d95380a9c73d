"""Names: an article tagged with a person or country is found by any spelling."""

import pytest

from articles.search import search_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(publish, aliyev):
    # Neither the title nor the text spells the name: only the tag carries it.
    return publish(
        title="President receives a delegation",
        lead="Talks on energy.",
        body="<p>The head of state met the visitors.</p>",
        tags={"people": [aliyev]},
    )


@pytest.fixture
def other(publish):
    return publish(title="Ministers discuss energy", body="<p>Energy talks.</p>")


@pytest.mark.parametrize(
    "query",
    [
        "Aliyev",
        "aliyev",
        "Aliev",
        "Əliyev",
        "ƏLİYEV",
        "Alijew",
        "Ilham Aliyev",
        "İlham Əliyev",
        "Ilham Aliev",
    ],
)
def test_person_found_by_every_spelling(tagged, other, query):
    results = search_articles(query)
    assert [hit.article for hit in results.hits] == [tagged]


def test_spelling_not_listed_as_alias_is_found_by_the_name_key(publish, azerbaijan):
    # Rafiyev has no aliases: Rafiev and Rafijew still share its key.
    from tests.factories import PersonFactory

    rafiyev = PersonFactory(full_name="Yalchin Rafiyev", country=azerbaijan)
    article = publish(title="Consultations held", tags={"people": [rafiyev]})
    for query in ["Rafiyev", "Rafiev", "Rafijew", "RAFIYEV"]:
        assert [hit.article for hit in search_articles(query).hits] == [article]


def test_country_found_by_alias_and_diacritics(publish, azerbaijan, iraq):
    article = publish(title="Visit abroad", tags={"countries": [azerbaijan, iraq]})
    for query in ["Aserbaidschan", "Azərbaycan", "azerbaycan", "Irak", "Iraqi"]:
        assert [hit.article for hit in search_articles(query).hits] == [article]


def test_diacritics_in_text_match_both_ways(publish):
    article = publish(
        title="Außenminister in Bakı", body="<p>Gespräche.</p>", language="de"
    )
    for query in ["Baki", "Bakı", "aussenminister", "Außenminister", "gesprache"]:
        assert [hit.article for hit in search_articles(query).hits] == [article]


def test_unrelated_name_finds_nothing(tagged):
    assert search_articles("Bayramov").total == 0


def test_khayrullah_and_khairullah_share_a_key(publish, iraq):
    from tests.factories import PersonFactory

    envoy = PersonFactory(full_name="Nazar al-Khayrullah", country=iraq)
    article = publish(title="Deputy minister in Baku", tags={"people": [envoy]})
    for query in ["al-Khayrullah", "Khairullah", "KHAYRULLAH", "Khayrullah's"]:
        assert [hit.article for hit in search_articles(query).hits] == [article], query


def test_highlight_marks_the_spelling_in_the_text(publish, aliyev):
    publish(
        title="Talks",
        lead="President Aliyev received the delegation.",
        tags={"people": [aliyev]},
    )
    hit = search_articles("Alijew").hits[0]
    assert "President <mark>Aliyev</mark> received" in hit.snippet_html
