"""Suggested tags: which known people, countries, organizations, events, agreements
and topics an article is about, each with the words that show it.

Precision comes first (a wrong tag puts an article on the wrong official's page):
names match as whole words only, acronyms case-sensitively, a bare surname only
when no other known person shares it, and a country or topic named once in
passing in the body is not enough.
"""

import bisect
import datetime
import functools
import html
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Prefetch, Q, Value

from relations.models import (
    Agreement,
    Country,
    Event,
    Organization,
    Person,
    Position,
    Topic,
)
from relations.services import entity_save
from relations.slugs import slug_base, transliterate

from . import services
from .models import Article

MAX_TEXT = 200_000
ZONE_WEIGHT = {"title": 3, "lead": 2, "body": 1}
# Countries and topics need more than one passing mention in the body.
MIN_SCORE = {"country": 2, "topic": 2}
TAG_FIELDS = {
    "person": "people",
    "country": "countries",
    "organization": "organizations",
    "event": "events",
    "agreement": "agreements",
    "topic": "topics",
}
# Letters the generic transliteration gets wrong for Azerbaijani names: Ə is "a"
# in the usual English spelling (Əliyev -> Aliyev).
NAME_LETTERS = str.maketrans({"Ə": "A", "ə": "a"})
# Spelling variants of one sound across transliterations (Hadjiyev/Hajiyev,
# Khairullah/Khayrullah, Alijew/Aliyev, Bagdad/Baghdad, Iraq/Irak).
VARIANTS = [
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("z", "s"),
    ("y", "i"),
    ("j", "i"),
    ("ou", "u"),
]
# Inflections allowed on the last word of a name (German cases, English plural).
SUFFIXES = {"", "s", "e", "en", "er", "es", "em", "n", "ns", "ern"}
KIND_LABELS = {"new_person": "new person", "story": "same story"}
ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9]{1,7}")
WORD_RE = re.compile(r"\w+")
# Words that may precede a surname without naming another person.
HONORIFICS = {
    "president", "minister", "mr", "mrs", "ms", "dr", "prime", "foreign",
    "deputy", "ambassador", "counterpart", "chairman", "speaker", "herr", "frau",
    "prasident", "aussenminister", "the", "said", "by", "and", "with",
}  # fmt: skip


@functools.lru_cache(maxsize=50_000)
def fold(text):
    """ASCII, lower-case, one spelling per sound; short words are left exact."""
    word = transliterate(text.translate(NAME_LETTERS)).casefold()
    word = re.sub(r"[^a-z0-9]", "", word)
    if len(word) < 4 or word.isdigit():
        return word
    for old, new in VARIANTS:
        word = word.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", word)


@dataclass(slots=True)
class Token:
    text: str
    key: str
    zone: str
    start: int


# word -> fold(word) for the words of articles: a plain dict lookup costs less
# than the LRU cache's, and tokenizing is the inner loop of tagging.
_folded = {}


class Tokens:
    """The words of an article's zones as parallel lists: spelling, key, zone.

    Tagging reads the keys of every word but looks closely at few of them, so
    the lists are built by list operations (a Token object per word cost three
    times as much) and a `Token` is made only when one is asked for; the
    offsets, which only new-people suggestions need, are worked out then.
    """

    __slots__ = ("_offsets", "_sources", "keys", "texts", "zones")

    def __init__(self, zoned_texts=()):
        self.texts, self.keys, self.zones = [], [], []
        self._sources, self._offsets = [], None
        for zone, text in zoned_texts:
            self._add_zone(zone, text or "")

    @classmethod
    def of_keys(cls, keys, zone="body"):
        """Tokens whose spelling is their key: a name's words, for lookups."""
        tokens = cls()
        tokens.texts, tokens.keys = list(keys), list(keys)
        tokens.zones = [zone] * len(tokens.keys)
        tokens._offsets = [0] * len(tokens.keys)
        return tokens

    def _add_zone(self, zone, text):
        words = WORD_RE.findall(text)
        keys = _keys(words)
        if "" in keys:  # words with nothing to match on ("_", scripts fold drops)
            words = [word for word, key in zip(words, keys, strict=True) if key]
            keys = [key for key in keys if key]
        self._sources.append(text)
        self.texts += words
        self.keys += keys
        self.zones += [zone] * len(keys)

    def offsets(self):
        """Each token's offset in its zone's text."""
        if self._offsets is None:
            self._offsets = [
                match.start()
                for text in self._sources
                for match in WORD_RE.finditer(text)
                if _folded.get(match[0]) or fold(match[0])
            ]
        return self._offsets

    def spelling(self, key):
        """The first word with `key`, as written."""
        return self.texts[self.keys.index(key)]

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[index] for index in range(*position.indices(len(self)))]
        position = range(len(self))[position]
        return Token(
            self.texts[position],
            self.keys[position],
            self.zones[position],
            self.offsets()[position],
        )

    def __iter__(self):
        return (self[position] for position in range(len(self)))


def tokenize(text, zone="body"):
    return Tokens([(zone, text)])


def word_keys(text):
    """The keys of the words of `text`, as its tokens have them (no positions:
    names and phrases are matched by their keys alone)."""
    return [key for key in _keys(WORD_RE.findall(text or "")) if key]


def remember_keys(pairs):
    """Keep (word, key) pairs folded by another process (`names_in`)."""
    if len(_folded) + len(pairs) <= 200_000:
        _folded.update(pairs)


def _keys_since(count):
    """The (word, key) pairs folded since `_folded` held `count` (a dict keeps
    the order of insertion; all of them if it was cleared meanwhile)."""
    return list(itertools.islice(_folded.items(), min(count, len(_folded)), None))


def _keys(words):
    if len(_folded) > 200_000:
        _folded.clear()
    keys = [_folded.get(word) for word in words]
    if None in keys:
        for position, key in enumerate(keys):
            if key is None:
                word = words[position]
                keys[position] = _folded[word] = fold(word)
    return keys


@dataclass
class Suggestion:
    kind: (
        str  # person, country, organization, event, agreement, topic, new_person, story
    )
    key: str  # stable id the accept button posts back: "person:12"
    label: str
    evidence: list = field(default_factory=list)
    entity: object = None
    score: int = 0
    position: str = ""  # new_person: the position title found beside the name
    country: object = None  # new_person: the country the position belongs to
    merge_into: object = None  # new_person: a known person it may be

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)

    def evidence_text(self):
        return ", ".join(f"“{words}”" for words in self.evidence[:6])


# ----------------------------------------------------------------- name index


@dataclass
class Name:
    kind: str
    entity: object
    keys: tuple
    original: str
    acronym: bool = False


def _names_of(kind, entity):
    if kind in {"event", "agreement"}:
        return [entity.title]
    return entity.all_names()


class _Node:
    """One word of a name in the trie: the names ending here, and the next words."""

    __slots__ = ("children", "names")

    def __init__(self):
        self.names = []
        self.children = {}


@functools.lru_cache(maxsize=100_000)
def _stems(key):
    """`key` without each ending it may carry: "irakischen" -> "irakisch", ..."""
    return tuple(
        key[: -len(end)]
        for end in SUFFIXES
        if end and key.endswith(end) and len(key) - len(end) >= 4
    )


def _first_word_matches(name, text, key):
    if name.acronym:
        return text == name.original
    wanted = name.keys[0]
    rest = key[len(wanted) :] if key.startswith(wanted) else None
    return key == wanted or (len(wanted) >= 4 and rest in SUFFIXES)


def _longer(best, found, size, names):
    """The longest match so far, and every name matching at that length."""
    if size > best:
        return size, list(names)
    if size and size == best:
        return best, found + list(names)
    return best, found


class NameCatalog:
    """Every known name as a trie of folded words, plus the surname rules' data.

    Matching walks the trie from each word of an article, so tagging costs
    O(words) whatever the number of entities. `name_catalog()` keeps one per
    process and builds a new one only when an entity changed.
    """

    def __init__(self, entities):
        self.entities = list(entities)
        self.root = {}
        # Surname key -> people: a surname counts alone only when one person
        # has it.
        surnames = defaultdict(set)
        for kind, entity in self.entities:
            for name in _names_of(kind, entity):
                keys = self._add(kind, entity, name)
                if kind == "person" and len(keys) >= 2 and len(keys[-1]) >= 4:
                    surnames[keys[-1]].add(entity)
        self.by_key = {(kind, entity.pk): entity for kind, entity in self.entities}
        self.surnames = dict(surnames)
        self.single_surnames = {
            k for k, owners in self.surnames.items() if len(owners) == 1
        }
        self._given = {}
        self._start_cache = {}
        # Keys known to start a name, and keys looked at: set operations tell
        # an article's starting words apart without a call per word.
        self._starting, self._seen = set(), set()

    def _add(self, kind, entity, original):
        """Put the name in the trie; returns the keys of its words (none for
        an acronym, which matches only as written)."""
        if ACRONYM_RE.fullmatch(original):
            name = Name(kind, entity, (original,), original, acronym=True)
        else:
            name = Name(kind, entity, tuple(word_keys(original)), original)
        if name.keys:
            node = self.root.setdefault(name.keys[0], _Node())
            for key in name.keys[1:]:
                node = node.children.setdefault(key, _Node())
            node.names.append(name)
        return () if name.acronym else name.keys

    def given_names(self, person):
        """Keys of the person's first names and of the words allowed before a
        bare surname (computed once per person)."""
        if person not in self._given:
            self._given[person] = _given_names(person)
        return self._given[person]

    def match_at(self, tokens, position, stems=True):
        """(length, names) of the longest names starting at `position`.

        A name's words match exactly, its last word may carry an ending
        (SUFFIXES), acronyms match only as written. With `stems`, a one-word
        name matches an inflected word too: "aserbaidschanischen", "Iraqis".
        """
        by_key, by_stem = self._starts(tokens.keys[position])
        by_text = self.root.get(tokens.texts[position])
        best, found = 0, []
        if by_key is not None:
            best, found = self._walk(tokens, position, by_key, True)
        if by_text is not None:
            # A word already written like a key ("trade") is found both ways and
            # counts twice, as it always has: lower-case topic words score higher.
            size, names = self._walk(tokens, position, by_text, by_text is by_key)
            best, found = _longer(best, found, size, names)
        if stems and by_stem:
            best, found = _longer(best, found, 1, by_stem)
        return best, found

    def starting_words(self, tokens):
        """The keys and spellings among `tokens` that may start a name: most
        words of an article start none, and a set lookup tells them apart."""
        if len(self._seen) > 200_000:
            self._starting.clear()
            self._seen.clear()
        keys, texts = set(tokens.keys), set(tokens.texts)
        for key in keys - self._seen:
            if any(self._starts(key)):
                self._starting.add(key)
            self._seen.add(key)
        return (keys & self._starting) | (texts & self.root.keys())

    def _starts(self, key):
        """(trie node of `key`, one-word names of its stems), remembered per key:
        the same words come back article after article."""
        starts = self._start_cache.get(key)
        if starts is None:
            if len(self._start_cache) > 200_000:
                self._start_cache.clear()
            nodes = [self.root.get(stem) for stem in _stems(key)]
            by_stem = [n for node in nodes if node for n in node.names if not n.acronym]
            starts = self._start_cache[key] = (self.root.get(key), by_stem)
        return starts

    def _walk(self, tokens, position, node, by_key):
        text, key = tokens.texts[position], tokens.keys[position]
        names = [name for name in node.names if _first_word_matches(name, text, key)]
        best, found = _longer(0, [], 1 if names else 0, names)
        index, zone = position + 1, tokens.zones[position]
        # Longer names only start from the word's key (a raw spelling is for
        # acronyms), and never run across a zone boundary.
        while by_key and node.children and index < len(tokens):
            if tokens.zones[index] != zone:
                break
            key = tokens.keys[index]
            for candidate in (key, *_stems(key)):
                last = node.children.get(candidate)
                if last is not None and last.names:
                    size = index - position + 1
                    best, found = _longer(best, found, size, last.names)
            node = node.children.get(key)
            if node is None:
                break
            index += 1
        return best, found


