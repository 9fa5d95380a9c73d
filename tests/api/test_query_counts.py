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
    return articles


# Article queries: the page's rows (source and story joined), then one each for
# people, countries, organizations, events, agreements, topics, images, the
# article's own translations and its original's translations.
ARTICLE_ROWS = 1 + 6 + 1 + 2

LISTS = {
    # count + ARTICLE_ROWS
    "/api/articles/": 1 + ARTICLE_ROWS,
    "/api/articles/?ordering=title&language=en": 1 + ARTICLE_ROWS,
    # count, people, their positions (organization joined)
    "/api/people/": 3,
    # count, rows
    "/api/countries/": 2,
    "/api/organizations/": 2,
    "/api/topics/": 2,
    "/api/sources/": 2,
    "/api/relations/": 2,
    # count, events, countries, organizations, participations (person joined)
    "/api/events/": 5,
    # count, agreements, parties
    "/api/agreements/": 3,
}


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page_size", [2, 10])
def test_lists(anon_client, content, django_assert_num_queries, url, page_size):
    separator = "&" if "?" in url else "?"
    with django_assert_num_queries(LISTS[url]):
        response = anon_client.get(f"{url}{separator}page_size={page_size}")
    assert response.status_code == 200
    assert 0 < len(response.json()["results"]) <= page_size


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
        # codes -> ids, relation, then milestones, events, agreements, articles
        f"/api/relations/{relation.url_codes()}/": 6,
    }


def test_details(anon_client, content, django_assert_num_queries):
    for url, expected in detail_urls(content).items():
        with django_assert_num_queries(expected):
            response = anon_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("page_size", [2, 10])
def test_ranked_search(anon_client, content, django_assert_num_queries, page_size):
    reindex_articles([article.pk for article in content])  # factories skip services
    # engine: total, ranked ids of the page, one grouped count per facet (8);
    # the page's articles are read once, with ARTICLE_ROWS, from the queryset
    # the API hands the engine
    with django_assert_num_queries(2 + 8 + ARTICLE_ROWS):
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
        response = editor_client.get("/api/articles/?page_size=5")
    assert response.status_code == 200
