"""A country pair's timeline: milestones, events, agreements and articles by date.

The four sources are merged, ordered and paged by the database in one UNION ALL
query, so a pair with many thousands of articles costs the same few queries and
only the rows of the page shown ever reach Python.
"""

import dataclasses
import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse

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

# Columns every source yields, in this order, so their rows can be unioned
# (prefixed: annotations may not reuse the models' own field names).
NAMES = ("kind", "day", "precision", "rank", "title", "slug", "code", "place")
COLUMNS = tuple(f"entry_{name}" for name in NAMES)


@dataclasses.dataclass(frozen=True)
class Entry:
    kind: str
    date: datetime.date
    precision: str
    title: str
    url: str
    detail: str = ""

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

    @classmethod
    def from_row(cls, row):
        row = {name: row[f"entry_{name}"] for name in NAMES}
        kind = row["kind"]
        return cls(
            kind=kind,
            date=row["day"],
            precision=row["precision"],
            title=row["title"],
            url=reverse(URL_NAMES[kind], args=[row["slug"]]) if row["slug"] else "",
            detail=DETAILS[kind](row),
        )


class Year(Func):
    """The year of a date, in the engine's own functions.

    Django's ExtractYear calls a Python function per row on SQLite, which is
    what a timeline of thousands of articles spends its time on.
    """

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps dates as ISO text: the year is the first four characters.
        template = "CAST(substr(%(expressions)s, 1, 4) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(self, compiler, connection, template=None, **extra):
        template = template or "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"
        return super().as_sql(compiler, connection, template=template, **extra)


URL_NAMES = {
    "event": "relations:event",
    "agreement": "relations:agreement",
    "article": "articles:detail",
}

DETAILS = {
    "milestone": lambda row: row["place"],
    "event": lambda row: ", ".join(
        filter(None, [Event.Kind(row["code"]).label, row["place"]])
    ),
    "agreement": lambda row: Agreement.Kind(row["code"]).label,
    "article": lambda row: row["code"],
}


def _columns(queryset, kind, **columns):
    """`queryset` as rows of COLUMNS; `columns` maps column names to expressions."""
    text = {"output_field": CharField()}
    defaults = {
        "kind": Value(kind, **text),
        "precision": Value(DAY, **text),
        "rank": Value(2),
        "title": F("title"),
        "slug": F("slug"),
        "code": Value("", **text),
        "place": Value("", **text),
    }
    defaults.update(columns)
    expressions = {f"entry_{name}": defaults[name] for name in NAMES}
    return queryset.order_by().annotate(**expressions).values(*COLUMNS)


def _both(model, m2m, a, b, fk=None):
    """Rows of `model` linked to both countries through `m2m` (or the key `fk`)."""
    field = model._meta.get_field(m2m)
    table, owner = field.remote_field.through, field.m2m_field_name()

    def involved(country):
        query = Q(pk__in=table.objects.filter(country=country).values(owner))
        return query | Q(**{fk: country}) if fk else query

    return model.objects.filter(involved(a) & involved(b))


def milestone_rows(relation, a, b):
    # Within one period the less precise date comes first: 1992, March 1992,
    # 2 March 1992 (a month or year is stored as its first day).
    rank = Case(
        When(precision=YEAR, then=Value(0)),
        When(precision=MONTH, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return _columns(
        Milestone.objects.filter(relation=relation),
        "milestone",
        day=F("date"),
        precision=F("precision"),
        rank=rank,
        slug=Value("", output_field=CharField()),
        place=F("description"),
    ), "date"


def event_rows(relation, a, b):
    """Events where both countries took part (as hosts or as countries involved)."""
    events = _both(Event, "countries", a, b, fk="host_country")
    return _columns(
        events, "event", day=F("start_date"), code=F("kind"), place=F("city")
    ), "start_date"


def agreement_rows(relation, a, b):
    """Agreements both countries are parties to; undated drafts are left out."""
    agreements = _both(Agreement, "parties", a, b).filter(signed_on__isnull=False)
    return _columns(
        agreements, "agreement", day=F("signed_on"), code=F("kind")
    ), "signed_on"


def article_rows(relation, a, b):
    """Public articles tagged with both countries."""
    articles = Article.objects.published().filter(countries=a).filter(countries=b)
    return _columns(
        articles, "article", day=Cast("published_at", DateField()), code=F("language")
    ), "published_at"


SOURCES = {
    "milestone": milestone_rows,
    "event": event_rows,
    "agreement": agreement_rows,
    "article": article_rows,
}


def _sources(relation, kinds, years):
    """One row queryset per chosen kind, limited to `years` (first, last)."""
    a, b = relation.countries()
    for kind in kinds or KINDS:
        rows, date_field = SOURCES[kind](relation, a, b)
        if years:
            rows = rows.filter(
                **{
                    f"{date_field}__year__gte": years[0],
                    f"{date_field}__year__lte": years[1],
                }
            )
        yield kind, rows


class Timeline:
    """The entries of a pair, chosen kinds (default all) within `years`, by date.

    `entries` is a lazy query: slice it (a Paginator does) to read one page.
    """

    def __init__(self, relation, kinds=None, years=None):
        sources = [rows for _, rows in _sources(relation, kinds, years)]
        self.relation, self.kinds, self.years = relation, kinds, years
        # Same day: the less precise date first, then by kind and title.
        self.rows = (
            sources[0]
            .union(*sources[1:], all=True)
            .order_by("entry_day", "entry_rank", "entry_kind", "entry_title")
        )

    def count(self):
        return self.rows.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        rows = self.rows[index]
        if isinstance(index, slice):
            return [Entry.from_row(row) for row in rows]
        return Entry.from_row(rows)

    def coverage(self):
        """Counts per (year, kind) for the chart, from one grouped query."""
        grouped = [
            rows.annotate(year=Year("entry_day"))
            .values("entry_kind", "year")
            .annotate(n=Count("*"))
            for _, rows in _sources(self.relation, self.kinds, self.years)
        ]
        counted = grouped[0].union(*grouped[1:], all=True)
        return {(row["year"], row["entry_kind"]): row["n"] for row in counted}
