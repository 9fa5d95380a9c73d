"""The demo: fixtures load into an empty database, are complete, commands work."""

import datetime
import io
import json
import re
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.utils import timezone
from PIL import Image

from articles.demo_images import CREDIT, SIZE
from articles.management.commands.load_demo import demo_fixture_paths
from articles.models import Article, ArticleImage, content_hash
from articles.sanitize import sanitize_html
from articles.services import can_publish
from relations.models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Milestone,
    Person,
    Topic,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TAG_FIELDS = ["people", "countries", "organizations", "events", "agreements", "topics"]


def fixture_rows():
    return [
        row
        for path in demo_fixture_paths()
        for row in json.loads(path.read_text(encoding="utf-8"))
    ]


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    # The data alone; the tests of load_demo itself also draw the pictures.
    call_command("loaddata", *map(str, demo_fixture_paths()), verbosity=0)


@pytest.fixture
def fast_hasher(settings):
    # What is tested is that the printed password is the stored one, not PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_fixture_row_is_in_the_database(demo):
    expected = Counter(row["model"] for row in fixture_rows())
    loaded = {label: apps.get_model(label)._base_manager.count() for label in expected}
    assert loaded == dict(expected)


def test_at_least_twelve_articles_are_public(demo):
    assert Article.objects.published().count() >= 12


def test_the_draft_and_the_scheduled_article_stay_hidden(demo):
    draft = Article.objects.get(status=Article.Status.DRAFT)
    scheduled = Article.objects.get(
        status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    )
    assert scheduled.published_at.year == 2099
    public = Article.objects.published()
    assert not public.filter(pk__in=[draft.pk, scheduled.pk]).exists()


def test_english_and_german_versions_share_one_story(demo):
    german = Article.objects.published().get(language="de")
    assert german.story is not None
    assert german.story.language == "en"
    assert german.story.is_public
    assert german.story_root() == german.story.story_root()
    assert set(german.story.versions.all()) == {german}
    assert set(german.events.all()) == set(german.story.events.all())


def test_every_public_article_has_a_source_and_tags(demo):
    for article in Article.objects.published().select_related("source"):
        assert article.source is not None, article.slug
        assert article.countries.exists(), article.slug
        assert article.topics.exists(), article.slug
        tagged = sum(getattr(article, field).count() for field in TAG_FIELDS)
        assert tagged >= 3, article.slug


def test_public_articles_are_summaries_of_80_to_250_words(demo):
    for article in Article.objects.published():
        words = len(re.sub(r"<[^>]+>", " ", article.body).split())
        assert 80 <= words <= 250, (article.slug, words)
        assert sanitize_html(article.body) == article.body, article.slug


def test_stored_hashes_match_the_text(demo):
    for article in Article.objects.all():
        assert article.content_hash == content_hash(article.title, article.body)
        assert article.version == 1


def test_names_carry_their_other_spellings(demo):
    aliyev = Person.objects.get(aliases__contains="Aliev")
    assert {"Əliyev", "Alijew", "İlham Əliyev"} <= set(aliyev.alias_list())
    assert "Khairallah" in Person.objects.get(slug__contains="khayrullah").aliases
    azerbaijan = Country.objects.get(code="AZ")
    assert {"Aserbaidschan", "Azerbaijani", "Azərbaycan"} <= set(
        azerbaijan.alias_list()
    )
    assert "Irak" in Country.objects.get(code="IQ").alias_list()
    assert "COP29" in Topic.objects.get(slug="climate-cop29").alias_list()


def test_slugs_and_codes_are_explicit_in_the_files():
    for row in fixture_rows():
        fields = row["fields"]
        if "slug" in fields:
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", fields["slug"]), row
        if row["model"] == "relations.country":
            assert fields["code"] == fields["code"].upper()


def test_the_relation_has_its_milestones(demo):
    relation = BilateralRelation.objects.between(
        Country.objects.get(code="IQ"), Country.objects.get(code="AZ")
    ).get()
    assert relation.established_on == datetime.date(1992, 3, 1)
    milestones = list(relation.milestones.all())
    assert len(milestones) >= 10
    established = relation.milestones.get(date=relation.established_on)
    assert established.precision == Milestone.Precision.MONTH
    assert established.date_display() == "March 1992"
    assert {m.precision for m in milestones} == set(Milestone.Precision.values)
    assert all(m.source_article.is_public for m in milestones)


