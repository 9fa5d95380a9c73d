import json
import re

import pytest
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    CountryFactory,
    PersonFactory,
    PublishedArticleFactory,
    TopicFactory,
)

from .conftest import DAY

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_of(response):
    blocks = JSON_LD.findall(response.content)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_article_page_shows_story_tags_source_and_metadata(client, world):
    response = client.get(world.article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<h1 id="story-title">Deputy ministers hold consultations in Salvia</h1>'
        in html
    )
    assert "The talks covered energy and transport." in html
    assert world.article.body in html
    for entity in (world.minister, world.north, world.south, world.event, world.topic):
        assert f'href="{entity.get_absolute_url()}"' in html
    assert 'href="https://news.example.org/consultations"' in html
    assert f'Originally reported by <a href="{world.article.source.url}"' in html
    canonical = f"http://testserver{world.article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert (
        '<meta property="og:title" content="Deputy ministers hold consultations' in html
    )


def test_json_ld_describes_the_article(client, world):
    data = json_ld_of(client.get(world.article.get_absolute_url()))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == world.article.title
    assert data["author"] == {"@type": "Person", "name": "Staff reporter"}
    assert data["isBasedOn"] == "https://news.example.org/consultations"
    assert data["about"] == [{"@type": "Person", "name": "Farid Karimov"}]


@pytest.mark.parametrize(
    "title",
    [
        "Talks end </script><script>alert(1)</script>",
        "Comment <!-- and </SCRIPT > & friends",
    ],
)
def test_json_ld_cannot_be_broken_out_of(client, title):
    article = PublishedArticleFactory(title=title, byline="</script><b>x</b>")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<b>x</b>" not in html
    # The whole head holds exactly one script element: the JSON-LD one.
    assert html.lower().count("<script") == 1
    data = json_ld_of(response)
    assert data["headline"] == title
    assert data["author"]["name"] == "</script><b>x</b>"


def test_body_written_around_the_services_is_still_cleaned(client):
    article = PublishedArticleFactory(
        body='<p onclick="x()">Talks<script>alert(1)</script>'
        '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">link</a></p>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="story__body">')[1].split("</div>")[0]
    assert "<script" not in body and "onerror" not in body
    assert "onclick" not in body and "javascript:" not in body
    assert "Talks" in body and ">link</a>" in body


def test_article_without_source_byline_or_images(client, db):
    article = PublishedArticleFactory(source=None, byline="", source_url="", lead="")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Source not recorded." in response.content.decode()
    data = json_ld_of(response)
    assert "publisher" not in data and "author" not in data and "image" not in data


def test_images_have_alt_text_and_srcset(client, world):
    ArticleImageFactory(article=world.article, alt_text="Delegations at the table")
    html = client.get(world.article.get_absolute_url()).content.decode()
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'alt="Delegations at the table"' in img
    assert re.search(r'srcset="[^"]+ \d+w', img)
    assert 'sizes="' in img
    assert '<meta property="og:image" content="http://testserver/' in html


def test_other_language_versions_link_both_ways(client, world):
    german = PublishedArticleFactory(
        title="Konsultationen in Salvia", language="de", story=world.article
    )
    ArticleFactory(title="Brouillon en français", language="fr", story=world.article)
    english_page = client.get(world.article.get_absolute_url()).content.decode()
    assert f'href="{german.get_absolute_url()}" hreflang="de"' in english_page
    assert "Brouillon en français" not in english_page
    german_page = client.get(german.get_absolute_url()).content.decode()
    assert f'href="{world.article.get_absolute_url()}" hreflang="en"' in german_page
    assert 'lang="de"' in german_page


def test_related_articles_rank_by_shared_entities_then_recency(client, world):
    now = timezone.now()
    one_shared_newer = PublishedArticleFactory(
        title="Newer with one shared tag", published_at=now - DAY / 2
    )
    one_shared_newer.topics.add(world.topic)
    two_shared = PublishedArticleFactory(
        title="Older with two shared tags", published_at=now - 30 * DAY
    )
    two_shared.people.add(world.minister)
    two_shared.events.add(world.event)
    unrelated = PublishedArticleFactory(title="Nothing in common")
    unrelated.people.add(PersonFactory())
    response = client.get(world.article.get_absolute_url())
    related = list(response.context["related"])
    # Hidden articles share the minister and both countries, yet never appear.
    assert related == [two_shared, one_shared_newer]


@pytest.mark.parametrize("index", range(4))
def test_hidden_articles_are_not_found(client, world, index):
    hidden = world.hidden[index]
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_unknown_article_is_not_found(client, db):
    assert client.get("/articles/no-such-story/").status_code == 404


def _article_with_tags(count):
    article = PublishedArticleFactory()
    article.topics.add(*TopicFactory.create_batch(count))
    article.people.add(*PersonFactory.create_batch(count, country=None))
    article.countries.add(*CountryFactory.create_batch(count))
    related = PublishedArticleFactory.create_batch(count)
    for other in related:
        other.topics.add(*article.topics.all()[:1])
    ArticleImageFactory.create_batch(count, article=article)
    return article


@pytest.mark.parametrize("count", [1, 30])
def test_article_page_query_count_does_not_grow_with_tags(
    client, db, count, django_assert_num_queries
):
    article = _article_with_tags(count)
    # 1 article + source, 1 its six kinds of tags (people, countries,
    # organizations, events, agreements, topics), 1 images, 1 other-language
    # versions, 1 related articles + source, 1 related cards' countries and
    # people, 1 country pairs among the tagged countries.
    with django_assert_num_queries(7):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["related"]) == min(count, 5)


def test_cards_and_versions_leave_the_body_unread(client, world):
    """Related coverage, other-language versions and lists show cards, which
    never show a body: it is not read for them (the page's article keeps it)."""
    PublishedArticleFactory(language="de", story=world.article)
    related = PublishedArticleFactory()
    related.people.add(world.minister)
    response = client.get(world.article.get_absolute_url())
    assert response.context["article"].get_deferred_fields() == set()
    shown = [*response.context["related"], *response.context["versions"]]
    assert len(shown) == 2
    assert all(card.get_deferred_fields() == {"body"} for card in shown)
    home = client.get("/")
    assert home.context["articles"]
    assert all(a.get_deferred_fields() == {"body"} for a in home.context["articles"])
