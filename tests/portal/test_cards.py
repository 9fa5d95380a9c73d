"""Article cards and search result cards, written in Python (articles/cards.py)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from articles import cards
from articles.search import Hit
from articles.taglists import CARD_TAGS, load_tags
from tests.factories import (
    CountryFactory,
    PersonFactory,
    PublishedArticleFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


def loaded(article):
    return load_tags([article], CARD_TAGS)[0]


def test_card_escapes_every_text_it_shows():
    article = PublishedArticleFactory(
        title=HOSTILE, lead=HOSTILE, source=SourceFactory(name=HOSTILE)
    )
    article.people.add(PersonFactory(full_name=HOSTILE))
    article.countries.add(CountryFactory(name=HOSTILE))
    html = cards.article_card(loaded(article))
    assert "<script>" not in html
    # Title, lead, source, person and country: five escaped copies.
    assert html.count(ESCAPED) == 5
    assert isinstance(html, SafeString)


def test_search_hit_keeps_the_marked_html_and_escapes_the_rest():
    article = PublishedArticleFactory(source=SourceFactory(name=HOSTILE))
    article.countries.add(CountryFactory(name=HOSTILE))
    hit = Hit(
        article=loaded(article),
        title_html=mark_safe("Talks on <mark>energy</mark>"),
        snippet_html=mark_safe("… the <mark>energy</mark> route …"),
    )
    html = cards.search_hit(hit)
    url = article.get_absolute_url()
    assert f'<h3><a href="{url}">Talks on <mark>energy</mark></a></h3>' in html
    assert '<p class="snippet">… the <mark>energy</mark> route …</p>' in html
    assert "<script>" not in html
    assert html.count(ESCAPED) == 2


def test_card_date_matches_the_template_filters_in_the_reader_time_zone_and_language():
    published = datetime.datetime(2024, 2, 29, 23, 30, tzinfo=datetime.UTC)
    article = PublishedArticleFactory(published_at=published)
    template = Template(
        "<time datetime=\"{{ d|date:'c' }}\">{{ d|date:'j F Y' }}</time>"
    )
    with timezone.override("Asia/Baku"), translation.override("de"):
        expected = template.render(Context({"d": article.published_at}))
        html = cards.article_card(loaded(article))
    # Baku is four hours ahead: the next day, in March, named in German.
    assert expected == '<time datetime="2024-03-01T03:30:00+04:00">1 März 2024</time>'
    assert expected in html


def test_card_shows_every_country_and_the_first_four_people_in_name_order():
    article = PublishedArticleFactory()
    names = ["Ana Vale", "Bo Lin", "Cem Ak", "Dan Oru", "Eli Sen"]
    article.people.add(*[PersonFactory(full_name=name) for name in reversed(names)])
    article.countries.add(CountryFactory(name="Zeta"), CountryFactory(name="Alpha"))
    html = cards.article_card(loaded(article))
    shown = [name for name in names if name in html]
    assert shown == names[:4]
    assert html.index("Alpha") < html.index("Zeta") < html.index("Ana Vale")


def test_card_without_source_date_lead_or_tags_leaves_their_elements_out():
    article = PublishedArticleFactory(source=None, lead="")
    article.published_at = None
    html = cards.article_card(loaded(article), featured=True, heading_level=2)
    assert html.startswith('<article class="card card--featured"')
    assert '<h2 class="card__title">' in html
    for absent in ("<time", "card__lead", "tags"):
        assert absent not in html
    # Only the separator before the language remains.
    assert html.count("meta__sep") == 1


def test_long_lead_is_cut_to_forty_words():
    article = PublishedArticleFactory(lead=" ".join(f"w{n}" for n in range(60)))
    html = cards.article_card(loaded(article))
    assert "w39 …</p>" in html and "w40" not in html


def test_facet_lists_escape_labels_and_links_and_mark_the_active_value():
    groups = [
        {
            "label": "People",
            "links": [
                {
                    "label": HOSTILE,
                    "count": 3,
                    "url": '?q=a&person=x"y',
                    "active": False,
                },
                {"label": "Ana Vale", "count": 1, "url": "?q=a", "active": True},
            ],
        }
    ]
    html = cards.search_facets(groups, "/search/", partial=True, scope=1000)
    assert "<script>" not in html and ESCAPED in html
    assert 'href="/search/?q=a&amp;person=x&quot;y">' in html
    assert (
        '<a href="/search/?q=a" aria-current="true" class="active">Ana Vale</a> '
        '<span class="count">(1)</span> '
        '<span class="visually-hidden">(selected; follow to remove)</span>'
    ) in html
    assert "Counts cover the first 1000 matches." in html
    assert html.count("aria-current") == 1


def test_no_facet_groups_no_navigation():
    assert cards.search_facets([], "/search/") == ""
    html = cards.search_facets(
        [
            {
                "label": "Language",
                "links": [{"label": "EN", "count": 2, "url": "?l=en", "active": False}],
            }
        ],
        "/search/",
    )
    assert "facet-note" not in html and "(2)" in html
