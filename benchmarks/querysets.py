"""Query sets for the search benchmark, drawn from the corpus actually loaded.

Terms come from a sample of published articles, so the benchmark works on the
synthetic corpus and on real data alike, and many different terms are used
(one term repeated would only measure a cache).
"""

import random
import re
from collections import Counter
from dataclasses import dataclass, field

from articles.models import Article

from .wordlists import ENGLISH_COMMON, GERMAN_COMMON

SAMPLE_ARTICLES = 400
TAG_RE = re.compile(r"<[^>]+>")
WORD_RE = re.compile(r"[^\W\d_]{4,}")
# Two words side by side in the text (no punctuation between): a phrase query.
PAIR_RE = re.compile(r"(?=\b([^\W\d_]{4,}) ([^\W\d_]{4,})\b)")
# Function words are left out: engines drop them as stop words.
STOP_WORDS = set(ENGLISH_COMMON) | set(GERMAN_COMMON)

CLASSES = [
    ("rare", "rare term"),
    ("common", "common term (>10% of articles)"),
    ("multi", "2-4 terms"),
    ("phrase", "phrase"),
    ("name_variant", "name variant (alias spelling)"),
    ("filtered_date", "filtered by entity, sorted by date"),
]


@dataclass
class Query:
    text: str
    filters: dict = field(default_factory=dict)
    sort: str = "relevance"


@dataclass
class Sample:
    """The sampled articles' words and tags."""

    docs: list  # list of word lists, one per article
    pairs: list  # adjacent word pairs per article
    tags: list  # list of {"country": code, "person": slug} choices per article
    aliases: list  # other spellings of tagged people's names


def article_sample(rng, size=SAMPLE_ARTICLES):
    ids = list(Article.objects.published().values_list("pk", flat=True))
    chosen = rng.sample(ids, min(size, len(ids)))
    rows = Article.objects.filter(pk__in=chosen).prefetch_related("countries", "people")
    docs, pairs, tags, aliases = [], [], [], []
    for article in rows.order_by("pk"):
        text = TAG_RE.sub(" ", f"{article.title} {article.body}").lower()
        docs.append(WORD_RE.findall(text))
        pairs.append(PAIR_RE.findall(text))
        tags.append(_tag_filters(article))
        for person in article.people.all():
            aliases.extend(a for a in person.alias_list() if ". " not in a)
    return Sample(docs=docs, pairs=pairs, tags=[t for t in tags if t], aliases=aliases)


def _tag_filters(article):
    filters = [{"country": c.code.lower()} for c in article.countries.all()]
    filters += [{"person": p.slug} for p in article.people.all()]
    return filters


def document_frequency(docs):
    counts = Counter()
    for words in docs:
        counts.update(set(words))
    return counts


def build_queries(*, per_class, seed=7):
    """`per_class` queries for every class (fewer if the corpus is too small)."""
    rng = random.Random(seed)
    sample = article_sample(rng)
    if not sample.docs:
        return {name: [] for name, _ in CLASSES}
    df = document_frequency(sample.docs)
    share = {w: n / len(sample.docs) for w, n in df.items() if w not in STOP_WORDS}
    common = sorted(w for w, s in share.items() if 0.12 <= s <= 0.6)
    rare = sorted(w for w, n in df.items() if n == 1 and len(w) >= 6)
    middle = {w for w, s in share.items() if 0.02 <= s <= 0.4}
    return {
        "rare": [Query(w) for w in _pick(rng, rare, per_class)],
        "common": [Query(w) for w in _pick(rng, common, per_class)],
        "multi": _multi(rng, sample.docs, middle, per_class),
        "phrase": _phrases(rng, sample.pairs, per_class),
        "name_variant": [
            Query(a) for a in _pick(rng, sorted(set(sample.aliases)), per_class)
        ],
        "filtered_date": _filtered(rng, sample.tags, common, per_class),
    }


def _pick(rng, items, count):
    return rng.sample(items, min(count, len(items)))


def _multi(rng, docs, middle, count):
    queries = []
    for words in _cycle(rng, docs, count):
        candidates = sorted(set(words) & middle)
        if len(candidates) >= 2:
            size = min(len(candidates), rng.randint(2, 4))
            queries.append(Query(" ".join(rng.sample(candidates, size))))
    return queries[:count]


def _phrases(rng, pairs_per_doc, count):
    queries = []
    for doc_pairs in _cycle(rng, pairs_per_doc, count):
        pairs = [
            (a, b) for a, b in doc_pairs if a not in STOP_WORDS and b not in STOP_WORDS
        ]
        if pairs:
            first, second = rng.choice(pairs)
            queries.append(Query(f'"{first} {second}"'))
    return queries[:count]


def _filtered(rng, tags, common, count):
    if not tags or not common:
        return []
    queries = []
    for _ in range(count):
        # Alternate person and country filters; both are entity facets.
        choice = rng.choice(rng.choice(tags))
        queries.append(Query(rng.choice(common), filters=choice, sort="date"))
    return queries


def _cycle(rng, docs, count):
    """Up to 3x`count` articles in random order (bounded: some may not qualify)."""
    order = list(docs)
    rng.shuffle(order)
    return order[: count * 3]