def known_entities():
    """Every entity a suggestion can point at (events: only those a date can place)."""
    entities = [("person", p) for p in Person.objects.all()]
    entities += [("country", c) for c in Country.objects.all()]
    entities += [("organization", o) for o in Organization.objects.all()]
    entities += [("topic", t) for t in Topic.objects.all()]
    entities += [("agreement", a) for a in Agreement.objects.all()]
    return entities


# The tables names come from: a change to any of them means a new catalog.
CATALOG_MODELS = (Person, Country, Organization, Topic, Agreement)
_catalog_cache = {}


def entity_generation():
    """Row count and latest change of each table names come from, in one query.

    Any save moves `updated_at` (auto_now) and any insert or delete moves a count,
    so a new alias or a new or deleted entity changes the generation at once, in
    every process. (A raw `QuerySet.update()` of names would not: entities are
    written through `relations.services.entity_save`.)
    """
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {number}, COUNT(*), MAX({quote('updated_at')}) "
        f"FROM {quote(model._meta.db_table)}"
        for number, model in enumerate(CATALOG_MODELS)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(sorted(cursor.fetchall()))


def name_catalog():
    """The catalog of every known name, rebuilt only when an entity changed.

    Costs one query when nothing changed; a rebuild reads the five entity tables
    (about 0.3 s for 4,000 people with their spellings).
    """
    generation = entity_generation()
    cached = _catalog_cache.get(connection.alias)
    if cached is None or cached[0] != generation:
        cached = (generation, NameCatalog(known_entities()))
        _catalog_cache[connection.alias] = cached
    return cached[1]


def find_mentions(tokens, catalog):
    """(Name, first token, length) of the longest name starting at each token."""
    starts = catalog.starting_words(tokens)
    mentions, covered = [], 0
    texts = tokens.texts
    for position, key in enumerate(tokens.keys):
        if position < covered or (key not in starts and texts[position] not in starts):
            continue
        size, names = catalog.match_at(tokens, position)
        if size:
            mentions += [(name, position, size) for name in names]
            covered = position + size
    return mentions


# ----------------------------------------------------------------- surnames


def _given_names(person):
    keys = set()
    for name in person.all_names():
        keys.update(word_keys(name)[:-1])
    return keys | HONORIFICS


def find_surnames(tokens, catalog, covered):
    """Bare surnames of exactly one known person, not preceded by another first name."""
    found = []
    single = catalog.single_surnames
    if single.isdisjoint(tokens.keys):
        return found
    texts, keys, zones = tokens.texts, tokens.keys, tokens.zones
    for position, key in enumerate(keys):
        if key not in single or position in covered:
            continue
        (person,) = catalog.surnames[key]
        before = position - 1
        capital = position and texts[before][:1].isupper()
        if capital and zones[before] == zones[position]:
            if keys[before] not in catalog.given_names(person):
                continue  # "Ilham Aliyev" is not "Heydar Aliyev"
        found.append((person, position))
    return found


# ------------------------------------------------------------- the article


def article_zones(article):
    return zones_of(article.title, article.lead, article.body)


def zones_of(title, lead, body):
    """Title, lead and body as plain text (token offsets point into these).

    Only the first MAX_TEXT characters of the body are read: real articles are far
    shorter, and the bound keeps the admin page quick on a pathological import.
    """
    body = re.sub(r"</p>|<br\s*/?>|</li>", "\n", (body or "")[:MAX_TEXT])
    body = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return [("title", title), ("lead", lead), ("body", body)]


def article_tokens(article):
    return Tokens(article_zones(article))


def suggest_for_article(
    article,
    entities=None,
    *,
    catalog=None,
    lookups=None,
    new_people=True,
    names=None,
):
    """Suggestions for `article`, best first; tags it already has are left out.

    `catalog` defaults to `name_catalog()` (or one built from `entities`);
    `lookups` says where events and other articles are read from (by default the
    database, for this one article). Without `new_people`, names of unknown
    people are not proposed (an import applies known entities only); only then
    may `names`, the article's `NamesFound` worked out beforehand, be given.
    """
    if catalog is None:
        catalog = name_catalog() if entities is None else NameCatalog(entities)
    lookups = lookups or ArticleLookups()
    if names is None:
        tokens = article_tokens(article)
        mentions = find_mentions(tokens, catalog)
        scored = _score_mentions(tokens, mentions, catalog)
        keys = TextKeys.of(tokens)
    elif new_people:
        raise ValueError("New people are found from the mentions, not from `names`.")
    else:
        scored, keys = names.scored(catalog), names.text_keys(article)
    tagged = lookups.stored_tags(article)
    suggestions = _entity_suggestions(scored)
    events = lookups.events_near(article)
    suggestions += suggest_events(article, keys, suggestions, events)
    suggestions = [s for s in suggestions if (s.kind, s.entity.pk) not in tagged]
    if new_people:
        suggestions += suggest_new_people(article, tokens, mentions, catalog)
    suggestions += suggest_same_story(article, suggestions, tagged, lookups)
    return suggestions


@dataclass
class NamesFound:
    """The known names in an article's text, worked out where the catalog was
    copied to (another process), in a form cheap to send back: the keys of its
    words as one string, and per (kind, entity id) the score and evidence of
    the entity, which `scored` turns back into entities."""

    keys: str  # the keys of the article's words, space-separated
    by_key: dict  # (kind, entity id) -> {"score": int, "evidence": [words]}

    @classmethod
    def of(cls, zoned_texts, catalog):
        tokens = Tokens(zoned_texts)
        scored = _score_mentions(tokens, find_mentions(tokens, catalog), catalog)
        by_key = {(kind, entity.pk): found for (kind, entity), found in scored.items()}
        return cls(" ".join(tokens.keys), by_key)

    def scored(self, catalog):
        """What `_score_mentions` gives, with the entities of `catalog`."""
        entities = catalog.by_key
        return {(kind, entities[kind, pk]): f for (kind, pk), f in self.by_key.items()}

    def text_keys(self, article):
        """The `TextKeys` of `article`, whose text these names were found in."""
        return TextKeys(self.keys.split(), functools.partial(_spelling, article))


