"""A deterministic synthetic corpus: entities, then articles in bulk batches.

Same seed, same rows: every random choice comes from one `random.Random(seed)`
consumed in a fixed order. Rows are written with `bulk_create` (articles and the
M2M through tables in batches), which bypasses `article_save`, so the search
index is rebuilt afterwards in bulk through `reindex`.
"""

import bisect
import datetime
import itertools
import random
import time

from django.db import transaction
from django.utils.text import slugify

from articles.models import Article, Source, content_hash
from relations.models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Organization,
    Participation,
    Person,
    Topic,
)

from . import wordlists as words
from .names import person_aliases, surname

# Corpus time span: 30 years ending on a fixed day, so dates do not depend on today.
END = datetime.datetime(2025, 12, 31, 18, 0, tzinfo=datetime.UTC)
SPAN_SECONDS = int(datetime.timedelta(days=365 * 30).total_seconds())
BATCH = 2000
ZIPF_EXPONENT = 1.05

# Share of statuses: mostly published, some drafts and reviews, a few archived.
STATUSES = [
    (Article.Status.PUBLISHED, 0.90),
    (Article.Status.DRAFT, 0.05),
    (Article.Status.IN_REVIEW, 0.03),
    (Article.Status.ARCHIVED, 0.02),
]


def zipf_cum_weights(count, exponent=ZIPF_EXPONENT):
    """Cumulative weights 1/rank^s, ready for `random.choices(cum_weights=...)`."""
    return list(
        itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1))
    )


class ZipfPicker:
    """Draws items of a ranked list with Zipf weights (rank 1 the most likely)."""

    def __init__(self, rng, items):
        self.rng, self.items = rng, items
        self.cum = zipf_cum_weights(len(items))

    def many(self, k):
        return self.rng.choices(self.items, cum_weights=self.cum, k=k)

    def distinct(self, k):
        """Up to `k` different items (bounded tries, so small lists cannot loop)."""
        chosen = dict.fromkeys(self.many(k * 3))
        return list(chosen)[:k]

    def one(self):
        total = self.cum[-1]
        return self.items[bisect.bisect(self.cum, self.rng.random() * total)]


class WordPicker:
    """Zipf draws made cheap: a table where each word fills slots in proportion
    to its weight, so a draw is one uniform pick instead of a bisect."""

    SLOTS = 1 << 20

    def __init__(self, rng, words_by_rank):
        self.rng = rng
        cum = zipf_cum_weights(len(words_by_rank))
        scale, table, previous = self.SLOTS / cum[-1], [], 0
        for word, upto in zip(words_by_rank, cum, strict=True):
            # Every word keeps at least one slot, so the long tail stays in the text.
            slots = max(1, round(upto * scale) - previous)
            table.extend([word] * slots)
            previous += slots
        self.table = table

    def many(self, k):
        return self.rng.choices(self.table, k=k)


