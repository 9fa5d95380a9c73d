"""/search/ and /search/suggest/: rendering, escaping, links, errors, query counts."""

import datetime

import pytest
from django.utils import timezone

from articles.search import search_articles
from tests.factories import CountryFactory, PersonFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def get(client, **params):
    return client.get("/search/", params)


def test_hits_show_highlights_and_facets(client, publish, aliyev, azerbaijan):
    publish(
        title="Political consultations in Baku",
        body="<p>The second round of consultations took place.</p>",
        tags={"people": [aliyev], "countries": [azerbaijan]},
    )
    page = get(client, q="consultation").content.decode()
    assert "<mark>consultations</mark> in Baku" in page
    assert "1 article found" in page
    assert 'href="/search/?country=AZ&amp;q=consultation"' in page
    assert 'Azerbaijan</a> <span class="count">(1)</span>' in page


def test_article_text_cannot_inject_markup(client, publish):
    publish(
        title='<script>alert("x")</script> Caspian <b>talks</b>',
        lead='Caspian <img src=x onerror="alert(1)"> &amp; more',
        body="<p>Caspian</p>",
    )
    results = search_articles("caspian")
    hit = results.hits[0]
    assert "<script>" not in hit.title_html and "<b>" not in hit.title_html
    assert (
        "&lt;script&gt;" in hit.title_html and "<mark>Caspian</mark>" in hit.title_html
    )
    # The lead is plain text: shown as typed, escaped.
    assert "<img" not in hit.snippet_html and "&lt;img" in hit.snippet_html
    page = get(client, q="caspian").content.decode()
    assert (
        "<script>alert" not in page
        and "onerror"
        not in page.replace("&quot;", "").split("<main", 1)[1].split("&lt;", 1)[0]
    )


def test_query_is_escaped_on_the_page(client, publish):
    publish(title="Harbour")
    page = get(client, q='"><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_did_you_mean_links_to_the_corrected_search(client, publish, azerbaijan):
    bayramov = PersonFactory(full_name="Jeyhun Bayramov", country=azerbaijan)
    publish(title="Minister meets envoy", tags={"people": [bayramov]})
    results = search_articles("Bayramof")
    # The name key alone does not cover f/v: a real misspelling.
    assert results.total == 0 and results.suggestion == "Bayramov"
    page = get(client, q="Bayramof").content.decode()
    assert 'Did you mean <a href="/search/?q=Bayramov">Bayramov</a>' in page
    assert "Minister meets envoy" in get(client, q="Bayramov").content.decode()


def test_no_suggestion_for_nonsense(publish):
    publish(title="Harbour")
    assert search_articles("qqqxxzz").suggestion is None


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "!!!"},
        {"q": "x" * 10_000},
        {"q": "\x00"},
        {"q": 'NEAR( "*" OR OR -'},
        {"q": "talks", "page": "-1"},
        {"q": "talks", "page": "99999999999999999999"},
        {"q": "talks", "sort": "'; DROP TABLE"},
        {"q": "talks", "year": "abc"},
        {"q": "talks", "person": "\x00"},
        {"q": "talks", "country": "\x00\x00"},
        {"q": "talks", "from": "2024-13-45"},
        {"q": "talks", "language": "e" * 500},
    ],
)
def test_hostile_requests_never_fail(client, publish, params):
    publish(title="Border talks")
    response = get(client, **params)
    assert response.status_code in (200, 400)
    assert b"<h1>Search the news</h1>" in response.content


def test_invalid_filter_is_a_400_with_a_message(client, publish):
    publish(title="Border talks")
    response = get(client, q="talks", person="nobody")
    assert response.status_code == 400
    assert b"Some filters are not valid" in response.content


def test_no_words_message_is_shown(client, publish):
    publish(title="Border talks")
    response = get(client, q="*")
    assert response.status_code == 200
    assert b"The search has no words to look for." in response.content


def test_pagination_links(client, publish):
    for day in range(25):
        publish(
            title=f"Border talks {day}",
            published_at=timezone.now() - datetime.timedelta(days=day + 1),
        )
    first = get(client, q="border").content.decode()
    assert 'href="/search/?page=2&amp;q=border"' in first
    second = get(client, q="border", page=2).content.decode()
    assert "Page 2 of 2" in second and 'rel="prev"' in second


def tagged_articles(publish, count, tags_each):
    countries = [CountryFactory() for _ in range(tags_each)]
    people = [PersonFactory(country=countries[0]) for _ in range(tags_each)]
    for number in range(count):
        publish(
            title=f"Border talks {number}",
            tags={"countries": countries, "people": people},
        )


@pytest.mark.parametrize("count, tags_each", [(1, 1), (12, 4)])
def test_query_count_does_not_grow(
    client, publish, count, tags_each, django_assert_num_queries
):
    tagged_articles(publish, count, tags_each)
    # The search engine: the number of matches and the ranked ids (one query);
    # the facet keys of the matches, then the names of the values shown. The page: its
    # articles with their source; the cards' tags.
    with django_assert_num_queries(ENGINE_QUERIES + 2):
        response = get(client, q="border talks")
    assert response.status_code == 200


# What search_articles() costs for a query with hits (see the test above).
ENGINE_QUERIES = 3


def filtered(keys_only=False):
    from django.db import connection

    # SQLite: which of the ranked ids the filters keep, a query of its own,
    # unless they ask only for what the index rows carry as keys (tags,
    # source, language, year).
    return 1 if connection.vendor == "sqlite" and not keys_only else 0