def _spelling(article, key):
    """The first word of the article with `key`, as written (rarely needed: the
    article's words are split again for it)."""
    return article_tokens(article).spelling(key)


def names_in(texts, catalog):
    """`NamesFound` for each (title, lead, body), and the (word, key) pairs this
    process folded for them, for the process that sent them to `remember_keys`:
    the next process it forks starts with them."""
    known = len(_folded)
    found = [NamesFound.of(zones_of(*text), catalog) for text in texts]
    return found, _keys_since(known)


class ArticleLookups:
    """Where suggestions read events and other articles: the database, for one
    article at a time (the admin's panel). Imports use `BatchLookups`."""

    def stored_tags(self, article):
        return _stored_tag_keys(article) if article.pk else set()

    def events_near(self, article):
        return EventCandidates(event_facts(_candidate_events(article)))

    def story_candidates(self, article):
        return [TaggedArticle.of(other) for other in _story_candidates(article)]


class BatchLookups:
    """Events and other articles for a batch of new articles, read up front in a
    fixed number of queries. The batch's articles join the same-story candidates
    as they are tagged (`remember`), as if they had been imported one by one."""

    def __init__(self, articles):
        self.events = _BatchEvents(articles)
        self.stories = _PriorStories(articles)
        self.tagged = []
        self.by_language = defaultdict(list)

    def stored_tags(self, article):
        return set()  # a new article has no tags yet

    def events_near(self, article):
        return self.events.near(article)

    def story_candidates(self, article):
        others = [
            tagged
            for language, tagged in self.by_language.items()
            if language != article.language
        ]
        if len(others) <= 1:  # none or one other language: its list, newest first
            earlier = others[0][::-1] if others else []
        else:
            earlier = [
                other
                for other in reversed(self.tagged)
                if other.article.language != article.language
            ]
        return self.stories.candidates(article, earlier)

    def remember(self, article, suggestions):
        """`article` now has `suggestions`: later articles may share its story."""
        tags = {
            (s.kind, s.entity.pk): str(s.entity)
            for s in suggestions
            if s.kind in TAG_FIELDS
        }
        self.tagged.append(TaggedArticle(article, tags))
        self.by_language[article.language].append(self.tagged[-1])


def tag_rows(article, suggestions):
    """(kind, (article id, entity id)) of each tag among `suggestions`."""
    for suggestion in suggestions:
        if suggestion.kind in TAG_FIELDS:
            yield suggestion.kind, (article.pk, suggestion.entity.pk)


def insert_tag_rows(rows):
    """Insert tag rows, {kind: [(article id, entity id)]}, with one statement per
    tag table run for every row: a row is two ids, and building a model object
    and its SQL per row cost more than inserting it."""
    with connection.cursor() as cursor:
        for kind, values in rows.items():
            if values:
                cursor.executemany(_tag_insert_sql(kind), values)


@functools.cache
def _tag_insert_sql(kind):
    field = Article._meta.get_field(TAG_FIELDS[kind])
    through = field.remote_field.through._meta
    quote = connection.ops.quote_name
    columns = [
        quote(through.get_field(name).column)
        for name in (field.m2m_field_name(), field.m2m_reverse_field_name())
    ]
    return (
        f"INSERT INTO {quote(through.db_table)} ({', '.join(columns)}) VALUES (%s, %s)"
    )


def _windows(values, width):
    """[(low, high)] covering every value +- width, overlapping windows merged."""
    windows = []
    for value in sorted(values):
        low, high = value - width, value + width
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    return windows


def _in_windows(queryset, field, windows, chunk=100):
    """Rows of `queryset` whose `field` falls in any window (OR-ed a chunk at a
    time: SQLite bounds the depth of one expression)."""
    rows = []
    for start in range(0, len(windows), chunk):
        condition = Q()
        for low, high in windows[start : start + chunk]:
            condition |= Q(**{f"{field}__range": (low, high)})
        rows += list(queryset.filter(condition))
    return rows


def _within(value, width, center):
    return center - width <= value <= center + width


def _score_mentions(tokens, mentions, catalog):
    scored = defaultdict(lambda: {"score": 0, "evidence": []})
    covered = set()
    texts, zones = tokens.texts, tokens.zones
    for name, position, size in mentions:
        words = " ".join(texts[position : position + size])
        _add(scored[(name.kind, name.entity)], zones[position], words)
        covered.update(range(position, position + size))
    for person, position in find_surnames(tokens, catalog, covered):
        _add(scored[("person", person)], zones[position], texts[position])
    return scored


def _add(entry, zone, words):
    entry["score"] += ZONE_WEIGHT[zone]
    if words not in entry["evidence"]:
        entry["evidence"].append(words)


def _entity_suggestions(scored):
    suggestions = [
        Suggestion(
            kind=kind,
            key=f"{kind}:{entity.pk}",
            label=str(entity),
            evidence=found["evidence"],
            entity=entity,
            score=found["score"],
        )
        for (kind, entity), found in scored.items()
        if found["score"] >= MIN_SCORE.get(kind, 1)
    ]
    return sorted(suggestions, key=lambda s: (list(TAG_FIELDS).index(s.kind), -s.score))


# ------------------------------------------------------------------- events