def entity_counts(articles):
    """Entities per corpus size (thousands of people at 100k articles)."""
    return {
        "people": max(60, min(4000, articles // 25)),
        "events": max(20, min(3000, articles // 40)),
        "agreements": max(10, min(600, articles // 200)),
        "sources": 24,
    }


def _through_models():
    """Each tag field's through model and its entity column (person_id, ...)."""
    fields = ("people", "countries", "organizations", "events", "agreements", "topics")
    return {
        name: (
            getattr(Article, name).through,
            getattr(Article, name).field.m2m_reverse_field_name() + "_id",
        )
        for name in fields
    }


THROUGH = _through_models()


class CorpusGenerator:
    def __init__(self, *, articles, seed, out=None):
        self.total = articles
        self.rng = random.Random(seed)
        self.out = out or (lambda message: None)
        self.counts = entity_counts(articles)
        self.vocab = {lang: words.vocabulary(lang) for lang in ("en", "de")}
        self.word_pickers = {
            lang: WordPicker(self.rng, vocab) for lang, vocab in self.vocab.items()
        }

    # Entities -------------------------------------------------------------

    def make_entities(self):
        self.countries = Country.objects.bulk_create(
            Country(name=n, code=c, slug=slugify(n), aliases="\n".join(a))
            for n, c, a in words.COUNTRIES
        )
        self.topics = Topic.objects.bulk_create(
            Topic(name=n, slug=slugify(n), aliases="\n".join(a))
            for n, a in words.TOPICS
        )
        self.organizations = Organization.objects.bulk_create(self._organizations())
        self.people = Person.objects.bulk_create(self._people())
        self.sources = Source.objects.bulk_create(self._sources())
        self.events = Event.objects.bulk_create(self._events())
        self._event_links()
        self.agreements = Agreement.objects.bulk_create(self._agreements())
        self._relations()
        self.pickers = {
            name: ZipfPicker(self.rng, getattr(self, name))
            for name in ("countries", "topics", "organizations", "people", "events")
        }
        self.out(
            f"entities: {len(self.countries)} countries, {len(self.people)} people, "
            f"{len(self.organizations)} organizations, {len(self.events)} events, "
            f"{len(self.agreements)} agreements, {len(self.topics)} topics"
        )

    def _organizations(self):
        for name, acronym, aliases in words.INTERGOVERNMENTAL:
            yield Organization(
                name=name,
                acronym=acronym,
                slug=slugify(name),
                kind=Organization.Kind.INTERGOVERNMENTAL,
                aliases="\n".join(aliases),
            )
        for country in self.countries:
            for field, german in words.MINISTRY_FIELDS:
                name = f"Ministry of {field} of {country.name}"
                yield Organization(
                    name=name,
                    slug=slugify(name)[:80],
                    kind=Organization.Kind.MINISTRY,
                    country=country,
                    aliases=f"Ministerium für {german} ({country.name})",
                )

    def _people(self):
        combos = list(
            dict.fromkeys(
                (first, surname(stem, suffix))
                for stem in words.SURNAME_STEMS
                for suffix in words.SURNAME_SUFFIXES
                for first in words.FIRST_NAMES
            )
        )
        chosen = self.rng.sample(combos, self.counts["people"])
        seen = set()
        for index, (first, last) in enumerate(chosen):
            name = f"{first} {last}"
            slug = slugify(name) if name not in seen else f"{slugify(name)}-{index}"
            seen.add(name)
            yield Person(
                full_name=name,
                slug=slug,
                aliases="\n".join(person_aliases(first, last)),
                country=self.rng.choice(self.countries),
            )

    def _sources(self):
        for index in range(self.counts["sources"]):
            adjective = words.SOURCE_ADJECTIVES[index % len(words.SOURCE_ADJECTIVES)]
            noun = words.SOURCE_WORDS[index % len(words.SOURCE_WORDS)]
            name = f"{adjective} {noun} {index + 1}"
            yield Source(
                name=name,
                slug=slugify(name),
                url=f"https://{slugify(name)}.example.org/",
                country=self.rng.choice(self.countries),
                default_language="de" if index % 4 == 3 else "en",
            )

    def _random_day(self):
        return (END - datetime.timedelta(seconds=self._offset())).date()

    def _offset(self):
        return self.rng.randrange(SPAN_SECONDS)

    def _events(self):
        kinds = [kind for kind, _ in Event.Kind.choices]
        for index in range(self.counts["events"]):
            kind = self.rng.choice(kinds)
            host = self.rng.choice(self.countries)
            title = f"{Event.Kind(kind).label} in {host.name} {index + 1}"
            start = self._random_day()
            yield Event(
                title=title,
                slug=slugify(title),
                kind=kind,
                start_date=start,
                end_date=start + datetime.timedelta(days=self.rng.randint(0, 3)),
                city=self.rng.choice(words.CITIES),
                host_country=host,
            )

    def _event_links(self):
        countries, participations = [], []
        for event in self.events:
            for country in self.rng.sample(self.countries, 2):
                countries.append(
                    Event.countries.through(event_id=event.pk, country_id=country.pk)
                )
            for person in self.rng.sample(self.people, 2):
                participations.append(Participation(event=event, person=person))
        Event.countries.through.objects.bulk_create(countries, batch_size=BATCH)
        Participation.objects.bulk_create(participations, batch_size=BATCH)

    def _agreements(self):
        kinds = [kind for kind, _ in Agreement.Kind.choices]
        for index in range(self.counts["agreements"]):
            kind = self.rng.choice(kinds)
            event = self.rng.choice(self.events)
            topic = self.rng.choice(words.TOPICS)[0]
            title = f"{Agreement.Kind(kind).label} on {topic} {index + 1}"
            yield Agreement(
                title=title,
                slug=slugify(title),
                kind=kind,
                signed_on=event.start_date,
                place=event.city,
                event=event,
            )

    def _relations(self):
        # The pairs of the most covered countries get a timeline page.
        top = sorted(self.countries[:12], key=lambda c: c.pk)
        pairs = list(itertools.combinations(top, 2))[:20]
        BilateralRelation.objects.bulk_create(
            BilateralRelation(country_a=a, country_b=b) for a, b in pairs
        )

    # Articles -------------------------------------------------------------

    def make_articles(self):
        """Write all articles in batches; returns the new article ids."""
        ids, started = [], time.monotonic()
        for first in range(0, self.total, BATCH):
            count = min(BATCH, self.total - first)
            with transaction.atomic():
                ids.extend(self._write_batch(first, count))
            rate = len(ids) / max(time.monotonic() - started, 1e-9)
            self.out(f"articles: {len(ids)}/{self.total} ({rate:.0f}/s)")
        return ids

    def _write_batch(self, first, count):
        drafts = [self._article(first + i) for i in range(count)]
        articles = Article.objects.bulk_create([a for a, _ in drafts])
        links = {}
        for article, tags in zip(articles, drafts, strict=True):
            for field, entities in tags[1].items():
                links.setdefault(field, []).extend(
                    self._through(field, article, entity) for entity in entities
                )
        for field, rows in links.items():
            getattr(Article, field).through.objects.bulk_create(rows)
        return [article.pk for article in articles]

    @staticmethod
    def _through(field, article, entity):
        through, target = THROUGH[field]
        return through(article_id=article.pk, **{target: entity.pk})

    def _tags(self):
        pick = self.pickers
        tags = {
            "people": pick["people"].distinct(self.rng.randint(1, 3)),
            "countries": pick["countries"].distinct(self.rng.randint(1, 3)),
            "organizations": pick["organizations"].distinct(self.rng.randint(0, 2)),
            "topics": pick["topics"].distinct(self.rng.randint(1, 2)),
            "events": pick["events"].distinct(1) if self.rng.random() < 0.5 else [],
        }
        if self.rng.random() < 0.1:
            tags["agreements"] = [self.rng.choice(self.agreements)]
        return tags

    def _article(self, index):
        language = "de" if self.rng.random() < 0.3 else "en"
        tags = self._tags()
        title = self._title(language, tags)
        body = self._body(language, tags)
        status = self._status()
        published_at = None
        if status != Article.Status.DRAFT:
            published_at = END - datetime.timedelta(seconds=self._offset())
        source = self.rng.choice(self.sources)
        article = Article(
            title=title,
            slug=f"{slugify(title)[:60]}-{index + 1}",
            lead=self._sentence(language, tags, self.rng.randint(15, 30)),
            body=body,
            language=language,
            source=source,
            source_url=f"{source.url}news/{index + 1}",
            byline=f"{self.rng.choice(words.FIRST_NAMES)} Reporter",
            dateline_place=self.rng.choice(words.CITIES),
            status=status,
            published_at=published_at,
        )
        article.content_hash = content_hash(title, body)
        return article, tags

    def _status(self):
        roll, total = self.rng.random(), 0.0
        for status, share in STATUSES:
            total += share
            if roll < total:
                return status
        return Article.Status.PUBLISHED

    def _title(self, language, tags):
        person = self._spelling(tags["people"][0])
        country = tags["countries"][0].name
        topic_words = " ".join(self.word_pickers[language].many(3))
        joiner = "und" if language == "de" else "and"
        return f"{person} {joiner} {country}: {topic_words}"[:300]

    def _spelling(self, person):
        """Mostly the canonical name; sometimes one of the other spellings."""
        if self.rng.random() < 0.7:
            return person.full_name
        return self.rng.choice(person.alias_list() or [person.full_name])

    def _sentence(self, language, tags, length):
        chosen = self.word_pickers[language].many(length)
        if self.rng.random() < 0.25:
            chosen.insert(self.rng.randrange(length), self._mention(tags))
        text = " ".join(chosen)
        return text[:1].upper() + text[1:] + "."

    def _mention(self, tags):
        kind = self.rng.choice(("people", "countries", "organizations"))
        entities = tags.get(kind) or tags["people"]
        entity = self.rng.choice(entities)
        if isinstance(entity, Person):
            return self._spelling(entity)
        return entity.name

    def _body(self, language, tags):
        target, paragraphs, written = self.rng.randint(300, 900), [], 0
        while written < target:
            sentences = []
            for _ in range(self.rng.randint(3, 6)):
                length = self.rng.randint(8, 22)
                sentences.append(self._sentence(language, tags, length))
                written += length
            paragraphs.append("<p>" + " ".join(sentences) + "</p>")
        return "\n".join(paragraphs)


# Deleted in this order so that nothing protected is still referenced.
CLEAR_ORDER = [
    Article,
    Source,
    BilateralRelation,
    Agreement,
    Participation,
    Event,
    Person,
    Organization,
    Topic,
    Country,
]


@transaction.atomic
def corpus_clear(*, out=None):
    """Delete every article, source and entity (the tables the generator fills)."""
    for model in CLEAR_ORDER:
        deleted, _ = model.objects.all().delete()
        if out:
            out(f"deleted {model._meta.verbose_name_plural}: {deleted} rows")


def corpus_generate(*, articles, seed, out=None):
    """Create the whole corpus; returns (generator, article ids) for reindexing."""
    generator = CorpusGenerator(articles=articles, seed=seed, out=out)
    with transaction.atomic():
        generator.make_entities()
    return generator, generator.make_articles()
