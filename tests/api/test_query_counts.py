"""Every endpoint reads in a fixed number of queries, whatever the page size and
however many tags the articles carry."""

import pytest

from articles.search import reindex_articles
from relations.models import Event
from tests import factories


def tagged_articles(count, tags):
    """`count` published articles, each with `tags` tags of every kind and an image;
    all but the first translate the first, so every page of two or more rows runs
    both translation prefetches (Django skips a prefetch with nothing to fetch)."""
    articles = factories.PublishedArticleFactory.create_batch(count)
    for article in articles:
        article.people.add(*factories.PersonFactory.create_batch(tags))
        article.countries.add(*factories.CountryFactory.create_batch(tags))
        article.organizations.add(*factories.OrganizationFactory.create_batch(tags))
        article.events.add(*factories.EventFactory.create_batch(tags))
        article.agreements.add(*factories.AgreementFactory.create_batch(tags))
        article.topics.add(*factories.TopicFactory.create_batch(tags))
        factories.ArticleImageFactory(article=article)
    for translation in articles[1:]:
        translation.story = articles[0]
        translation.save()
    return articles


@pytest.fixture(params=[(3, 1), (12, 3)], ids=["few-tags", "many-tags"])
def content(request, db):
    articles = tagged_articles(*request.param)
    factories.ParticipationFactory(event=articles[0].events.first())
    factories.PositionFactory(person=articles[0].people.first())
    factories.MilestoneFactory()
    factories.BilateralRelationFactory()
    return articles


# Article queries: the page's rows (source and story joined), their images, and
# one UNION ALL for their links: people, countries, organizations, events,
# agreements, topics and the other-language versions of their stories.
ARTICLE_ROWS = 3

# The engine's own queries: the number of matches with the ranked ids, the
# facet keys of the matches, then the names of the values shown. The page's articles
# are then read with ARTICLE_ROWS, from the queryset the API hands the engine.
SEARCH_ENGINE = 3

# Queries past the COUNT, which a list runs only when its first page is full
# (a shorter first page is the whole list and counts itself).
LISTS = {
    "/api/articles/": ARTICLE_ROWS,
    "/api/articles/?ordering=title&language=en": ARTICLE_ROWS,
    # people, their positions (organization joined)
    "/api/people/": 2,
    # rows
    "/api/countries/": 1,
    "/api/organizations/": 1,
    "/api/topics/": 1,
    "/api/sources/": 1,
    "/api/relations/": 1,
    # events, countries, organizations, participations (person joined)
    "/api/events/": 4,
    # agreements, parties
    "/api/agreements/": 2,
}


def page_of(url, size, page=1):
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}page_size={size}&page={page}"


@pytest.mark.parametrize("url", LISTS)
def test_full_pages_count(anon_client, content, django_assert_num_queries, url):
    for page in (1, 2):  # every list has two or more rows
        with django_assert_num_queries(1 + LISTS[url]):
            response = anon_client.get(page_of(url, 1, page))
        assert response.status_code == 200
        assert len(response.json()["results"]) == 1
        assert response.json()["count"] >= 2


@pytest.mark.parametrize("content", [(3, 1)], indirect=True)  # under 100 of each
@pytest.mark.parametrize("url", LISTS)
def test_a_short_first_page_needs_no_count(
    anon_client, content, django_assert_num_queries, url
):
    with django_assert_num_queries(LISTS[url]):
        response = anon_client.get(page_of(url, 100))
    data = response.json()
    assert 0 < data["count"] == len(data["results"]) < 100
    assert data["next"] is None


@pytest.fixture
def twenty_one_articles(db):
    return tagged_articles(21, 3)


def test_article_queries_do_not_grow_with_the_page(
    anon_client, twenty_one_articles, django_assert_num_queries
):
    for size in (1, 20):
        with django_assert_num_queries(1 + ARTICLE_ROWS):
            response = anon_client.get(f"/api/articles/?page_size={size}")
        results = response.json()["results"]
        assert len(results) == size
        assert all(len(result["people"]) == 3 for result in results)
        # Every page holds the original or a translation: each shows the others.
        assert all(result["other_languages"] for result in results)


def test_search_queries_do_not_grow_with_the_page(
    anon_client, twenty_one_articles, django_assert_num_queries
):
    reindex_articles([article.pk for article in twenty_one_articles])
    for size in (1, 20):
        with django_assert_num_queries(SEARCH_ENGINE + ARTICLE_ROWS):
            response = anon_client.get(f"/api/articles/?q=ministers&page_size={size}")
        assert len(response.json()["results"]) == size


def detail_urls(articles):
    article = articles[-1]
    person = article.people.first()
    event = articles[0].events.first()
    relation = factories.BilateralRelationFactory()
    return {
        f"/api/articles/{article.slug}/": ARTICLE_ROWS,
        f"/api/people/{person.slug}/": 2,  # person, positions
        f"/api/countries/{article.countries.first().code.lower()}/": 1,
        f"/api/organizations/{article.organizations.first().slug}/": 1,
        f"/api/topics/{article.topics.first().slug}/": 1,
        f"/api/sources/{article.source.slug}/": 1,
        f"/api/agreements/{article.agreements.first().slug}/": 2,  # + parties
        f"/api/events/{event.slug}/": 4,  # + countries, organizations, participants
        # the relation found by its countries' codes (both joined), then its
        # milestones, events, agreements and articles
        f"/api/relations/{relation.url_codes()}/": 5,
    }


def test_details(anon_client, content, django_assert_num_queries):
    for url, expected in detail_urls(content).items():
        with django_assert_num_queries(expected):
            response = anon_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("page_size", [2, 10])
def test_ranked_search(anon_client, content, django_assert_num_queries, page_size):
    reindex_articles([article.pk for article in content])  # factories skip services
    with django_assert_num_queries(SEARCH_ENGINE + ARTICLE_ROWS):
        response = anon_client.get(f"/api/articles/?q=ministers&page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, len(content))


def test_exports_read_in_chunks(
    anon_client, content, django_assert_num_queries, monkeypatch
):
    from articles.api.views import ArticleExportView

    monkeypatch.setattr(ArticleExportView, "chunk_size", 2)
    chunks = -(-len(content) // 2)
    # one query streams the rows; per chunk, six tag queries for its rows only
    with django_assert_num_queries(1 + chunks * 6):
        response = anon_client.get("/api/articles/export.ndjson")
        lines = b"".join(response.streaming_content).splitlines()
    assert len(lines) == len(content)


def test_calendar_is_one_query(anon_client, content, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = anon_client.get("/api/events.ics")
        body = b"".join(response.streaming_content)
    assert body.count(b"BEGIN:VEVENT") == Event.objects.count() > 0


def test_editor_list_adds_only_authentication(
    editor_client, content, django_assert_num_queries
):
    # token (user joined), the user's permissions, their groups' permissions,
    # then the same count + ARTICLE_ROWS as for everyone
    with django_assert_num_queries(3 + 1 + ARTICLE_ROWS):
        response = editor_client.get("/api/articles/?page_size=2")
    assert response.status_code == 200 and len(response.json()["results"]) == 2
