"""articles_import in batches: the same rows, tags and search entries as one item
at a time; a refused item reported while the others land; queries per batch."""

import gc
import re
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
import reversion
from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles import importing
from articles.importing import articles_import
from articles.ingest import extract_text, read_path
from articles.models import Article
from articles.search.backends import FTS_TABLE
from articles.tagging import (
    article_accept_suggestions,
    name_catalog,
    suggest_for_article,
)
from relations.services import entity_save
from tests.factories import SourceFactory, chief_editor

from .world import SEED_FILES, build_world, seed_path

pytestmark = pytest.mark.django_db

TAGS = ("people", "countries", "organizations", "events", "agreements", "topics")
FIELDS = (
    "title", "slug", "lead", "body", "language", "source_url", "byline",
    "dateline_place", "photo_credit", "published_at", "status", "version",
    "content_hash",
)  # fmt: skip


def seed(key):
    (item,) = read_path(seed_path(key))
    return item


def seeds_and_variants():
    """The five seeds, then one re-scraped with small edits (a near duplicate),
    one seed again (a duplicate) and a new text under a seed's title (a slug that
    is taken)."""
    items = [seed(key) for key in SEED_FILES]
    text = seed_path("consultations_en").read_text(encoding="utf-8")
    text = text.replace("visited Iraq for talks", "travelled to Iraq for talks")
    items.append(extract_text(text, "rescraped.txt"))
    items.append(seed("visit"))
    other = "A different story under the same headline, told in other words."
    items.append(extract_text(f"{items[0].title}\n\n{other}\n\n{other}", "same.txt"))
    return items


def index_row(pk):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT title, names, lead, body FROM {FTS_TABLE} WHERE rowid = %s",
                [pk],
            )
        else:
            cursor.execute(
                "SELECT vector::text FROM articles_searchdoc WHERE article_id = %s",
                [pk],
            )
        return cursor.fetchone()


def snapshot(results, fields=FIELDS, versions=True):
    """What was written, with ids replaced by positions in the import order."""
    position = {r.article.pk: n for n, r in enumerate(results) if r.article}
    rows = []
    for article in Article.objects.order_by("pk"):
        row = {name: getattr(article, name) for name in fields}
        row["source"] = str(article.source)
        row["story"] = position.get(article.story_id)
        row["possible_duplicate_of"] = position.get(article.possible_duplicate_of_id)
        for name in TAGS:
            row[name] = sorted(getattr(article, name).values_list("pk", flat=True))
        row["index"] = index_row(article.pk)
        if versions:
            row["versions"] = Version.objects.get_for_object(article).count()
        rows.append(row)
    outcomes = [
        (
            r.status,
            re.sub(r"#\d+", "#", r.message),
            position.get(r.article.pk if r.article else None),
        )
        for r in results
    ]
    return outcomes, rows


def test_a_batch_writes_what_one_item_at_a_time_writes():
    build_world()
    one_by_one = [
        articles_import(items=[item], tag=True)[0] for item in seeds_and_variants()
    ]
    expected = snapshot(one_by_one)
    Article.objects.all().delete()
    batch = articles_import(items=seeds_and_variants(), tag=True)
    assert snapshot(batch) == expected
    assert [r.suggestions for r in batch] == [r.suggestions for r in one_by_one]
    statuses = [result.status for result in batch]
    assert statuses == ["created"] * 5 + ["near_duplicate", "duplicate", "created"]
    visit, english, german = (result.article for result in batch[:3])
    # Found within the batch: a story, a near duplicate, a duplicate, a slug.
    assert Article.objects.get(pk=german.pk).story_id == english.pk
    assert batch[5].article.possible_duplicate_of_id == english.pk
    assert batch[6].article == visit
    assert batch[7].article.slug == f"{visit.slug}-2"


