"""Each seed file's extracted fields and cleaned body."""

import datetime

import pytest

from articles.ingest import read_path

from .world import seed_path


def extract(key):
    (item,) = read_path(seed_path(key))
    return item


def test_essay_with_signature_at_the_end():
    item = extract("visit")
    assert item.title.startswith("The first official visit of the President of Iraq")
    assert item.byline == "Iman Abduyev"
    assert item.lead.startswith("The history of Azerbaijan")
    assert item.language == "en"
    # No full date is given anywhere, so none is invented.
    assert item.published_on is None
    assert item.dateline_place == item.source_name == ""
    assert "political scientist" not in item.body
    assert item.body.count("<p>") == 6


def test_page_with_widgets_credits_and_source_line():
    item = extract("consultations_en")
    assert item.title == ""  # the page has no headline; the import derives one
    assert item.published_on == datetime.date(2025, 4, 21)
    assert item.source_name == "News.Az"
    assert item.photo_credits == ["Azerbaijan's Foreign Ministry"]
    assert item.lead.startswith("On April 20")
    assert "px" not in item.lead + item.body
    assert "Photo" not in item.body
    assert not item.body.rstrip().endswith("News.Az</p>")
    assert item.language == "en"


def test_german_item():
    item = extract("consultations_de")
    assert item.title.startswith("Politische Konsultationen")
    assert item.title.endswith("in Bagdad")
    assert item.language == "de"
    assert item.lead.startswith("Der stellvertretende")
    assert item.byline == item.source_name == item.dateline_place == ""
    assert item.body.count("<p>") == 5


def test_publisher_and_author_bylines():
    item = extract("deputy_visit")
    assert item.source_name == "Azernews"
    assert item.byline == "Sabina Mammadli"
    assert item.title == ""
    assert item.lead.startswith("Iraqi Deputy Foreign Minister")
    assert "By " not in item.body
    # The closing sentence is part of the story, not a source line.
    assert item.body.rstrip().endswith("2021.</p>")


def test_agency_page_with_banner_repeated_title_dateline_and_headline_list():
    item = extract("year_review")
    assert item.title.startswith("Hikmat Hajiyev: Azerbaijan has continued")
    assert item.title.count("Hikmat Hajiyev") == 1
    assert item.dateline_place == "Baku"
    assert item.source_name == "AZERTAC"
    # "December 22" has no year: left for the editor.
    assert item.published_on is None
    assert item.lead.startswith("Azerbaijan has continued its successful")
    assert "State News Agency" not in item.body
    assert "Baku, December 22" not in item.lead + item.body
    body = item.body
    for chrome in ("Share news", "Follow us", "Zhaparov", "Juventus", "®", "Bakcell"):
        assert chrome not in body
    assert body.rstrip().endswith("eternal.”</p>")
    # The list of signed documents stays, as a list.
    assert body.count("<li>") == 7


@pytest.mark.parametrize("key", ["visit", "consultations_en", "year_review"])
def test_body_is_sanitised_html(key):
    body = extract(key).body
    assert body.startswith("<p>") and "<script" not in body