def test_query_count_with_an_entity_filter(
    client, publish, aliyev, django_assert_num_queries
):
    publish(title="Border talks", tags={"people": [aliyev]})
    # The above plus one lookup of the entities the filters name.
    with django_assert_num_queries(ENGINE_QUERIES + filtered(keys_only=True) + 2 + 1):
        response = get(client, q="border", person=aliyev.slug)
    assert b"1 article found" in response.content


def test_one_lookup_for_every_entity_filter(
    client, publish, aliyev, django_assert_num_queries
):
    topic = TopicFactory(name="Borders")
    source = SourceFactory()
    publish(
        title="Border talks",
        source=source,
        tags={"people": [aliyev], "topics": [topic]},
    )
    publish(title="Border talks again", tags={"people": [aliyev]})
    named = {"person": aliyev.slug, "topic": topic.slug, "source": source.slug}
    # The source has a key in the index too: the filters ask only for keys.
    with django_assert_num_queries(ENGINE_QUERIES + filtered(keys_only=True) + 2 + 1):
        response = get(client, q="border", **named)
    assert b"1 article found" in response.content
    for name in named:
        wrong = get(client, q="border", **{**named, name: "nobody"})
        assert wrong.status_code == 400
        assert wrong.content.count(b'class="field-error"') == 1


def test_empty_page_makes_no_search_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert get(client).status_code == 200


def test_suggest_json_by_alias(client, aliyev, azerbaijan):
    response = client.get("/search/suggest/", {"q": "Əliyev", "format": "json"})
    data = response.json()
    assert data["results"] == [
        {
            "kind": "person",
            "label": "Ilham Aliyev",
            "param": "person",
            "value": aliyev.slug,
            "url": aliyev.get_absolute_url(),
        }
    ]
    by_alias = client.get(
        "/search/suggest/", {"q": "Aserbaid"}, HTTP_ACCEPT="application/json"
    ).json()
    assert [item["label"] for item in by_alias["results"]] == ["Azerbaijan"]


def test_suggest_html_fallback(client, aliyev):
    page = client.get("/search/suggest/", {"q": "Alijew"}).content.decode()
    assert f'href="{aliyev.get_absolute_url()}">Ilham Aliyev</a>' in page
    assert f'href="/search/?person={aliyev.slug}"' in page
    assert '<label for="suggest-q">' in page


@pytest.mark.parametrize("q", ["", "a", "\x00", "%", "_", "x" * 5000])
def test_suggest_hostile(client, aliyev, q):
    response = client.get("/search/suggest/", {"q": q, "format": "json"})
    assert response.status_code == 200
    assert response.json()["results"] in ([], response.json()["results"])


def test_query_count_past_the_bounds(
    client, publish, monkeypatch, django_assert_num_queries
):

    from articles.search import backends, query

    monkeypatch.setattr(backends, "RANK_CANDIDATES", 2)
    monkeypatch.setattr(query, "FACET_SCOPE", 2)
    tagged_articles(publish, 25, 2)
    # The number of matches with the strong fields ranked; the newest matches
    # (with the count of all on PostgreSQL); the facets; the page's articles
    # and tags.
    with django_assert_num_queries(ENGINE_QUERIES + 1 + 2):
        response = get(client, q="border talks")
    assert b"25 articles found" in response.content
    assert b"Counts cover the first " in response.content


def test_lead_is_plain_text_and_shown_when_it_matches(publish):
    publish(
        title="Talks",
        lead="Second round of <consultations> held.",
        body="<p>Unrelated opening words.</p>",
    )
    hit = search_articles("consultation").hits[0]
    assert (
        hit.snippet_html == "Second round of &lt;<mark>consultations</mark>&gt; held."
    )


def test_empty_form_fields_are_dropped_from_links(client, publish):
    publish(title="Border talks")
    page = get(client, q="border", country="", person="").content.decode()
    assert 'href="/search/?q=border&amp;sort=date"' in page


def test_filter_fields_show_what_was_typed_and_the_blank_form_again(client, publish):
    """The blank filter form is kept once rendered; a filled-in one never is."""
    publish(title="Energy talks", body="<p>Energy.</p>")
    blank = get(client, q="energy").content.decode()
    assert 'name="language"' in blank and 'name="language" value=' not in blank
    typed = get(client, q="energy", language=" d<e ").content.decode()
    assert 'name="language" value=" d&lt;e "' in typed
    invalid = get(client, q="energy", year="not a year")
    assert invalid.status_code == 400
    assert 'class="field-error"' in invalid.content.decode()
    again = get(client, q="energy").content.decode()
    assert 'name="language" value=' not in again
    assert 'class="field-error"' not in again
    assert again.count('name="year"') == blank.count('name="year"') == 1


def test_query_count_filtered_past_the_bounds(
    client, publish, monkeypatch, django_assert_num_queries
):
    from articles.search import backends, query

    monkeypatch.setattr(backends, "RANK_CANDIDATES", 2)
    monkeypatch.setattr(query, "FACET_SCOPE", 2)
    tagged_articles(publish, 25, 2)
    person = PersonFactory._meta.model.objects.order_by("pk").first()
    # As past the bounds without filters, plus the lookup of the person. On
    # SQLite the filtered ranked ids and the newest matches come in one query.
    with django_assert_num_queries(ENGINE_QUERIES + 1 + 2 + 1):
        response = get(client, q="border talks", person=person.slug)
    assert b"25 articles found" in response.content
