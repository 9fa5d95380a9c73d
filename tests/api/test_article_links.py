"""An article's tags and other-language versions, read for a whole page at once,
come out as the relations themselves would give them."""

import datetime

import pytest
from django.utils import timezone

from articles.api.links import TAG_LINKS
from articles.models import Article
from tests import factories


@pytest.fixture
def story(db):
    """An original with tags whose order needs more than one column or a NULL,
    names outside ASCII, two published translations and a draft one."""
    original = factories.PublishedArticleFactory(language="en")
    day = datetime.date(2024, 5, 1)
    original.events.add(
        factories.EventFactory(title="Zonal talks", start_date=day),
        factories.EventFactory(title="Annual forum", start_date=day),
        factories.EventFactory(title="Later summit", start_date=day.replace(month=9)),
    )
    original.agreements.add(
        factories.AgreementFactory(title="Unsigned plan", signed_on=None),
        factories.AgreementFactory(title="Old memorandum"),
    )
    original.people.add(
        factories.PersonFactory(full_name="Əliyev, İlham"),
        factories.PersonFactory(full_name="Aliyev, Ilham"),
        factories.PersonFactory(full_name="Zarif, Javad"),
    )
    original.countries.add(factories.CountryFactory(name="Iraq"))
    original.organizations.add(
        factories.OrganizationFactory(name="Organization", acronym="OTS")
    )
    original.topics.add(factories.TopicFactory(name="Energy"))
    yesterday = timezone.now() - datetime.timedelta(days=1)
    for language, status in (("de", "published"), ("az", "published"), ("fr", "draft")):
        factories.ArticleFactory(
            story=original, language=language, status=status, published_at=yesterday
        )
    return original


def tag_slugs(article):
    """Each tag relation as the ORM reads it, in the model's own order."""
    return {
        name: [tag.slug for tag in getattr(article, name).all()] for name in TAG_LINKS
    }


def test_tags_keep_their_models_order_in_lists_and_details(anon_client, story):
    expected = tag_slugs(Article.objects.get(pk=story.pk))
    listed = anon_client.get("/api/articles/?language=en").json()["results"][0]
    detail = anon_client.get(f"/api/articles/{story.slug}/").json()
    for data in (listed, detail):
        assert {name: [tag["slug"] for tag in data[name]] for name in TAG_LINKS} == (
            expected
        )
    organization = story.organizations.get()
    assert detail["organizations"][0]["name"] == "Organization (OTS)"
    assert detail["organizations"][0]["url"].endswith(organization.get_absolute_url())
    country = detail["countries"][0]
    assert country["url"].endswith(story.countries.get().get_absolute_url())


def test_every_version_links_the_other_published_ones(anon_client, story):
    data = anon_client.get("/api/articles/?page_size=10").json()["results"]
    others = {item["language"]: item["other_languages"] for item in data}
    assert set(others) == {"en", "de", "az"}  # the draft is nowhere
    for language, links in others.items():
        assert sorted(link["language"] for link in links) == sorted(
            {"en", "de", "az"} - {language}
        )
    original = next(link for link in others["de"] if link["language"] == "en")
    assert original["slug"] == story.slug
    assert original["url"].endswith(story.get_absolute_url())


def test_a_draft_original_is_not_linked(anon_client, story):
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    data = anon_client.get("/api/articles/?page_size=10").json()["results"]
    others = {item["language"]: item["other_languages"] for item in data}
    assert [link["language"] for link in others["de"]] == ["az"]
    assert [link["language"] for link in others["az"]] == ["de"]


def test_a_version_scheduled_for_later_is_not_linked(anon_client, story):
    later = timezone.now() + datetime.timedelta(days=2)
    Article.objects.filter(story=story, language="az").update(published_at=later)
    data = anon_client.get("/api/articles/?page_size=10").json()["results"]
    others = {item["language"]: item["other_languages"] for item in data}
    assert set(others) == {"en", "de"}
    assert [link["language"] for link in others["en"]] == ["de"]
    assert [link["language"] for link in others["de"]] == ["en"]


def test_tags_carry_the_fields_their_links_show(anon_client, story):
    """Every tag kind's id, slug, name and URL, as the models themselves give them."""
    detail = anon_client.get(f"/api/articles/{story.slug}/").json()
    for name in TAG_LINKS:
        expected = [
            (tag.pk, tag.slug, str(tag), tag.get_absolute_url())
            for tag in getattr(Article.objects.get(pk=story.pk), name).all()
        ]
        shown = [
            (tag["id"], tag["slug"], tag["name"], tag["url"].split("testserver")[-1])
            for tag in detail[name]
        ]
        assert shown == expected, name


def test_tags_written_out_equal_drfs_generic_output(rf, story):
    from rest_framework import serializers

    from articles.api.serializers import TagSerializer

    tag_serializer = TagSerializer(context={"request": rf.get("/api/articles/")})
    for name in TAG_LINKS:
        for tag in getattr(story, name).all():
            generic = serializers.Serializer.to_representation(tag_serializer, tag)
            written = tag_serializer.to_representation(tag)
            assert list(written.items()) == list(generic.items()), name
