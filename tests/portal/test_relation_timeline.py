import datetime
import re

import pytest

from relations.models import Milestone
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    EventFactory,
    MilestoneFactory,
    PublishedArticleFactory,
)

pytestmark = pytest.mark.django_db


def titles(response):
    return [entry.title for entry in response.context["entries"]]


def test_either_order_redirects_permanently_to_the_canonical_url(client, world):
    response = client.get("/relations/so-nl/?kind=event&from=2020")
    assert response.status_code == 301
    assert response["Location"] == "/relations/nl-so/?kind=event&from=2020"
    assert client.get("/relations/SO-NL/").status_code == 301
    assert client.get("/relations/nl-so/").status_code == 200


@pytest.mark.parametrize(
    "codes",
    ["nl-zz", "nl-nl", "nl", "nl-so-xx", "not-a-pair-at-all", "%3Cb%3E-x", "n%00-so"],
)
def test_unknown_or_malformed_pairs_are_not_found(client, world, codes):
    assert client.get(f"/relations/{codes}/").status_code == 404


def test_pair_without_relation_is_not_found(client, world):
    CountryFactory(code="XY")
    assert client.get("/relations/nl-xy/").status_code == 404


def test_timeline_merges_all_kinds_by_date(client, world):
    response = client.get(world.relation.get_absolute_url())
    assert titles(response) == [
        "Diplomatic relations established",
        "Memorandum on energy cooperation",
        "Political consultations in Salvia",
        "Deputy ministers hold consultations in Salvia",
    ]
    assert [e.kind for e in response.context["entries"]] == [
        "milestone",
        "agreement",
        "event",
        "article",
    ]
    html = response.content.decode()
    assert '<time class="timeline__date" datetime="1992-03">March 1992</time>' in html
    assert "Two neighbours with a long record of visits." in html


def test_timeline_leaves_out_what_only_one_country_is_part_of(client, world):
    other = CountryFactory()
    one_sided_event = EventFactory(title="Visit without Southia", host_country=other)
    one_sided_event.countries.add(world.north)
    one_sided = AgreementFactory(title="Treaty with a third country")
    one_sided.parties.add(world.north, other)
    PublishedArticleFactory(title="Only Northland").countries.add(world.north)
    shown = titles(client.get(world.relation.get_absolute_url()))
    assert "Visit without Southia" not in shown
    assert "Treaty with a third country" not in shown
    assert "Only Northland" not in shown
    for hidden in world.hidden:
        assert hidden.title not in shown


def test_host_country_counts_as_taking_part(client, world):
    hosted = EventFactory(title="Visit hosted by Southia", host_country=world.south)
    hosted.countries.add(world.north)
    assert "Visit hosted by Southia" in titles(
        client.get(world.relation.get_absolute_url())
    )


def test_precision_orders_year_before_month_before_day(client, world):
    day = EventFactory(title="Day", start_date=datetime.date(2010, 1, 1))
    day.countries.add(world.north, world.south)
    later_day = EventFactory(title="Later day", start_date=datetime.date(2010, 3, 5))
    later_day.countries.add(world.north, world.south)
    for title, precision in (("Month", "month"), ("Year", "year")):
        MilestoneFactory(
            relation=world.relation,
            title=title,
            date=datetime.date(2010, 1, 1),
            precision=precision,
        )
    MilestoneFactory(
        relation=world.relation,
        title="Next year",
        date=datetime.date(2011, 1, 1),
        precision=Milestone.Precision.YEAR,
    )
    response = client.get(world.relation.get_absolute_url(), {"from": 2010, "to": 2011})
    assert titles(response) == ["Year", "Month", "Day", "Later day", "Next year"]
    html = response.content.decode()
    assert 'datetime="2010">2010</time>' in html
    assert 'datetime="2010-01">January 2010</time>' in html
    assert 'datetime="2010-01-01">1 January 2010</time>' in html


def test_filter_by_kind_and_years(client, world):
    url = world.relation.get_absolute_url()
    assert titles(client.get(url, {"kind": "event"})) == [
        "Political consultations in Salvia"
    ]
    both = client.get(url, {"kind": ["agreement", "milestone"]})
    assert titles(both) == [
        "Diplomatic relations established",
        "Memorandum on energy cooperation",
    ]
    assert titles(client.get(url, {"from": 2023, "to": 2023})) == [
        "Memorandum on energy cooperation"
    ]
    # Years given the wrong way round are read as the range they describe.
    assert titles(client.get(url, {"from": 2024, "to": 1990}))[0] == (
        "Diplomatic relations established"
    )
    html = client.get(url, {"kind": "event"}).content.decode()
    assert 'value="event" id="id_kind_1" checked' in html


@pytest.mark.parametrize(
    "params",
    [
        {"from": "abc"},
        {"to": "99999999999999999999"},
        {"kind": "<script>"},
        {"from": "-5"},
        {"page": "999"},
        {"page": "x"},
    ],
)
def test_bad_filters_show_the_whole_timeline_with_a_message(client, world, params):
    response = client.get(world.relation.get_absolute_url(), params)
    assert response.status_code == 200
    assert len(response.context["entries"]) == 4
    html = response.content.decode()
    assert "<script>" not in html
    if "page" not in params:
        assert 'role="alert"' in html


def test_chart_is_inline_svg_with_title_and_description(client, world):
    html = client.get(world.relation.get_absolute_url()).content.decode()
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">' in svg
    assert '<desc id="chart-desc">' in svg
    # One bar per (year, kind) with items: 1992 milestone, 2023 agreement,
    # 2024 event and the article of this year.
    bars = re.findall(r'<rect class="chart__bar chart__bar--(\w+)"', svg)
    assert sorted(bars) == ["agreement", "article", "event", "milestone"]
    assert "<script" not in svg
    assert '<th scope="row">1992</th>' in html


def test_chart_bars_scale_to_the_busiest_year(client, world):
    for _ in range(3):
        PublishedArticleFactory().countries.add(world.north, world.south)
    response = client.get(world.relation.get_absolute_url(), {"kind": "article"})
    chart = response.context["chart"]
    (bar,) = chart["bars"]
    assert bar.count == 4
    assert chart["peak"] == 4
    assert bar.height == pytest.approx(chart["axis_y"] - 12)


def test_empty_filter_result_has_no_chart(client, world):
    response = client.get(world.relation.get_absolute_url(), {"from": 1800, "to": 1801})
    assert response.context["chart"] is None
    assert "Nothing on the timeline for these filters." in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_timeline_query_count_does_not_grow(
    client, world, count, django_assert_num_queries
):
    for _ in range(count):
        PublishedArticleFactory().countries.add(world.north, world.south)
        event = EventFactory(host_country=world.north)
        event.countries.add(world.south)
    # countries by code, relation + both countries, then over the UNION ALL of
    # milestones, events, agreements and articles: count, one page, counts per
    # year and kind for the chart
    with django_assert_num_queries(5):
        response = client.get(world.relation.get_absolute_url())
    assert response.context["entry_count"] == 4 + 2 * count


def test_timeline_pages_continue_in_date_order(client, world):
    for _ in range(100):
        PublishedArticleFactory().countries.add(world.north, world.south)
    url = world.relation.get_absolute_url()
    first = client.get(url).context["entries"]
    second = client.get(url, {"page": 2}).context["entries"]
    assert (len(first), len(second)) == (100, 4)
    assert first[0].title == "Diplomatic relations established"
    dates = [entry.date for entry in [*first, *second]]
    assert dates == sorted(dates)
    assert 'href="?page=2"' in client.get(url).content.decode()