EVENT_WORDS = {
    Event.Kind.CONSULTATIONS: ["consultations", "konsultationen"],
    Event.Kind.JOINT_COMMISSION: ["joint commission", "gemeinsamen kommission"],
    Event.Kind.STATE_VISIT: ["state visit", "staatsbesuch"],
    Event.Kind.OFFICIAL_VISIT: ["official visit", "offiziellen besuch"],
    Event.Kind.WORKING_VISIT: ["working visit", "arbeitsbesuch"],
    Event.Kind.SUMMIT: ["summit", "gipfel"],
    Event.Kind.CONFERENCE: ["conference", "konferenz"],
    Event.Kind.SIGNING: ["signed", "signing", "unterzeichnet"],
    Event.Kind.PHONE_CALL: ["phone call", "telephone conversation", "telefongesprach"],
    Event.Kind.MEETING: ["meeting", "met", "treffen"],
}
EVENT_WINDOW = datetime.timedelta(days=10)
# The columns each entity's label (its str()) reads. Tags of other articles and
# the countries and people of events are read for their ids and labels only: the
# rest of their rows would cost more than everything done with them.
LABEL_FIELDS = {
    Person: ("full_name",),
    Country: ("name",),
    Organization: ("name", "acronym"),
    Event: ("title",),
    Agreement: ("title",),
    Topic: ("name",),
}


def labelled(model):
    """Entities of `model` with only what their label needs."""
    return model.objects.only(*LABEL_FIELDS[model])


# The relations of an event that its rules compare with an article.
EVENT_RELATIONS = ("countries", "participants")


def _article_day(article):
    return article.published_at.date() if article.published_at else None


def _candidate_events(article):
    events = Event.objects.all()
    day = _article_day(article)
    if day:
        return events.filter(
            start_date__gte=day - EVENT_WINDOW, start_date__lte=day + EVENT_WINDOW
        )
    return events.order_by("-start_date")[:500]


@dataclass
class EventFacts:
    """What the event rules compare with an article, read once per event."""

    event: Event
    title: str  # folded words of the title, space-separated
    title_words: frozenset
    city: str  # folded
    countries: list  # [(id, name)]
    participants: list  # [(id, name)]

    @classmethod
    def of(cls, event, countries, participants):
        return cls(
            event=event,
            title=_phrase_keys(event.title),
            title_words=frozenset(_phrase_keys(event.title).split()),
            city=fold(event.city) if event.city else "",
            countries=countries,
            participants=participants,
        )


def event_facts(events):
    """The `EventFacts` of `events`. Their countries and participants are read
    as ids and label columns, one query per relation, in the order a prefetch
    would list them: a prefetch made an object per entity and event (2,000 for
    500 events), which cost more than the rest of the facts."""
    events = list(events)
    ids = [event.pk for event in events]
    countries, participants = (_related_labels(ids, name) for name in EVENT_RELATIONS)
    return [EventFacts.of(e, countries[e.pk], participants[e.pk]) for e in events]


def default_order_through(relation, model):
    """`model`'s default ordering, for rows reaching it through `relation`."""
    return [
        f"-{relation}__{key[1:]}" if key.startswith("-") else f"{relation}__{key}"
        for key in model._meta.ordering
    ]


def _related_labels(event_ids, name):
    """Event id -> [(entity id, label)] of the events' relation `name`, in the
    entity model's default order."""
    found = defaultdict(list)
    if not event_ids:
        return found
    field = Event._meta.get_field(name)
    model, source = field.related_model, field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    names = LABEL_FIELDS[model]
    rows = (
        field.remote_field.through.objects.filter(**{f"{source}_id__in": event_ids})
        .order_by(*default_order_through(target, model), f"{target}_id")
        .values_list(f"{source}_id", f"{target}_id", *(f"{target}__{n}" for n in names))
    )
    labels = {}  # the same entity comes back for many events: one label each
    for event_id, pk, *values in rows:
        if pk not in labels:
            labels[pk] = str(model(pk=pk, **dict(zip(names, values, strict=True))))
        found[event_id].append((pk, labels[pk]))
    return found


class EventCandidates:
    """An article's candidate events, indexed so that only those its text could
    be about are looked at closely (hundreds of candidates for an undated
    article): by a word of the title, by kind, and by the signals the rules
    count (city, countries, participants).

    A title counts only when all its words are in the text, and countries only
    when all of an event's countries are found: each event is indexed by the
    rarest of its title words and of its countries, so few share a key."""

    def __init__(self, events):
        self.facts = list(events)
        self.by_title_word, self.by_kind = defaultdict(list), defaultdict(list)
        self.by_city, self.by_person = defaultdict(list), defaultdict(list)
        self.by_country = defaultdict(list)
        words = Counter(w for facts in self.facts for w in facts.title_words)
        countries = Counter(pk for facts in self.facts for pk, _n in facts.countries)
        for position, facts in enumerate(self.facts):
            if facts.title_words:
                word = min(facts.title_words, key=lambda w: (words[w], w))
                self.by_title_word[word].append(position)
            self.by_kind[facts.event.kind].append(position)
            self.by_city[facts.city].append(position)
            for pk, _name in facts.participants:
                self.by_person[pk].append(position)
            if facts.countries:
                ids = [pk for pk, _name in facts.countries]
                country = min(ids, key=lambda pk: (countries[pk], pk))
                self.by_country[country].append(position)

    def named_in(self, keys, found):
        """The candidates whose title may be in the text, or whose kind is named
        with two signals found, in their order (`_event_evidence` decides)."""
        titled = {
            position
            for position in self._positions(self.by_title_word, keys.words)
            if self.facts[position].title_words <= keys.words
        }
        named = self._positions(
            self.by_kind, [k for k in self.by_kind if keys.kind_words(k)]
        )
        signals = Counter(self._positions(self.by_city, keys.words, unique=False))
        signals.update(self._with_all_countries(found))
        people = [pk for kind, pk in found if kind == "person"]
        signals.update(self._positions(self.by_person, people, unique=False))
        signalled = {position for position, count in signals.items() if count >= 2}
        chosen = titled | (named & signalled)
        return [self.facts[position] for position in sorted(chosen)]

    @staticmethod
    def _positions(index, keys, unique=True):
        # `keys` hold no repeats: only the keys in the index matter, and a set
        # intersection finds them without a lookup per word of the article.
        found = [p for key in index.keys() & keys for p in index[key]]
        return set(found) if unique else found

    def _with_all_countries(self, found):
        countries = [pk for kind, pk in found if kind == "country"]
        return {
            position
            for position in self._positions(self.by_country, countries)
            if all(
                ("country", pk) in found for pk, _n in self.facts[position].countries
            )
        }


