"""A reader's path through the portal, at a desktop and a phone viewport.

Screenshots of every step go to test-artifacts/ for a look by eye.
"""

import re

import pytest

from . import story

pytestmark = [
    pytest.mark.browser,
    # Serialized: a plain transactional flush would leave content types and
    # permissions with new ids, which the next serialized test cannot restore over.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_fits_viewport(page):
    # Nothing may force sideways scrolling on a phone.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_search_suggestion_article_person_and_pair_timeline(
    live_server, new_page, shoot
):
    s = story.build()
    page = new_page()
    page.goto(f"{live_server.url}/")
    search_box = page.get_by_label("Search news, people and countries")
    search_box.fill("Bayramof")
    search_box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Bayramof"))
    shoot(page, "1-misspelt-search")
    suggestion = page.locator("p:has-text('Did you mean') a")
    assert suggestion.inner_text() == "Bayramov"
    suggestion.click()
    page.wait_for_url(re.compile(r"/search/\?q=Bayramov"))
    shoot(page, "2-suggested-search")
    page.get_by_role("link", name=s.meeting_article.title).first.click()
    article_person_timeline(page, shoot, s.meeting_article, s.bayramov)


def test_home_article_person_and_pair_timeline_without_javascript(
    live_server, new_page, shoot
):
    s = story.build()
    page = new_page(javascript=False)
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Latest news").is_visible()
    assert "Unpublished note" not in page.content()
    assert_fits_viewport(page)
    shoot(page, "0-home")
    page.get_by_role("link", name=s.consultations_article.title).first.click()
    article_person_timeline(page, shoot, s.consultations_article, s.rafiyev)
    # The timeline filter is a plain GET form.
    page.get_by_label("Events").check()
    page.get_by_label("From year").fill("2020")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"kind=event"))
    titles = page.locator(".timeline__item .timeline__title").all_inner_texts()
    assert titles == [s.baku_meeting.title, s.consultations.title]
    shoot(page, "6-timeline-filtered")


def test_skip_link_is_the_first_stop_and_visible(live_server, new_page):
    story.build()
    page = new_page()
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("link => link === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def article_person_timeline(page, shoot, article, person):
    page.wait_for_url(re.compile(re.escape(article.get_absolute_url())))
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    image = page.locator(".story__figure img").first
    assert image.get_attribute("alt") == f"Title card: {article.title}"
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("link", name="Read the original article").is_visible()
    assert_fits_viewport(page)
    shoot(page, "3-article")

    page.locator(".tag-groups").get_by_role("link", name=person.full_name).click()
    page.wait_for_url(re.compile(re.escape(person.get_absolute_url())))
    assert page.get_by_role("heading", level=1).inner_text() == person.full_name
    assert page.get_by_role("link", name=article.title).first.is_visible()
    assert_fits_viewport(page)
    shoot(page, "4-person")

    page.get_by_role("link", name="Azerbaijan – Iraq").first.click()
    page.wait_for_url(re.compile(r"/relations/az-iq/$"))
    dates = page.locator(".timeline__date").all_inner_texts()
    assert dates[:4] == ["1979", "2 January 1992", "March 1992", "21 October 1994"]
    chart = page.locator("svg.chart__svg")
    assert chart.is_visible()
    assert chart.locator("rect").count() >= 5
    assert_fits_viewport(page)
    shoot(page, "5-timeline")