def test_batch_tags_are_the_suggestions_the_admin_would_accept_one_by_one():
    # The admin's way, one article at a time: import, then accept every
    # suggestion of a known entity, reading events and other articles from the
    # database (which saves the article a second time: its version differs).
    build_world()
    one_by_one = []
    for item in seeds_and_variants():
        (result,) = articles_import(items=[item])
        if result.status != "duplicate":
            found = suggest_for_article(result.article)
            known = [suggestion for suggestion in found if suggestion.entity]
            article_accept_suggestions(article=result.article, suggestions=known)
        one_by_one.append(result)
    fields = [name for name in FIELDS if name != "version"]
    expected = snapshot(one_by_one, fields, versions=False)
    Article.objects.all().delete()
    batch = articles_import(items=seeds_and_variants(), tag=True)
    assert snapshot(batch, fields, versions=False) == expected


def test_small_batches_write_the_same_as_one_batch():
    build_world()
    expected = snapshot(articles_import(items=seeds_and_variants(), tag=True))
    Article.objects.all().delete()
    results = articles_import(items=seeds_and_variants(), tag=True, batch_size=3)
    assert snapshot(results) == expected


def test_a_refused_item_is_reported_and_the_others_land(monkeypatch):
    items = [seed("visit"), seed("consultations_en"), seed("deputy_visit")]
    bad_language = extract_text("Talks in Baku\n\n" + "Some words here. " * 5, "x.txt")
    bad_language.language = "<script>"
    fill = importing._fill_for_save

    def refuse_consultations(article, options):
        fill(article, options)
        if article.lead == items[1].lead:
            article.title = None  # NOT NULL: the database refuses the row

    monkeypatch.setattr(importing, "_fill_for_save", refuse_consultations)
    # Published, so that the articles have index rows to check.
    results = articles_import(
        items=items + [bad_language], tag=True, publish=True, user=chief_editor()
    )
    assert [r.status for r in results] == ["created", "failed", "created", "failed"]
    assert results[1].message.startswith(f"{items[1].name}: the database refused it")
    assert "is not a language code" in results[3].message
    stored = Article.objects.all()
    assert {a.pk for a in stored} == {results[0].article.pk, results[2].article.pk}
    # Nothing of the refused item: its batch was rolled back and retried.
    assert all(index_row(article.pk) for article in stored)
    assert Version.objects.count() == 2


def generated(numbers):
    """Items naming known entities, each in words of its own (no near duplicates)."""
    items = []
    for n in numbers:
        own = " ".join(f"{word}{n}" for word in ("alpha", "beta", "gamma", "delta"))
        lead = f"Azerbaijan and Iraq discussed {own} and {own[::-1]} in Baku."
        body = f"Ilham Aliyev met the delegation about {own}. Iraq sent {own}."
        text = f"Talks on {own}\n\n{lead}\n\n{body}"
        items.append(extract_text(text, f"item-{n}.txt"))
    return items


def queries_to_import(items, batch_size=500):
    with CaptureQueriesContext(connection) as context:
        results = articles_import(
            items=items, tag=True, source_name="Wire", batch_size=batch_size
        )
    assert {result.status for result in results} == {"created"}
    return len(context)


def test_queries_grow_with_batches_not_items():
    build_world()
    SourceFactory(name="Wire")
    name_catalog()  # the catalog is built once per process and entity change
    one = queries_to_import(generated([1]))
    ten = queries_to_import(generated(range(10, 20)))
    two_batches = queries_to_import(generated(range(30, 60)), batch_size=15)
    # Per batch: savepoint; existing hashes; the source; recent articles of the
    # language (near duplicates); taken slugs; the article insert (7 with the
    # release at the end); tagging: entity generation, the latest 500 events
    # of an undated batch + their countries and participants, other-language
    # articles (5); tag rows of people and countries (2); search index in its
    # own savepoint: the articles with the published status (drafts have no
    # index rows, so no tag sets are read), clearing any rows of theirs (both
    # FTS5 tables on SQLite, the search tables in one statement on PostgreSQL)
    # and their facet keys, the release (6 or 5); revision: the revision row,
    # the articles' six tag sets, the version rows (8).
    index = 6 if connection.vendor == "sqlite" else 5
    assert one == ten == 7 + 5 + 2 + index + 8
    assert two_batches == 2 * one