class _BatchEvents:
    """`_candidate_events` for every article of a batch, in three queries."""

    def __init__(self, articles):
        days = {_article_day(article) for article in articles}
        ordered = Event.objects.order_by("-start_date", "title")
        windows = _windows([day for day in days if day], EVENT_WINDOW)
        dated = _in_windows(ordered, "start_date", windows)
        dated.sort(key=lambda event: event.title)
        dated.sort(key=lambda event: event.start_date, reverse=True)
        latest = Event.objects.order_by("-start_date")[:500]
        undated = list(latest) if None in days else []
        facts = event_facts(dated + undated)
        self.dated = facts[: len(dated)]
        self.undated = EventCandidates(facts[len(dated) :])
        # Newest first, so the negated days ascend: an article's window is a slice.
        self.days = [-facts.event.start_date.toordinal() for facts in self.dated]

    def near(self, article):
        day = _article_day(article)
        if day is None:
            return self.undated
        low = bisect.bisect_left(self.days, -(day + EVENT_WINDOW).toordinal())
        high = bisect.bisect_right(self.days, -(day - EVENT_WINDOW).toordinal())
        return EventCandidates(self.dated[low:high])


class TextKeys:
    """The article's folded words, joined once for phrase lookups and as a set;
    `spelling(key)` gives the first of its words with that key, as written."""

    def __init__(self, keys, spelling):
        self.joined = f" {' '.join(keys)} "
        self.words = set(keys)
        self.spelling = spelling
        self._kinds = {}

    @classmethod
    def of(cls, tokens):
        return cls(tokens.keys, tokens.spelling)

    def has_phrase(self, wanted):
        """Whether the folded words `wanted` (space-separated) occur in a row."""
        first = wanted.partition(" ")[0]
        return bool(first) and first in self.words and f" {wanted} " in self.joined

    def kind_words(self, kind):
        """The words naming an event of `kind` that the article uses."""
        if kind not in self._kinds:
            words = EVENT_WORDS.get(kind, [])
            self._kinds[kind] = [w for w in words if self.has_phrase(_phrase_keys(w))]
        return self._kinds[kind]


@functools.lru_cache(maxsize=10_000)
def _phrase_keys(phrase):
    return " ".join(word_keys(phrase))


def suggest_events(article, keys, suggestions, events):
    """Events whose kind is named and whose place, countries or people match.

    `keys` are the article's `TextKeys`, `events` the candidates
    (EventCandidates). Without a publication date an event is suggested only
    when it is the one candidate: many rounds of the same consultations would
    otherwise compete.
    """
    found = {(s.kind, s.entity.pk) for s in suggestions}
    matched = []
    for facts in events.named_in(keys, found):
        evidence = _event_evidence(facts, keys, found)
        if evidence:
            matched.append((facts.event, evidence))
    if not _article_day(article) and len(matched) > 1:
        return []
    return [
        Suggestion("event", f"event:{e.pk}", str(e), evidence, e, score=len(evidence))
        for e, evidence in matched
    ]


def _event_evidence(facts, keys, found):
    if keys.has_phrase(facts.title):
        return [facts.event.title]
    words = keys.kind_words(facts.event.kind)
    if not words:
        return []
    signals = []
    if facts.city and facts.city in keys.words:
        signals.append(keys.spelling(facts.city))
    countries = facts.countries
    if countries and all(("country", pk) in found for pk, _name in countries):
        signals.append("countries: " + ", ".join(name for _pk, name in countries))
    signals += [name for pk, name in facts.participants if ("person", pk) in found]
    return [words[0]] + signals if len(signals) >= 2 else []


# --------------------------------------------------------------- new people

TITLE_WORDS = (
    r"(?:(?:First|Deputy|Vice|Prime|Foreign|Acting|Chief|Special|Permanent|Assistant"
    r"|stellvertretenden?|erster?|Vize)[\s-]+){0,4}"
    r"(?:Foreign\s+Minister|Prime\s+Minister|Minister|President|Ambassador|Director"
    r"|Chairman|Chairwoman|Speaker|Envoy|Secretary(?:-General)?|Spokesperson"
    r"|Spokesman|Adviser|Advisor|Chancellor|Governor|Mayor|Außenminister"
    r"|Botschafter|Präsident|Ministerpräsident|Kommunikationsminister|director)"
)
# Bounded repetitions keep matching linear on hostile text (no runaway backtracking).
OF_PHRASE = (
    r"(?:\s+(?:of|for|von|des|der)\s+(?:the\s+)?[A-Z][\w-]{0,40}"
    r"(?:\s+[A-Z][\w-]{0,40}){0,4}?){0,3}"
)
NOT_NAMES = (
    r"(?!(?:The|Republic|Council|Ministry|Commission|Union|Assembly|Parliament|Forum"
    r"|Organization|Organisation|Movement|Nations|States|Affairs|Department|Office"
    r"|Administration|Cabinet|Mr|Mrs|Ms|Dr|Center|Centre|Foreign)\b)"
)
MAX_NEW_PEOPLE = 20
UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽƏ"  # Latin capitals, Azerbaijani and Turkish ones included
NAME_PART = (
    NOT_NAMES
    + rf"(?:[Aa]l-[A-Za-z][^\W\d_]{{1,30}}|[{UPPER}][^\W\d_]{{1,30}}|bin|ibn)(?![\w'-])"
)
OFFICIAL_RE = re.compile(
    rf"(?P<title>{TITLE_WORDS}{OF_PHRASE}),?\s+(?P<name>{NAME_PART}(?:\s+{NAME_PART}){{1,4}})"
)


