"""A country pair's timeline: milestones, events, agreements and articles by date.

Each source is read with one query, turned into `Entry` rows and merged in
Python, so the number of queries stays fixed however long the timeline is.
"""

import dataclasses
import datetime
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from articles.models import Article

from .models import Agreement, Event, Milestone

YEAR, MONTH, DAY = Milestone.Precision.YEAR, Milestone.Precision.MONTH, "day"

KINDS = {
    "milestone": "Milestones",
    "event": "Events",
    "agreement": "Agreements",
    "article": "Articles",
}

DATE_FORMATS = {YEAR: "%Y", MONTH: "%B %Y", DAY: "%-d %B %Y"}


@dataclasses.dataclass(frozen=True)
class Entry:
    kind: str
    date: datetime.date
    precision: str
    title: str
    url: str
    detail: str = ""

    @property
    def sort_key(self):
        # A date known only to the year or month comes first within that period:
        # "1992" is shown before "March 1992", which comes before "3 March 1992".
        month = self.date.month if self.precision in (MONTH, DAY) else 0
        day = self.date.day if self.precision == DAY else 0
        return (self.date.year, month, day, list(KINDS).index(self.kind), self.title)

    @property
    def date_display(self):
        return self.date.strftime(DATE_FORMATS[self.precision])

    @property
    def iso_date(self):
        """The machine-readable date at the entry's precision, for <time datetime>."""
        return self.date.isoformat()[: {YEAR: 4, MONTH: 7}.get(self.precision, 10)]

    @property
    def kind_label(self):
        return KINDS[self.kind][:-1]


def milestone_entries(relation, years):
    rows = relation.milestones.all()
    if years:
        rows = rows.filter(date__year__gte=years[0], date__year__lte=years[1])
    return [
        Entry("milestone", m.date, m.precision, m.title, "", m.description)
        for m in rows
    ]


def event_entries(relation, years):
    """Events where both countries took part (as hosts or as countries involved)."""
    a, b = relation.countries()
    rows = Event.objects.filter(_both(a, b, "countries", "host_country"))
    if years:
        rows = rows.filter(
            start_date__year__gte=years[0], start_date__year__lte=years[1]
        )
    return [
        Entry(
            "event",
            e.start_date,
            DAY,
            e.title,
            e.get_absolute_url(),
            ", ".join(filter(None, [e.get_kind_display(), e.city])),
        )
        for e in rows.order_by()
    ]


def _both(a, b, m2m, fk=None):
    """Both countries through the m2m `field` (or the foreign key `fk`), no joins."""
    through = Event if m2m == "countries" else Agreement
    table = through._meta.get_field(m2m).remote_field.through
    owner = through._meta.get_field(m2m).m2m_field_name()

    def involved(country):
        ids = table.objects.filter(country=country).values(owner)
        query = Q(pk__in=ids)
        return query | Q(**{fk: country}) if fk else query

    return involved(a) & involved(b)


def agreement_entries(relation, years):
    """Agreements both countries are parties to; undated drafts are left out."""
    a, b = relation.countries()
    rows = Agreement.objects.filter(_both(a, b, "parties"), signed_on__isnull=False)
    if years:
        rows = rows.filter(signed_on__year__gte=years[0], signed_on__year__lte=years[1])
    return [
        Entry(
            "agreement",
            g.signed_on,
            DAY,
            g.title,
            g.get_absolute_url(),
            g.get_kind_display(),
        )
        for g in rows.order_by()
    ]


def article_entries(relation, years):
    """Public articles tagged with both countries; only the fields a row shows."""
    a, b = relation.countries()
    rows = Article.objects.published().filter(countries=a).filter(countries=b)
    if years:
        rows = rows.filter(
            published_at__year__gte=years[0], published_at__year__lte=years[1]
        )
    return [
        Entry(
            "article",
            timezone.localtime(published).date(),
            DAY,
            title,
            Article(slug=slug).get_absolute_url(),
            language,
        )
        for title, slug, language, published in rows.order_by().values_list(
            "title", "slug", "language", "published_at"
        )
    ]


BUILDERS = {
    "milestone": milestone_entries,
    "event": event_entries,
    "agreement": agreement_entries,
    "article": article_entries,
}


def build_timeline(relation, kinds=None, years=None):
    """Entries of the chosen kinds (default all) within `years` (from, to), by date."""
    entries = []
    for kind in kinds or KINDS:
        entries.extend(BUILDERS[kind](relation, years))
    return sorted(entries, key=lambda entry: entry.sort_key)


def coverage(entries):
    """Counts per (year, kind) for the chart."""
    return Counter((entry.date.year, entry.kind) for entry in entries)
