import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from tests import factories

# Words that appear only in articles the public must never see. Probes search for
# the marker (which a search box may echo back); a leak shows as the second word,
# which no request ever sends.
HIDDEN_MARKERS = {
    "draft": "zqdraftmarker",
    "in_review": "zqreviewmarker",
    "scheduled": "zqschedulemarker",
    "archived": "zqarchivemarker",
}
LEAK_WORDS = {state: f"leakcheck{state.replace('_', '')}" for state in HIDDEN_MARKERS}


def _tag(article, world):
    article.people.add(world["person"])
    article.countries.add(world["az"], world["iq"])
    article.organizations.add(world["organization"])
    article.events.add(world["event"])
    article.agreements.add(world["agreement"])
    article.topics.add(world["topic"])


def build_world():
    """One of every model, all public-facing, plus the hidden articles."""
    az = factories.CountryFactory(name="Azerbaijan", code="AZ")
    iq = factories.CountryFactory(name="Iraq", code="IQ")
    person = factories.PersonFactory(full_name="Fuad Hussein", country=iq)
    organization = factories.OrganizationFactory(name="Ministry of Foreign Affairs")
    event = factories.EventFactory(title="Political consultations", host_country=az)
    relation = factories.BilateralRelationFactory(country_a=az, country_b=iq)
    world = {
        "az": az,
        "iq": iq,
        "person": person,
        "position": factories.PositionFactory(person=person, country=iq),
        "organization": organization,
        "event": event,
        "participation": factories.ParticipationFactory(event=event, person=person),
        "agreement": factories.AgreementFactory(title="Memorandum on consultations"),
        "topic": factories.TopicFactory(name="Energy"),
        "relation": relation,
        "milestone": factories.MilestoneFactory(relation=relation),
        "source": factories.SourceFactory(name="State news agency"),
    }
    world["article"] = factories.PublishedArticleFactory(
        title="Iraq and Azerbaijan hold consultations", source=world["source"]
    )
    world["image"] = factories.ArticleImageFactory(article=world["article"])
    _tag(world["article"], world)
    world["hidden"] = _hidden_articles(world)
    return world


def _hidden_articles(world):
    future = timezone.now() + datetime.timedelta(days=3)
    states = {
        "draft": {"status": Article.Status.DRAFT},
        "in_review": {"status": Article.Status.IN_REVIEW},
        "scheduled": {"status": Article.Status.PUBLISHED, "published_at": future},
        "archived": {
            "status": Article.Status.ARCHIVED,
            "published_at": timezone.now() - datetime.timedelta(days=30),
        },
    }
    hidden = {}
    for state, fields in states.items():
        words = f"{HIDDEN_MARKERS[state]} {LEAK_WORDS[state]}"
        article = factories.ArticleFactory(
            title=f"Consultations {words}",
            lead=f"Iraq Azerbaijan {words}",
            body=f"<p>Fuad Hussein energy {words}</p>",
            source=world["source"],
            **fields,
        )
        _tag(article, world)
        hidden[state] = article
    return hidden


def world_objects(world):
    objects = [v for k, v in world.items() if k != "hidden"]
    return objects + list(world["hidden"].values())


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()


@pytest.fixture(autouse=True)
def _api_read_throttle_out_of_the_way(settings):
    # These tests send hundreds of requests from one address; the API's read
    # throttle would answer 429 and hide what is being tested. Login stays throttled.
    settings.API_THROTTLE_RATES = {
        **settings.API_THROTTLE_RATES,
        "anon": "100000/minute",
        "user": "100000/minute",
    }