def suggest_new_people(article, tokens, mentions, catalog):
    """People named beside an official title but not yet known, with that title."""
    proposals, seen = [], set()
    countries = _country_mentions(tokens, mentions)
    for zone, text in article_zones(article):
        for match in OFFICIAL_RE.finditer(text):
            if len(proposals) >= MAX_NEW_PEOPLE:
                return proposals
            name = match.group("name")
            keys = tuple(word_keys(name))
            if keys in seen or _is_known(keys, catalog):
                continue
            seen.add(keys)
            owners = catalog.surnames.get(keys[-1], ())
            proposals.append(
                Suggestion(
                    kind="new_person",
                    key=f"new_person:{slug_base(name)}",
                    label=name,
                    evidence=[" ".join(match.group().split())],
                    position=_position_title(match.group("title")),
                    country=_nearby_country(countries.get(zone, []), match),
                    merge_into=next(iter(owners)) if len(owners) == 1 else None,
                )
            )
    return proposals


def _is_known(keys, catalog):
    tokens = Tokens.of_keys(keys)
    size, names = catalog.match_at(tokens, 0, stems=False)
    is_person = size == len(keys) and any(name.kind == "person" for name in names)
    return is_person or _contains_entity_name(tokens, catalog)


def _contains_entity_name(tokens, catalog):
    # "President Azerbaijan Ilham" style false names: any country or
    # organization name inside the candidate disqualifies it.
    return any(
        name.kind in {"country", "organization"}
        for name, _pos, _size in find_mentions(tokens, catalog)
    )


def _position_title(title):
    title = " ".join(title.split())
    title = re.sub(r"^(?:stellvertretenden?)\b", "Stellvertretender", title)
    return (title[:1].upper() + title[1:])[:200]


def _country_mentions(tokens, mentions):
    """Zone -> [(offset, country)] in text order, for lookups by position."""
    by_zone = defaultdict(list)
    for name, position, _size in mentions:
        if name.kind == "country":
            offset = tokens.offsets()[position]
            by_zone[tokens.zones[position]].append((offset, name.entity))
    return by_zone


def _nearby_country(mentions, match):
    # "Azerbaijan's Deputy Foreign Minister", "Iraqi Deputy ...", "Minister of Iraq".
    low = bisect.bisect_left(mentions, match.start() - 15, key=lambda m: m[0])
    high = bisect.bisect_right(mentions, match.start("name"), key=lambda m: m[0])
    return mentions[high - 1][1] if high > low else None


# --------------------------------------------------------------- same story

STORY_WINDOW = datetime.timedelta(days=3)


def suggest_same_story(article, suggestions, tagged, lookups):
    """An article in another language about the same event or the same people."""
    if not article.pk or article.story_id:
        return []
    mine = {(s.kind, s.entity.pk) for s in suggestions if s.entity is not None}
    mine |= tagged
    # A shared person or event is needed: most candidates fail on that alone.
    decisive = {(kind, pk) for kind, pk in mine if kind in DECISIVE_KINDS}
    best = None
    for other in lookups.story_candidates(article):
        if decisive.isdisjoint(other.decisive):
            continue
        shared = mine & other.tags.keys()
        if _same_story(article, other.article, shared) and (
            best is None or len(shared) > len(best[1])
        ):
            best = (other, shared)
    if best is None:
        return []
    other, shared = best
    root = other.article.story_root()
    # The other article's labels, else this one's: candidates read for a whole
    # import batch come without labels (only the chosen story's are shown).
    labels = {(s.kind, s.entity.pk): str(s.entity) for s in suggestions if s.entity}
    evidence = sorted({other.tags[key] or labels.get(key, "") for key in shared})
    return [Suggestion("story", f"story:{root.pk}", str(root), evidence, root)]


# A same story needs one of these in common.
DECISIVE_KINDS = frozenset({"person", "event"})


@dataclass
class TaggedArticle:
    """An article with its tags as (kind, id) -> label: a same-story candidate."""

    article: Article
    tags: dict
    decisive: frozenset = field(init=False)  # its people and events

    def __post_init__(self):
        self.decisive = frozenset(k for k in self.tags if k[0] in DECISIVE_KINDS)

    @classmethod
    def of(cls, article):
        """From an article prefetched with TAG_PREFETCH."""
        tags = {
            (kind, entity.pk): str(entity)
            for kind, name in TAG_FIELDS.items()
            for entity in getattr(article, f"{name}_list")
        }
        return cls(article, tags)


# What a same-story check reads of another article (its text is not needed).
STORY_FIELDS = ("title", "language", "published_at", "story__title")
TAG_PREFETCH = tuple(
    Prefetch(
        name,
        queryset=labelled(Article._meta.get_field(name).related_model),
        to_attr=f"{name}_list",
    )
    for name in TAG_FIELDS.values()
)


def _story_candidates(article):
    others = (
        Article.objects.exclude(pk=article.pk)
        .exclude(language=article.language)
        .select_related("story")
        .only(*STORY_FIELDS)
        .prefetch_related(*TAG_PREFETCH)
    )
    if article.published_at:
        window = (
            article.published_at - STORY_WINDOW,
            article.published_at + STORY_WINDOW,
        )
        dated = others.filter(published_at__range=window)
        undated = others.filter(published_at__isnull=True).order_by("-pk")[:100]
        return list(dated.order_by("-pk")[:100]) + list(undated)
    return others.order_by("-pk")[:200]