def test_the_imported_version_holds_the_tags_as_reversion_stores_them():
    build_world()
    (result,) = articles_import(items=[seed("consultations_en")], tag=True)
    article = Article.objects.prefetch_related(*TAGS).get(pk=result.article.pk)
    (version,) = Version.objects.get_for_object(article)
    options = reversion.revisions._get_options(Article)
    # What reversion.add_to_revision would have serialised for the same row.
    assert version.serialized_data == serializers.serialize(
        options.format, [article], fields=options.fields
    )
    countries = version.field_dict["countries"]
    assert countries and set(countries) == {c.pk for c in article.countries.all()}


def test_publishing_a_batch_records_each_transition():
    chief = chief_editor()
    results = articles_import(
        items=[seed("visit"), seed("deputy_visit")], user=chief, publish=True
    )
    for result in results:
        article = Article.objects.get(pk=result.article.pk)
        assert article.is_public
        (transition,) = article.transitions.all()
        assert (transition.from_status, transition.to_status, transition.user) == (
            Article.Status.DRAFT,
            Article.Status.PUBLISHED,
            chief,
        )
        (version,) = Version.objects.get_for_object(article)
        assert version.revision.user == chief


def test_the_cycle_collector_is_off_during_a_batch_and_back_after(monkeypatch):
    seen = []
    write = importing._write

    def recording_write(pending, options, names=None):
        seen.append(gc.isenabled())
        write(pending, options, names)

    monkeypatch.setattr(importing, "_write", recording_write)
    assert gc.isenabled()
    articles_import(items=[seed("visit"), seed("consultations_en")], batch_size=1)
    assert seen == [False, False]
    assert gc.isenabled()


def test_the_cycle_collector_comes_back_when_a_batch_raises(monkeypatch):
    def failing_write(pending, options, names=None):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importing, "_write", failing_write)
    with pytest.raises(RuntimeError):
        articles_import(items=[seed("visit")])
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        articles_import(items=[seed("visit")])
        assert not gc.isenabled()
    finally:
        gc.enable()


# ------------------------------------------- names found in another process


def test_names_found_in_another_process_write_what_this_one_writes(monkeypatch):
    build_world()
    expected = snapshot(articles_import(items=seeds_and_variants(), tag=True))
    Article.objects.all().delete()
    monkeypatch.setattr(importing, "FIND_NAMES_FROM", 1)
    started = []
    start = importing._NameFinder.start

    def recording_start(self, articles):
        found = start(self, articles)
        started.append(found)
        return found

    monkeypatch.setattr(importing._NameFinder, "start", recording_start)
    results = articles_import(
        items=seeds_and_variants(), tag=True, batch_size=3, find_names_apart=True
    )
    assert snapshot(results) == expected
    # Three batches, each sent to the finder (a batch of one duplicate too).
    assert len(started) == 3 and None not in started


def fail_to_find_names(texts):
    raise RuntimeError("the finder fell over")


def test_a_finder_that_fails_leaves_the_names_to_this_process(monkeypatch, caplog):
    build_world()
    expected = snapshot(articles_import(items=seeds_and_variants(), tag=True))
    Article.objects.all().delete()
    monkeypatch.setattr(importing, "FIND_NAMES_FROM", 1)
    monkeypatch.setattr(importing, "_find_names", fail_to_find_names)
    results = articles_import(
        items=seeds_and_variants(), tag=True, find_names_apart=True
    )
    assert snapshot(results) == expected
    assert "Finding names in another process failed" in caplog.text
    assert "the finder fell over" in caplog.text


