"""A small world of demo entities for the seed articles, and where the seeds are.

The entities carry the seeds' facts (names, spellings, dates, places) only; the
seed texts themselves are read from the shared folder and never copied here.
"""

import datetime
from pathlib import Path

from django.conf import settings

from relations.models import Event, Organization
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    TopicFactory,
)

SEED_FILES = {
    "visit": "000_7f929bf1e0993769.txt",
    "consultations_en": "001_c4fc1d427e67bd7d.txt",
    "consultations_de": "002_bfa963a9ac67d0d1.txt",
    "deputy_visit": "003_c55c8f1c1d48433b.txt",
    "year_review": "004_6907408dfdc68961.txt",
}


def seeds_dir():
    """The shared seed folder beside the clone, else the machine-wide copy."""
    for candidate in (
        Path(settings.BASE_DIR).parent / "shared" / "seeds",
        Path("/work/shared/seeds"),
    ):
        if (candidate / SEED_FILES["visit"]).is_file():
            return candidate
    raise AssertionError(
        "The seed files are missing: put them in ../shared/seeds beside the clone."
    )


def seed_path(key):
    return seeds_dir() / SEED_FILES[key]


def lines(*names):
    return "\n".join(names)


def build_world():
    """Countries, people, organizations, events, topics and one agreement."""
    w = {}
    w["AZ"] = CountryFactory(
        name="Azerbaijan",
        code="AZ",
        aliases=lines(
            "Azerbaijani", "Azərbaycan", "Aserbaidschan", "aserbaidschanisch"
        ),
    )
    w["IQ"] = CountryFactory(
        name="Iraq", code="IQ", aliases=lines("Iraqi", "Irak", "irakisch")
    )
    w["AM"] = CountryFactory(
        name="Armenia", code="AM", aliases=lines("Armenian", "Armenien", "armenisch")
    )
    w["RU"] = CountryFactory(
        name="Russia", code="RU", aliases=lines("Russian Federation", "Russland")
    )
    w["TR"] = CountryFactory(
        name="Turkey", code="TR", aliases=lines("Türkiye", "Turkish", "Türkei")
    )
    w["KG"] = CountryFactory(name="Kyrgyzstan", code="KG", aliases="Kyrgyz")
    w["ilham"] = PersonFactory(
        full_name="Ilham Aliyev",
        country=w["AZ"],
        aliases=lines("Ilham Aliev", "İlham Əliyev", "Ilham Alijew"),
    )
    w["heydar"] = PersonFactory(
        full_name="Heydar Aliyev", country=w["AZ"], aliases="Heydar Aliev"
    )
    w["bayramov"] = PersonFactory(full_name="Jeyhun Bayramov", country=w["AZ"])
    w["hajiyev"] = PersonFactory(
        full_name="Hikmat Hajiyev", country=w["AZ"], aliases="Hikmet Hadjiyev"
    )
    w["rzayev"] = PersonFactory(full_name="Fariz Rzayev", country=w["AZ"])
    w["khayrullah"] = PersonFactory(
        full_name="Nazar al-Khayrullah",
        country=w["IQ"],
        aliases=lines("Nazar Isa Abdulhadi al-Khayrullah", "Nazar Khairullah"),
    )
    w["rashid"] = PersonFactory(
        full_name="Abdul Latif Rashid",
        country=w["IQ"],
        aliases=lines("Abdullatif Jamal Rashid", "Abdul Latif Jamal Rashid"),
    )
    w["yasiri"] = PersonFactory(full_name="Hiyam Al-Yasiri", country=w["IQ"])
    w["tusk"] = PersonFactory(full_name="Donald Tusk", country=None)
    w["pashinyan"] = PersonFactory(full_name="Nikol Pashinyan", country=w["AM"])
    w["zhaparov"] = PersonFactory(
        full_name="Sadyr Japarov", country=w["KG"], aliases="Sadyr Zhaparov"
    )
    org = Organization.Kind
    w["UN"] = OrganizationFactory(
        name="United Nations", acronym="UN", aliases="Vereinte Nationen"
    )
    w["OIC"] = OrganizationFactory(
        name="Organisation of Islamic Cooperation",
        acronym="OIC",
        aliases="Organization of Islamic Cooperation",
    )
    w["NAM"] = OrganizationFactory(
        name="Non-Aligned Movement",
        acronym="NAM",
        aliases="Bewegung der Blockfreien",
    )
    w["NATO"] = OrganizationFactory(
        name="North Atlantic Treaty Organization", acronym="NATO"
    )
    w["EU"] = OrganizationFactory(name="European Union", acronym="EU")
    w["OSCE"] = OrganizationFactory(
        name="Organization for Security and Co-operation in Europe", acronym="OSCE"
    )
    w["rewaq"] = OrganizationFactory(
        name="Rewaq Baghdad Center for Public Policy", kind=org.THINK_TANK
    )
    w["climate"] = TopicFactory(
        name="Climate", aliases=lines("COP29", "climate change", "Klimawandel")
    )
    w["reconstruction"] = TopicFactory(
        name="Reconstruction",
        aliases=lines(
            "rehabilitation", "restoration", "Rekonstruktion", "Wiederaufbau"
        ),
    )
    w["culture"] = TopicFactory(name="Culture", aliases=lines("cultural", "Kultur"))
    w["caspian"] = AgreementFactory(
        title="Convention on the Legal Status of the Caspian Sea",
        signed_on=datetime.date(2018, 8, 12),
        place="Aktau",
    )
    _events(w)
    return w


def _event(w, title, kind, day, city, host, people):
    event = EventFactory(
        title=title, kind=kind, start_date=day, city=city, host_country=w[host]
    )
    event.countries.set([w["AZ"], w["IQ"]])
    for person in people:
        ParticipationFactory(event=event, person=w[person])
    return event


def _events(w):
    kind = Event.Kind
    w["visit_2023"] = _event(
        w, "Iraqi president in Azerbaijan", kind.OFFICIAL_VISIT,
        datetime.date(2023, 11, 19), "Baku", "AZ", ["ilham", "rashid"],
    )  # fmt: skip
    w["consult_2022"] = _event(
        w, "Political consultations of the foreign ministries, Baku 2022",
        kind.CONSULTATIONS, datetime.date(2022, 2, 9), "Baku", "AZ",
        ["rzayev", "khayrullah"],
    )  # fmt: skip
    w["consult_2025"] = _event(
        w, "Second round of political consultations, Baghdad",
        kind.CONSULTATIONS, datetime.date(2025, 4, 20), "Baghdad", "IQ", [],
    )  # fmt: skip


# What an editor would tag by hand: the subjects of each seed, not every name in it.
EXPECTED_TAGS = {
    "visit": {
        "AZ", "IQ", "ilham", "rashid", "UN", "NAM", "OIC", "visit_2023", "culture",
    },
    "consultations_en": {
        "AZ", "IQ", "yasiri", "UN", "OIC", "NAM", "rewaq", "consult_2025",
        "climate", "reconstruction",
    },
    "consultations_de": {
        "AZ", "IQ", "UN", "rewaq", "consult_2025", "climate", "reconstruction",
    },
    "deputy_visit": {
        "AZ", "IQ", "khayrullah", "bayramov", "rzayev", "consult_2022",
        "reconstruction",
    },
    "year_review": {
        "AZ", "ilham", "hajiyev", "AM", "RU", "TR", "EU", "NATO", "OSCE", "NAM", "UN",
        "tusk", "pashinyan", "caspian",
    },
}  # fmt: skip