class _PriorStories:
    """`_story_candidates` from before a batch, for every article of it: their
    ids in one query per language plus one per chunk of date windows, then the
    articles with their tags in one query per tag table."""

    def __init__(self, articles):
        before = Article.objects.exclude(pk__in=[a.pk for a in articles])
        before = before.order_by("-pk")
        dated = [article for article in articles if article.published_at]
        undated = {article.language for article in articles if not article.published_at}
        newest = {
            language: _ids(before.exclude(language=language), 200)
            for language in undated
        }
        no_date = before.filter(published_at__isnull=True)
        no_date = {
            language: _ids(no_date.exclude(language=language), 100)
            for language in {article.language for article in dated}
        }
        self.in_window = self._in_window(before, dated)
        groups = [*newest.values(), *no_date.values(), *self.in_window.values()]
        ids = {pk for group in groups for pk in group}
        others = Article.objects.filter(pk__in=ids).select_related("story")
        tags = _tag_keys(ids)
        # Tags as ids: their labels are not needed to find a story.
        self.tagged = {
            other.pk: TaggedArticle(other, dict.fromkeys(tags[other.pk]))
            for other in others.only(*STORY_FIELDS)
        }
        # The same lists serve every article of a language: built once.
        self.newest = {language: self._prior(ids) for language, ids in newest.items()}
        self.no_date = {language: self._prior(ids) for language, ids in no_date.items()}

    def _prior(self, ids):
        return [self.tagged[pk] for pk in ids]

    def _in_window(self, before, dated):
        windows = _windows([a.published_at for a in dated], STORY_WINDOW)
        rows = _in_windows(
            before.values_list("pk", "language", "published_at"),
            "published_at",
            windows,
        )
        # By date, so that each article's window is found by bisection rather
        # than by reading every row of every window.
        rows.sort(key=lambda row: row[2])
        dates = [at for _pk, _language, at in rows]
        in_window = {}
        for article in dated:
            low = bisect.bisect_left(dates, article.published_at - STORY_WINDOW)
            high = bisect.bisect_right(dates, article.published_at + STORY_WINDOW)
            near = [row for row in rows[low:high] if row[1] != article.language]
            near.sort(reverse=True)  # newest first
            in_window[article.pk] = [pk for pk, _language, _at in near[:100]]
        return in_window

    def candidates(self, article, earlier):
        """Candidates for `article`, given the batch's `earlier` articles (newest
        first) in other languages."""

        if not article.published_at:
            return (earlier + self.newest[article.language])[:200]
        at = article.published_at
        dated = [o for o in earlier if _dated_within(o.article, at)]
        undated = [o for o in earlier if o.article.published_at is None]
        dated += self._prior(self.in_window[article.pk])
        undated += self.no_date[article.language]
        return dated[:100] + undated[:100]


def _dated_within(other, at):
    return other.published_at is not None and _within(
        other.published_at, STORY_WINDOW, at
    )


def _ids(queryset, limit):
    return list(queryset.values_list("pk", flat=True)[:limit])


def _stored_tag_keys(article):
    """(kind, id) of every tag the article has, read in one UNION query."""
    return set(_tag_keys([article.pk])[article.pk])


def _tag_keys(ids):
    """Article id -> [(kind, id)] of its tags, in one UNION query (none without
    ids)."""
    found = defaultdict(list)
    if not ids:
        return found
    parts = []
    for kind, name in TAG_FIELDS.items():
        field = Article._meta.get_field(name)
        column = field.m2m_reverse_field_name() + "_id"
        rows = field.remote_field.through.objects.filter(article_id__in=ids)
        rows = rows.annotate(kind=Value(kind)).values_list("article_id", column, "kind")
        parts.append(rows.order_by())
    for article_id, pk, kind in parts[0].union(*parts[1:], all=True):
        found[article_id].append((kind, pk))
    return found


def _same_story(article, other, shared):
    if any(kind == "event" for kind, _pk in shared):
        return True
    has_person = any(kind == "person" for kind, _pk in shared)
    both_dated = article.published_at and other.published_at
    needed = 3 if both_dated else 4
    return has_person and len(shared) >= needed


# ---------------------------------------------------------------- accepting


@transaction.atomic
def article_accept_suggestions(*, article, suggestions, user=None):
    """Apply accepted suggestions: tags, new or merged people, the shared story.

    The article is saved through `article_save` after the tags are written, so its
    version moves on (a form opened before cannot silently drop the new tags) and
    the search index, which `article_save` keeps in step, sees the new tags.
    """
    for suggestion in suggestions:
        _accept(article, suggestion)
    # article_save also rebuilds the article's search row with the new tags.
    services.article_save(article=article, user=user)
    return article


def _accept(article, suggestion):
    if suggestion.kind in TAG_FIELDS:
        getattr(article, TAG_FIELDS[suggestion.kind]).add(suggestion.entity)
    elif suggestion.kind == "new_person":
        article.people.add(person_create_from_suggestion(suggestion=suggestion))
    elif suggestion.kind == "merge_person":
        article.people.add(person_add_alias(suggestion=suggestion))
    elif suggestion.kind == "story":
        article.story = suggestion.entity


@transaction.atomic
def person_create_from_suggestion(*, suggestion):
    """A new person with the position title found beside the name."""
    person = Person.objects.create(
        full_name=suggestion.label, country=suggestion.country
    )
    if suggestion.position:
        Position.objects.create(
            person=person, title=suggestion.position, country=suggestion.country
        )
    return person


@transaction.atomic
def person_add_alias(*, suggestion):
    """Merge a proposed name into a known person: the name becomes an alias."""
    # A fresh copy: the suggestion's person is shared with the cached catalog.
    person = Person.objects.get(pk=suggestion.merge_into.pk)
    if suggestion.label not in person.all_names():
        person.aliases = "\n".join(person.alias_list() + [suggestion.label])
        # Through the entity service: articles already tagged with the person
        # become findable by the new spelling too.
        entity_save(entity=person)
    return person


def merge_suggestion(suggestion):
    """The "same person as" variant of a new-person proposal."""
    return Suggestion(
        kind="merge_person",
        key=f"merge_person:{slug_base(suggestion.label)}",
        label=suggestion.label,
        evidence=suggestion.evidence,
        merge_into=suggestion.merge_into,
    )
