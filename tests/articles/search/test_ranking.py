"""Relevance: title beats entity names beats lead beats body; sort=date on request."""

import datetime

import pytest
from django.utils import timezone

from articles.search import backends, search_articles
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FILLER = "The delegations met and discussed several questions of mutual interest."


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def crafted(publish):
    # Newest first is the reverse of the expected relevance order.
    secretariat = OrganizationFactory(name="Caspian Secretariat")
    return {
        "body": publish(
            title="Talks in the capital",
            lead=FILLER,
            body=f"<p>{FILLER} A note on the Caspian shelf.</p>",
            published_at=days_ago(1),
        ),
        "lead": publish(
            title="Talks in the region",
            lead=f"{FILLER} The Caspian was mentioned.",
            body=f"<p>{FILLER}</p>",
            published_at=days_ago(2),
        ),
        "names": publish(
            title="Talks at the secretariat",
            lead=FILLER,
            body=f"<p>{FILLER}</p>",
            published_at=days_ago(3),
            tags={"organizations": [secretariat]},
        ),
        "title": publish(
            title="Caspian talks open",
            lead=FILLER,
            body=f"<p>{FILLER}</p>",
            published_at=days_ago(4),
        ),
    }


def test_title_then_names_then_lead_then_body(crafted):
    hits = search_articles("caspian").hits
    expected = [crafted[key] for key in ["title", "names", "lead", "body"]]
    assert [hit.article for hit in hits] == expected


def test_past_the_bound_the_strong_fields_rank_then_the_rest_newest_first(
    crafted, monkeypatch
):
    # 4 matches > 2: the best 2 of the strong fields by rank (the index holds
    # them in the opposite order), then the other matches newest first.
    monkeypatch.setattr(backends, "RANK_CANDIDATES", 2)
    hits = search_articles("caspian").hits
    expected = [crafted[key] for key in ["title", "names", "body", "lead"]]
    assert [hit.article for hit in hits] == expected


def test_sort_by_date_is_newest_first(crafted):
    results = search_articles("caspian", sort="date")
    expected = [crafted[key] for key in ["body", "lead", "names", "title"]]
    assert [hit.article for hit in results.hits] == expected
    assert results.sort == "date"


def test_best_match_survives_the_ranking_bound(publish, monkeypatch):
    # Many newer body-only matches must not push an old title match off page 1.
    monkeypatch.setattr(backends, "RANK_CANDIDATES", 3)
    best = publish(title="Caspian summit", published_at=days_ago(400))
    for day in range(8):
        publish(
            title=f"Bulletin {day}",
            body=f"<p>{FILLER} Caspian.</p>",
            published_at=days_ago(day + 1),
        )
    results = search_articles("caspian", page_size=5)
    assert results.total == 9
    assert results.hits[0].article == best


def test_all_words_must_match(publish):
    both = publish(title="Energy and trade", body="<p>Energy trade talks.</p>")
    publish(title="Energy only", body="<p>Energy talks.</p>")
    assert [hit.article for hit in search_articles("energy trade").hits] == [both]


def test_pages_do_not_overlap(publish):
    for day in range(5):
        publish(title=f"Caspian note {day}", published_at=days_ago(day + 1))
    first = search_articles("caspian", page=1, page_size=2)
    second = search_articles("caspian", page=2, page_size=2)
    third = search_articles("caspian", page=3, page_size=2)
    seen = [hit.article.pk for r in (first, second, third) for hit in r.hits]
    assert len(seen) == len(set(seen)) == 5
    assert first.pages == 3 and first.has_next and not third.has_next