def test_events_have_hosts_among_their_countries_and_participants(demo):
    for event in Event.objects.prefetch_related("countries", "participations"):
        assert event.host_country in event.countries.all(), event.slug
        assert event.participations.exists(), event.slug


def test_agreements_signed_at_an_event_are_dated_within_it(demo):
    for agreement in Agreement.objects.select_related("event"):
        assert agreement.parties.count() >= 2, agreement.slug
        if agreement.event:
            event = agreement.event
            assert event.start_date <= agreement.signed_on
            assert agreement.signed_on <= (event.end_date or event.start_date)


def test_load_demo_draws_every_image_into_media_root(settings):
    expected = [
        row for row in fixture_rows() if row["model"] == "articles.articleimage"
    ]
    assert 3 <= len(expected) <= 5
    assert f"drew {len(expected)} demo image(s)" in load_demo()
    images = list(ArticleImage.objects.all())
    for image in images:
        assert image.credit == CREDIT and image.alt_text and image.caption
        path = settings.MEDIA_ROOT / image.image.name
        assert path.is_file(), path
        with Image.open(path) as picture:
            assert picture.format == "PNG"
            assert picture.size == SIZE == (image.width, image.height)


def test_load_demo_twice_changes_nothing_and_draws_nothing_new():
    load_demo()
    counts = {model: model.objects.count() for model in (Article, Milestone, Person)}
    assert "drew 0 demo image(s)" in load_demo()
    assert counts == {model: model.objects.count() for model in counts}


def test_load_demo_refuses_to_overwrite_other_content():
    other = ArticleFactory(pk=1, slug="an-editors-own-article")
    with pytest.raises(CommandError, match="articles.article #1"):
        load_demo()
    other.refresh_from_db()
    assert other.slug == "an-editors-own-article"
    assert Country.objects.count() == 0
    assert not default_storage.exists("articles/demo")


def copy_fixtures_with(tmp_path, settings, name, text):
    for path in demo_fixture_paths():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"))
    (tmp_path / name).write_text(text)
    settings.FIXTURE_DIRS = [tmp_path]


def test_load_demo_loads_all_files_or_none(settings, tmp_path):
    # A milestone of a relation that does not exist: fails after 01-03 are in.
    orphan = {"relation": 999, "date": "2020-01-01", "title": "Orphan"}
    row = {"model": "relations.milestone", "pk": 999, "fields": orphan}
    copy_fixtures_with(tmp_path, settings, "99_orphan.json", json.dumps([row]))
    with pytest.raises(IntegrityError):
        load_demo()
    assert Country.objects.count() == 0
    assert Article.objects.count() == 0


def test_load_demo_names_a_broken_file(settings, tmp_path):
    copy_fixtures_with(tmp_path, settings, "99_broken.json", '[{"model": "x"')
    with pytest.raises(CommandError, match="99_broken.json is not a fixture file"):
        load_demo()
    assert Country.objects.count() == 0


def demo_passwords():
    out = io.StringIO()
    call_command("create_demo_editors", stdout=out)
    return dict(re.findall(r"username '(\w+)', password '([^']+)'", out.getvalue()))


def test_demo_editors_passwords_authenticate_and_groups_are_right(fast_hasher):
    passwords = demo_passwords()
    assert set(passwords) == {"editor", "chief"}
    editor = authenticate(username="editor", password=passwords["editor"])
    chief = authenticate(username="chief", password=passwords["chief"])
    assert editor is not None and chief is not None
    assert [g.name for g in editor.groups.all()] == ["Editor"]
    assert [g.name for g in chief.groups.all()] == ["Chief editor"]
    assert editor.is_staff and chief.is_staff
    assert not editor.is_superuser and not chief.is_superuser
    assert not can_publish(editor)
    assert can_publish(chief)


def test_demo_editors_run_again_replaces_the_passwords(fast_hasher):
    first = demo_passwords()
    second = demo_passwords()
    assert first["editor"] != second["editor"]
    assert authenticate(username="editor", password=first["editor"]) is None
    assert authenticate(username="editor", password=second["editor"]) is not None
