"""Suggested tags on the five seeds, measured against tags set by hand."""

import pytest

from articles.importing import article_import
from articles.ingest import read_path
from articles.tagging import suggest_for_article

from .world import EXPECTED_TAGS, build_world, seed_path

pytestmark = pytest.mark.django_db

# Precision matters more than recall: a wrong tag misfiles an article.
MIN_PRECISION = 0.9
MIN_RECALL = 0.75


def _imported(key):
    (item,) = read_path(seed_path(key))
    return article_import(item=item).article


def _suggested_keys(world, article):
    names = {entity: name for name, entity in world.items()}
    return {
        names.get(s.entity, f"unexpected {s.kind} {s.label}")
        for s in suggest_for_article(article)
        if s.kind
        in {"person", "country", "organization", "event", "agreement", "topic"}
    }


def measure(world):
    """Per seed (true positives, suggested, expected), and the totals."""
    rows = {}
    for key, expected in EXPECTED_TAGS.items():
        suggested = _suggested_keys(world, _imported(key))
        rows[key] = (suggested & expected, suggested, expected)
    return rows


def test_precision_and_recall_on_the_seeds():
    world = build_world()
    rows = measure(world)
    for key, (hits, suggested, expected) in rows.items():
        print(
            f"{key:18} suggested {len(suggested):2} correct {len(hits):2} "
            f"expected {len(expected):2} wrong {sorted(suggested - expected)} "
            f"missed {sorted(expected - suggested)}"
        )
    hits = sum(len(row[0]) for row in rows.values())
    precision = hits / sum(len(row[1]) for row in rows.values())
    recall = hits / sum(len(row[2]) for row in rows.values())
    print(f"precision {precision:.3f} recall {recall:.3f}")
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL
