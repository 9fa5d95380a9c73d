"""Tag suggestion rules: whole words, acronyms, shared surnames, spellings, events."""

import datetime

import pytest
from django.utils import timezone

from articles.importing import article_import
from articles.ingest import read_path
from articles.tagging import fold, suggest_for_article
from relations.models import Event
from tests.factories import (
    ArticleFactory,
    CountryFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
)

from .world import build_world, seed_path

pytestmark = pytest.mark.django_db


def labels(article, kind=None):
    return {
        s.label for s in suggest_for_article(article) if kind is None or s.kind == kind
    }


def article(title="", lead="", body="", day=None):
    published = (
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        if day
        else None
    )
    return ArticleFactory(
        title=title, lead=lead, body=f"<p>{body}</p>", published_at=published
    )


def test_folding_joins_spellings_and_scripts():
    assert fold("Əliyev") == fold("Aliyev") == fold("Aliev") == fold("Alijew")
    assert fold("Khayrullah") == fold("Khairullah")
    assert fold("Bagdad") == fold("Baghdad")
    assert fold("Iraq") == fold("Irak")
    assert fold("Rafiyev") == fold("Rafiev")
    assert fold("Baku") != fold("Bako")


def test_no_tag_from_a_word_inside_another_word():
    CountryFactory(name="Oman", code="OM")
    OrganizationFactory(name="United Nations", acronym="UN")
    OrganizationFactory(name="Non-Aligned Movement", acronym="NAM")
    text = "Romania and Vietnam sent a woman to UNESCO; und un nam Womanhood."
    assert labels(article(title=text, lead=text)) == set()


def test_acronyms_are_case_sensitive_whole_words():
    OrganizationFactory(name="United Nations", acronym="UN")
    OrganizationFactory(name="Conference of the Parties 29", acronym="COP29")
    found = labels(article(lead="Talks at the UN before COP29 and the UN-Gipfel."))
    assert found == {"United Nations (UN)", "Conference of the Parties 29 (COP29)"}
    assert labels(article(lead="They met at un cop29 events.")) == set()


def test_a_surname_two_people_share_tags_neither():
    PersonFactory(full_name="Ilham Aliyev")
    PersonFactory(full_name="Heydar Aliyev")
    assert labels(article(lead="President Aliyev received the guests.")) == set()
    assert labels(article(lead="Ilham Aliyev received the guests.")) == {"Ilham Aliyev"}


def test_a_unique_surname_counts_unless_another_first_name_stands_before_it():
    PersonFactory(full_name="Heydar Aliyev")
    assert labels(article(lead="Minister Aliyev spoke.")) == {"Heydar Aliyev"}
    assert labels(article(lead="Ilham Aliyev spoke.")) == set()


def test_spelling_variants_and_diacritics_find_the_person():
    PersonFactory(full_name="Ilham Aliyev", aliases="Ilham Alijew")
    for text in ("İlham Əliyev", "Ilham Aliev", "ILHAM ALIYEV", "Ilham Alijew"):
        assert labels(article(lead=f"{text} met the delegation."), "person") == {
            "Ilham Aliyev"
        }, text


def test_german_forms_of_countries():
    world = build_world()
    found = suggest_for_article(
        article(title="Gespräche zwischen aserbaidschanischen und irakischen Ministern")
    )
    evidence = {s.label: s.evidence for s in found}
    assert evidence[str(world["AZ"])] == ["aserbaidschanischen"]
    assert evidence[str(world["IQ"])] == ["irakischen"]


def test_a_country_named_once_in_passing_is_not_suggested():
    CountryFactory(name="Armenia", code="AM")
    assert labels(article(body="Talks also touched on Armenia.")) == set()
    assert labels(article(body="Armenia this. Armenia that.")) == {"Armenia"}
    assert labels(article(title="Armenia and its neighbours")) == {"Armenia"}


def test_events_need_their_kind_and_two_more_signals():
    az, iq = CountryFactory(name="Azerbaijan"), CountryFactory(name="Iraq")
    event = EventFactory(
        title="Consultations round two",
        kind=Event.Kind.CONSULTATIONS,
        start_date=datetime.date(2025, 4, 20),
        city="Baghdad",
    )
    event.countries.set([az, iq])
    day = datetime.date(2025, 4, 21)
    lead = "Azerbaijan and Iraq held political consultations in Baghdad. Iraq hosted."
    body = "Azerbaijan sent a delegation."
    assert "Consultations round two" in labels(article(lead=lead, body=body, day=day))
    # Too far from the event's date.
    later = datetime.date(2025, 9, 1)
    assert "Consultations round two" not in labels(article(lead=lead, day=later))
    # Kind named, but neither the city nor the countries.
    assert labels(article(lead="Consultations were held.", day=day), "event") == set()


def test_an_undated_article_gets_no_event_when_several_fit():
    az, iq = CountryFactory(name="Azerbaijan"), CountryFactory(name="Iraq")
    for year in (2023, 2024):
        event = EventFactory(
            title=f"Consultations {year}",
            kind=Event.Kind.CONSULTATIONS,
            start_date=datetime.date(year, 5, 1),
            city="Baghdad",
        )
        event.countries.set([az, iq])
    lead = "Azerbaijan and Iraq held consultations in Baghdad. Iraq and Azerbaijan."
    assert labels(article(lead=lead), "event") == set()
    dated = article(lead=lead, day=datetime.date(2024, 5, 2))
    assert labels(dated, "event") == {"Consultations 2024"}


def test_officials_not_yet_known_are_proposed_with_their_position():
    world = build_world()
    (item,) = read_path(seed_path("consultations_en"))
    found = suggest_for_article(article_import(item=item).article)
    new = {s.label: s for s in found if s.kind == "new_person"}
    assert new["Yalchin Rafiyev"].position == "Deputy Foreign Minister"
    assert new["Yalchin Rafiyev"].country == world["AZ"]
    assert new["Jassim Abdulaziz Hamadi"].position == "Deputy Minister of Environment"
    assert new["Jassim Abdulaziz Hamadi"].country == world["IQ"]
    # A known minister is a tag, not a new person.
    assert "Hiyam Al-Yasiri" not in new
    assert "Deputy Foreign Minister Yalchin Rafiyev" in new["Yalchin Rafiyev"].evidence


def test_same_story_in_another_language_is_proposed():
    world = build_world()
    (english,) = read_path(seed_path("consultations_en"))
    english = article_import(item=english).article
    english.countries.set([world["AZ"], world["IQ"]])
    english.events.set([world["consult_2025"]])
    (german,) = read_path(seed_path("consultations_de"))
    german = article_import(item=german).article
    (story,) = [s for s in suggest_for_article(german) if s.kind == "story"]
    assert story.entity == english
    assert str(world["consult_2025"]) in story.evidence
    # Not proposed for an article in the same language.
    (other,) = read_path(seed_path("deputy_visit"))
    other = article_import(item=other).article
    assert not [s for s in suggest_for_article(other) if s.kind == "story"]