class BrokenPool:
    """A finder whose process has died: it takes no more work."""

    def submit(self, function, *args):
        raise BrokenProcessPool("the finder's process was killed")

    def shutdown(self, **kwargs):
        pass


def test_a_finder_that_died_leaves_the_names_to_this_process(monkeypatch, caplog):
    build_world()
    expected = snapshot(articles_import(items=seeds_and_variants(), tag=True))
    Article.objects.all().delete()
    monkeypatch.setattr(importing, "FIND_NAMES_FROM", 1)
    monkeypatch.setattr(importing, "forked_pool", lambda *args, **kwargs: BrokenPool())
    results = articles_import(
        items=seeds_and_variants(), tag=True, find_names_apart=True
    )
    assert snapshot(results) == expected
    assert "the finder's process was killed" in caplog.text


def test_a_name_added_between_batches_reaches_the_next_batch(monkeypatch):
    world = build_world()
    monkeypatch.setattr(importing, "FIND_NAMES_FROM", 1)
    pools = []
    forked_pool = importing.forked_pool

    def recording_pool(*args, **kwargs):
        pools.append(forked_pool(*args, **kwargs))
        return pools[-1]

    monkeypatch.setattr(importing, "forked_pool", recording_pool)
    import_batch = importing._import_batch

    def batch_then_alias(items, options, finder=None):
        results = import_batch(items, options, finder)
        world["KG"].aliases = "Kyrgyz\nKirgisistan"
        entity_save(entity=world["KG"])
        return results

    monkeypatch.setattr(importing, "_import_batch", batch_then_alias)
    text = "Kirgisistan und Aserbaidschan\n\nKirgisistan sprach mit Aserbaidschan."
    items = [extract_text(text + f" Runde {n}.", f"k{n}.txt") for n in (1, 2)]
    results = articles_import(
        items=items, tag=True, batch_size=1, find_names_apart=True
    )
    first, second = (
        set(result.article.countries.values_list("code", flat=True))
        for result in results
    )
    assert first == {"AZ"}
    assert second == {"AZ", "KG"}
    # The second batch's names were found by a process with the new catalog.
    assert len(pools) == 2


def no_pool(*args, **kwargs):
    raise AssertionError("no process is started")


def test_a_small_import_finds_names_in_this_process(monkeypatch):
    build_world()
    monkeypatch.setattr(importing, "forked_pool", no_pool)
    items = [seed("visit"), seed("deputy_visit")]
    results = articles_import(items=items, tag=True, find_names_apart=True)
    assert [r.status for r in results] == ["created", "created"]
    assert all(r.suggestions for r in results)


def test_names_are_found_apart_only_when_asked(monkeypatch):
    # The admin's upload imports in the web request: it never forks.
    build_world()
    monkeypatch.setattr(importing, "FIND_NAMES_FROM", 1)
    monkeypatch.setattr(importing, "forked_pool", no_pool)
    results = articles_import(items=seeds_and_variants(), tag=True)
    assert {r.status for r in results} == {"created", "near_duplicate", "duplicate"}


class FinishedPool:
    """Runs each task at once, here."""

    def submit(self, function, *args):
        future = Future()
        future.set_result(function(*args))
        return future


def test_names_of_a_changed_text_are_found_again(monkeypatch):
    build_world()
    catalog = name_catalog()
    monkeypatch.setattr(importing, "_catalog", catalog)
    sent = Article(title="Iraq", lead="", body="<p>Baku</p>")
    changed = Article(title="Iraq", lead="", body="<p>Baku</p>")
    found = importing._FoundNames(catalog, FinishedPool())
    found.send([sent, changed])
    changed.title = "Iraq and Azerbaijan"
    assert found.of(sent).by_key.keys() == {("country", catalog_id(catalog, "IQ"))}
    # Not the text that was sent: the caller finds the names itself.
    assert found.of(changed) is None


def catalog_id(catalog, code):
    (pk,) = [e.pk for kind, e in catalog.entities if getattr(e, "code", "") == code]
    return pk
