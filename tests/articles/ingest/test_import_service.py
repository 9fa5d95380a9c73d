"""article_import: drafts, idempotence, near-duplicates, publishing, atomicity."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from articles import importing
from articles.importing import article_import
from articles.ingest import extract_text, read_path
from articles.models import Article, Source
from tests.factories import SourceFactory, chief_editor, editor

from .world import seed_path

pytestmark = pytest.mark.django_db


def seed_item(key="consultations_en"):
    (item,) = read_path(seed_path(key))
    return item


def test_creates_a_draft_with_the_extracted_fields():
    result = article_import(item=seed_item(), user=editor())
    article = result.article
    assert result.status == "created"
    assert article.status == Article.Status.DRAFT
    assert not article.is_public
    # No headline on the page: the first sentence stands in, for the editor.
    assert article.title.startswith("On April 20, Azerbaijan")
    assert article.source.name == "News.Az"
    assert article.photo_credit == "Azerbaijan's Foreign Ministry"
    assert article.published_at.date() == datetime.date(2025, 4, 21)
    assert article.language == "en"
    assert article.content_hash == article.compute_content_hash()
    assert article.created_by.groups.filter(name="Editor").exists()


def test_same_item_twice_creates_nothing_new():
    first = article_import(item=seed_item())
    second = article_import(item=seed_item(), source_name="Another Wire")
    assert second.status == "duplicate"
    assert second.article == first.article
    assert Article.objects.count() == 1
    assert Source.objects.count() == 1


def test_rescraped_story_with_small_changes_is_flagged():
    original = article_import(item=seed_item()).article
    text = seed_path("consultations_en").read_text(encoding="utf-8")
    changed = text.replace("visited Iraq for talks", "travelled to Iraq for talks")
    changed = changed.replace("He also highlighted", "The deputy minister also noted")
    result = article_import(item=extract_text(changed, "rescraped.txt"))
    assert result.status == "near_duplicate"
    assert result.article.pk != original.pk
    assert result.article.possible_duplicate_of == original
    assert str(original.pk) in result.message


def test_different_story_is_not_flagged():
    article_import(item=seed_item("consultations_en"))
    result = article_import(item=seed_item("deputy_visit"))
    assert result.status == "created"
    assert result.article.possible_duplicate_of is None


def test_same_story_in_another_language_is_not_a_duplicate():
    article_import(item=seed_item("consultations_en"))
    result = article_import(item=seed_item("consultations_de"))
    assert result.status == "created"
    assert result.article.language == "de"


def test_options_override_what_was_found():
    source = SourceFactory(name="Example Wire")
    result = article_import(item=seed_item(), source_name="example wire", language="az")
    assert result.article.source == source
    assert result.article.language == "az"


@pytest.mark.parametrize("code", ["<script>", "en-" + "abcdefgh-" * 5 + "x1"])
def test_bad_language_code_is_refused_and_nothing_written(code):
    with pytest.raises(ValueError, match="language code"):
        article_import(item=seed_item(), language=code)
    assert Article.objects.count() == Source.objects.count() == 0


def test_publishing_needs_the_permission():
    with pytest.raises(PermissionDenied):
        article_import(item=seed_item(), user=editor(), publish=True)
    assert Article.objects.count() == 0
    article = article_import(
        item=seed_item(), user=chief_editor(), publish=True
    ).article
    assert article.status == Article.Status.PUBLISHED
    assert article.is_public
    assert article.published_at.date() == datetime.date(2025, 4, 21)


def test_failure_after_the_save_leaves_nothing_half_written(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("tagging broke")

    monkeypatch.setattr(importing, "_apply_tags", broken)
    with pytest.raises(RuntimeError):
        article_import(item=seed_item(), tag=True)
    assert Article.objects.count() == Source.objects.count() == 0


def test_hostile_markup_in_a_json_body_is_cleaned(tmp_path):
    path = tmp_path / "evil.json"
    path.write_text(
        '{"title": "<script>x</script>Talks", "body": "<p>Intro text here.</p>'
        '<p><img src=x onerror=alert(1)>Body <a href=\\"javascript:alert(1)\\">'
        'link</a> text.</p>"}'
    )
    (item,) = read_path(path)
    article = article_import(item=item).article
    assert "onerror" not in article.body and "javascript:" not in article.body
    assert "<img" not in article.body
