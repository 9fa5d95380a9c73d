"""What an import writes, pinned: articles, tags, links and suggestions of a known
input, compared with a stored record (import_golden.json).

The input is the project's own: the demo articles (fixtures/) turned back into
scraped JSON, a re-scraped copy, a repeat, and the benchmark's generated items
naming the demo people and countries. Any change to extraction, language
detection, near duplicates, slugs or tag suggestions that changes a result shows
here. After a deliberate change, write the record again with
`IMPORT_GOLDEN_WRITE=1 pytest tests/articles/ingest/test_import_golden.py` and
review its diff.
"""

import json
import os
import re
from pathlib import Path

import pytest
import reversion
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from reversion.models import Version

from articles import importing
from articles.importing import articles_import
from articles.ingest import read_path
from articles.models import Article
from articles.tagging import TAG_FIELDS, suggest_for_article
from benchmarks.import_bench import write_items

pytestmark = pytest.mark.django_db

RECORD = Path(__file__).with_name("import_golden.json")
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def demo_items():
    """The demo articles as a scraper would deliver them: plain text, a date, a
    publisher, no language (it is detected)."""
    rows = json.loads((FIXTURES / "02_articles.json").read_text("utf-8"))
    sources = {
        row["pk"]: row["fields"]["name"]
        for row in rows
        if row["model"] == "articles.source"
    }
    items = []
    for row in rows:
        if row["model"] != "articles.article":
            continue
        fields = row["fields"]
        paragraphs = re.findall(r"<p>(.*?)</p>", fields["body"], re.S)
        items.append(
            {
                "title": fields["title"],
                "lead": fields["lead"],
                "text": "\n\n".join(paragraphs),
                "date": (fields["published_at"] or "")[:10],
                "source": sources.get(fields["source"], ""),
            }
        )
    return items


def write_json(folder, name, items):
    path = folder / name
    path.write_text(json.dumps(items, ensure_ascii=False), "utf-8")
    return path


def rescraped(item):
    """The same story fetched again with a few words changed."""
    text = item["text"] + " The report was updated later that day."
    return {**item, "text": text, "lead": item["lead"].replace(".", "!", 1)}


def import_paths(paths, apart, batch_size=500):
    items = [item for path in paths for item in read_path(path)]
    return articles_import(
        items=items, tag=True, batch_size=batch_size, find_names_apart=apart
    )


def run_imports(folder, apart=False):
    """Two imports: demo articles and generated items, then re-scraped, repeated
    and more generated ones (which meet the first import in the database)."""
    demo = demo_items()
    first = [write_json(folder, "demo.json", demo[:12])]
    first += [Path(p) for p in write_items(folder, 30, seed=5)]
    results = import_paths(first, apart)
    second = [write_json(folder, "later.json", demo[12:] + [rescraped(demo[0])])]
    second.append(write_json(folder, "repeat.json", [demo[3], rescraped(demo[1])]))
    second += [Path(p) for p in write_items(folder, 12, seed=6)]
    return results + import_paths(second, apart, batch_size=7)


def entity_label(entity):
    return getattr(entity, "code", "") or entity.slug


def article_record(article, position):
    tags = {
        name: sorted(entity_label(e) for e in getattr(article, name).all())
        for name in TAG_FIELDS.values()
    }
    return {
        "title": article.title,
        "slug": article.slug,
        "language": article.language,
        "content_hash": article.content_hash,
        "lead": article.lead,
        "byline": article.byline,
        "dateline_place": article.dateline_place,
        "published_at": article.published_at and article.published_at.isoformat(),
        "source": str(article.source),
        "story": position.get(article.story_id),
        "possible_duplicate_of": position.get(article.possible_duplicate_of_id),
        **tags,
    }


def suggestions_record(article):
    """Every suggestion for the article's text as if it were new: kinds, labels,
    scores and evidence (the admin's panel shows these)."""
    fresh = Article(
        title=article.title,
        lead=article.lead,
        body=article.body,
        language=article.language,
        published_at=article.published_at,
    )
    return [
        [s.kind, s.label, s.score, s.evidence, s.position]
        for s in suggest_for_article(fresh)
    ]


def record(results):
    position = {r.article.pk: n for n, r in enumerate(results) if r.article}
    articles = Article.objects.select_related("source").order_by("pk")
    return {
        "results": [
            [r.status, re.sub(r"#\d+", "#", r.message), r.suggestions] for r in results
        ],
        "articles": [article_record(a, position) for a in articles],
        "suggestions": [suggestions_record(a) for a in articles],
    }


def assert_versions_as_reversion_stores_them():
    options = reversion.revisions._get_options(Article)
    for article in Article.objects.prefetch_related(*TAG_FIELDS.values()):
        (version,) = Version.objects.get_for_object(article)
        assert version.serialized_data == serializers.serialize(
            options.format, [article], fields=options.fields
        )


def names_found_by_the_finder(monkeypatch):
    """The articles whose names another process found (`_NameFinder`)."""
    found = []
    of = importing._FoundNames.of

    def recording_of(self, article):
        names = of(self, article)
        if names is not None:
            found.append(article.title)
        return names

    monkeypatch.setattr(importing._FoundNames, "of", recording_of)
    return found


# Names found in this process, then in another for every batch: the same record.
@pytest.mark.parametrize("apart", [False, True])
def test_an_import_writes_what_the_record_says(tmp_path, monkeypatch, apart):
    call_command("loaddata", str(FIXTURES / "01_relations.json"), verbosity=0)
    monkeypatch.setattr(importing, "FIND_NAMES_FROM", 1)
    by_finder = names_found_by_the_finder(monkeypatch)
    results = run_imports(tmp_path, apart)
    created = [r for r in results if r.status != "duplicate"]
    assert len(by_finder) == (len(created) if apart else 0)
    found = record(results)
    if os.environ.get("IMPORT_GOLDEN_WRITE"):
        text = json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True)
        RECORD.write_text(text + "\n", "utf-8")
    expected = json.loads(RECORD.read_text("utf-8"))
    assert json.loads(json.dumps(found)) == expected
    statuses = {status for status, _message, _count in found["results"]}
    # The input exercises every outcome and the tagging rules.
    assert statuses == {"created", "duplicate", "near_duplicate"}
    assert any(a["story"] is not None for a in found["articles"])
    assert_versions_as_reversion_stores_them()
