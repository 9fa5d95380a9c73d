import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import views as sitemap_views
from django.test import RequestFactory

from articles.sitemaps import SITEMAPS
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def rss_titles(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


FEEDS = [
    "/feeds/latest/",
    "/feeds/people/farid-karimov/",
    "/feeds/countries/nl/",
    "/feeds/countries/SO/",
    "/feeds/relations/nl-so/",
    "/feeds/relations/so-nl/",
    "/feeds/topics/energy/",
]


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_list_public_articles_only(client, world, url):
    # The hidden articles are tagged with the minister and both countries too.
    world.article.topics.add(world.topic)
    for hidden in world.hidden:
        hidden.topics.add(world.topic)
    assert rss_titles(client.get(url)) == [world.article.title]
    assert atom_titles(client.get(f"{url}atom/")) == [world.article.title]


def test_relation_feed_needs_both_countries(client, world):
    PublishedArticleFactory(title="Only Northland").countries.add(world.north)
    assert "Only Northland" in rss_titles(client.get("/feeds/countries/nl/"))
    assert "Only Northland" not in rss_titles(client.get("/feeds/relations/nl-so/"))


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/people/nobody/",
        "/feeds/countries/zz/",
        "/feeds/relations/nl-zz/",
        "/feeds/relations/garbage/",
        "/feeds/countries/n%00/",
        "/feeds/relations/n%00-so/atom/",
        "/feeds/topics/none/atom/",
    ],
)
def test_feeds_of_unknown_entities_are_not_found(client, world, url):
    assert client.get(url).status_code == 404


def test_feed_escapes_markup_in_titles(client, db):
    PublishedArticleFactory(title="<script>alert(1)</script> talks")
    response = client.get("/feeds/latest/")
    assert b"<script>" not in response.content
    assert rss_titles(response) == ["<script>alert(1)</script> talks"]


@pytest.mark.parametrize("count", [1, 30])
def test_feed_query_count_does_not_grow(
    client, world, count, django_assert_num_queries
):
    for article in PublishedArticleFactory.create_batch(count):
        article.people.add(world.minister)
    # person, articles + source
    with django_assert_num_queries(2):
        client.get("/feeds/people/farid-karimov/")
    # articles + source
    with django_assert_num_queries(1):
        client.get("/feeds/latest/atom/")


def sitemap_locations(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_index_lists_every_section(client, world):
    sections = sitemap_locations(client.get("/sitemap.xml"))
    assert "http://testserver/sitemap-articles.xml" in sections
    assert "http://testserver/sitemap-relations.xml" in sections


def test_sitemap_lists_public_articles_and_entities_only(client, world):
    urls = []
    for section in sitemap_locations(client.get("/sitemap.xml")):
        urls += sitemap_locations(client.get(section.removeprefix("http://testserver")))
    assert f"http://testserver{world.article.get_absolute_url()}" in urls
    for hidden in world.hidden:
        assert f"http://testserver{hidden.get_absolute_url()}" not in urls
    for entity in (world.minister, world.north, world.event, world.relation):
        assert f"http://testserver{entity.get_absolute_url()}" in urls


@pytest.mark.parametrize("count", [1, 30])
def test_sitemap_index_query_count_does_not_grow(
    client, db, count, django_assert_num_queries
):
    PublishedArticleFactory.create_batch(count)
    # one UNION: size and newest change of articles, people, countries,
    # organizations, events, agreements, topics and pairs
    with django_assert_num_queries(1):
        client.get("/sitemap.xml")


def test_sitemap_index_is_the_one_django_would_build(client, world, monkeypatch):
    for sitemap in SITEMAPS.values():
        monkeypatch.setattr(sitemap, "limit", 2)  # several pages per section
    PublishedArticleFactory.create_batch(4)
    request = RequestFactory().get("/sitemap.xml")
    expected = sitemap_views.index(
        request, SITEMAPS, sitemap_url_name="sitemap-section"
    ).render()
    response = client.get("/sitemap.xml")
    assert response.content == expected.content
    locations = sitemap_locations(response)
    assert "http://testserver/sitemap-articles.xml?p=3" in locations
    assert "http://testserver/sitemap-articles.xml?p=4" not in locations


def test_robots_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
