"""A small record of one country pair, built from the seed items' facts.

Azerbaijan and Iraq are only the demo pair: nothing in the portal depends on them.
"""

import datetime

from django.core.files.base import ContentFile

from articles.demo_images import draw_card
from relations.models import Event, Milestone, Participation
from tests.factories import (
    AgreementFactory,
    ArticleFactory,
    ArticleImageFactory,
    BilateralRelationFactory,
    CountryFactory,
    EventFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    PublishedArticleFactory,
    SourceFactory,
    TopicFactory,
)


def at(year, month, day):
    return datetime.datetime(year, month, day, 9, 30, tzinfo=datetime.UTC)


def index(article):
    """Index `article` for search the way the services do, when search is present."""
    try:
        from articles.search import index_article
    except ImportError:  # a tree without the search engine: nothing to index
        return
    index_article(article)


def build():
    s = type("Story", (), {})()
    s.az = CountryFactory(name="Azerbaijan", code="AZ", aliases="Aserbaidschan")
    s.iq = CountryFactory(name="Iraq", code="IQ", aliases="Irak\nIraqi")
    s.pair = BilateralRelationFactory(
        country_a=s.az,
        country_b=s.iq,
        established_on=datetime.date(1992, 3, 1),
        summary="Iraq recognised Azerbaijan's independence early in 1992; "
        "embassies, consultations and a joint commission followed.",
    )
    _milestones(s)
    _people(s)
    _events(s)
    _articles(s)
    return s


def _milestones(s):
    for date, precision, title in [
        ((1979, 1, 1), Milestone.Precision.YEAR, "Baku and Basra become twin cities"),
        ((1992, 1, 2), Milestone.Precision.DAY, "Iraq recognises independence"),
        ((1992, 3, 1), Milestone.Precision.MONTH, "Diplomatic relations established"),
    ]:
        MilestoneFactory(
            relation=s.pair,
            date=datetime.date(*date),
            precision=precision,
            title=title,
        )
    culture = AgreementFactory(
        title="Cooperation agreement of the culture and information ministries",
        signed_on=datetime.date(1994, 10, 21),
        place="Baghdad",
    )
    culture.parties.add(s.az, s.iq)


def _people(s):
    mfa = OrganizationFactory(
        name="Ministry of Foreign Affairs of Azerbaijan", acronym="MFA", country=s.az
    )
    s.bayramov = PersonFactory(
        full_name="Jeyhun Bayramov", country=s.az, aliases="Ceyhun Bayramov"
    )
    PositionFactory(
        person=s.bayramov,
        title="Minister of Education",
        start_date=datetime.date(2018, 4, 21),
        end_date=datetime.date(2020, 7, 15),
    )
    PositionFactory(
        person=s.bayramov,
        title="Minister of Foreign Affairs",
        organization=mfa,
        start_date=datetime.date(2020, 7, 16),
    )
    s.khayrullah = PersonFactory(
        full_name="Nazar al-Khayrullah",
        country=s.iq,
        aliases="Nazar Khairullah\nNazar Isa Abdulhadi al-Khayrullah",
    )
    PositionFactory(person=s.khayrullah, title="Deputy Minister of Foreign Affairs")
    s.rafiyev = PersonFactory(
        full_name="Yalchin Rafiyev", country=s.az, aliases="Yalchin Rafiev"
    )
    PositionFactory(
        person=s.rafiyev, title="Deputy Minister of Foreign Affairs", organization=mfa
    )


def _events(s):
    s.baku_meeting = EventFactory(
        title="Bayramov meets al-Khayrullah in Baku",
        kind=Event.Kind.MEETING,
        start_date=datetime.date(2022, 2, 9),
        city="Baku",
        host_country=s.az,
    )
    s.consultations = EventFactory(
        title="Second round of political consultations",
        kind=Event.Kind.CONSULTATIONS,
        start_date=datetime.date(2025, 4, 20),
        city="Baghdad",
        host_country=s.iq,
    )
    for event, people in [
        (s.baku_meeting, [s.bayramov, s.khayrullah]),
        (s.consultations, [s.rafiyev]),
    ]:
        event.countries.add(s.az, s.iq)
        for person in people:
            ParticipationFactory(
                event=event, person=person, role=Participation.Role.HEAD_OF_DELEGATION
            )


def _articles(s):
    agency = SourceFactory(name="Example News Agency", url="https://news.example.org/")
    reconstruction = TopicFactory(name="Reconstruction")
    climate = TopicFactory(name="Climate and COP29")
    s.meeting_article = _publish(
        title="Iraqi deputy foreign minister meets Bayramov in Baku",
        lead="Iraq offered to share its rebuilding experience as the two "
        "ministers reviewed political dialogue and the joint commission.",
        body="<p>The ministers met in Baku on 9 February.</p>"
        "<p>They discussed reconstruction of formerly occupied areas and the "
        "joint commission's last session.</p>",
        published_at=at(2022, 2, 9),
        source=agency,
        byline="Sabina Mammadli",
        source_url="https://news.example.org/iraq-bayramov",
        tags={
            "people": [s.bayramov, s.khayrullah],
            "countries": [s.az, s.iq],
            "events": [s.baku_meeting],
            "topics": [reconstruction],
        },
    )
    s.consultations_article = _publish(
        title="Azerbaijan and Iraq hold political consultations in Baghdad",
        lead="Deputy Foreign Minister Yalchin Rafiyev led the second round of "
        "talks, covering trade, energy and climate diplomacy.",
        body="<p>The consultations took place in Baghdad on 20 April.</p>",
        published_at=at(2025, 4, 21),
        source=agency,
        source_url="https://news.example.org/baghdad-consultations",
        tags={
            "people": [s.rafiyev],
            "countries": [s.az, s.iq],
            "events": [s.consultations],
            "topics": [climate],
        },
    )
    _publish(
        title="Politische Konsultationen in Bagdad",
        lead="Vizeaußenminister Rafiyev führte die zweite Gesprächsrunde.",
        language="de",
        story=s.consultations_article,
        published_at=at(2025, 4, 22),
        source=agency,
        tags={"people": [s.rafiyev], "countries": [s.az, s.iq]},
    )
    draft = ArticleFactory(title="Unpublished note on Bayramov", status="draft")
    draft.people.add(s.bayramov)
    index(draft)


def _publish(tags, **fields):
    article = PublishedArticleFactory(**fields)
    for field, entities in tags.items():
        getattr(article, field).add(*entities)
    image = ContentFile(draw_card(article.title), name=f"{article.slug}.png")
    ArticleImageFactory(
        article=article,
        image=image,
        alt_text=f"Title card: {article.title}",
        caption="Illustration drawn for the demo",
        credit="Relations News",
    )
    index(article)
    return article
