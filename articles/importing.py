"""Importing extracted news items as draft articles: one service for every path.

Items are written in batches: each batch is checked and prepared first, then
written in one transaction with bulk inserts (articles, tags, search rows,
revisions), so the number of queries grows with the number of batches, not of
items. When the database refuses a batch, its items are retried one by one and
only the one it refuses is reported as failed.
"""

import contextlib
import datetime
import gc
import html
import json
import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DatabaseError, IntegrityError, router, transaction
from django.db.models import Q
from django.utils import timezone
from reversion.models import Revision, Version

from relations.slugs import slug_base, transliterate

from . import services
from .models import Article, ArticleTransition, Source
from .search import reindex_articles
from .tagging import (
    TAG_FIELDS,
    BatchLookups,
    default_order_through,
    insert_tag_rows,
    name_catalog,
    names_in,
    remember_keys,
    suggest_for_article,
    tag_rows,
)
from .workers import can_fork, forked_pool

logger = logging.getLogger(__name__)

# Items written per transaction: large enough that per-batch queries vanish into
# it, small enough that one refused item costs little to retry.
BATCH_SIZE = 500
# Jaccard similarity of word 3-grams above which two texts are one story re-scraped.
NEAR_DUPLICATE_THRESHOLD = 0.6
# Titles (or leads) must overlap this much before bodies are compared at all.
TITLE_OVERLAP = 0.5
# Only the most recent articles of the same language are compared (bounded cost).
CANDIDATE_LIMIT = 300
# Of those, at most this many with a similar title or lead have their text compared.
TEXT_COMPARISONS = 10
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
SLUG_LENGTH = 80 - 6  # as relations.slugs.unique_slug leaves room for "-2", "-3"
# Batches with at least this many drafts to tag have the names in their texts
# found by another process while this one checks and inserts them; for fewer,
# starting that process would cost more than it saves.
FIND_NAMES_FROM = 50
# Texts per task of the finder: the batch's first articles are tagged while it
# works on the next ones.
FIND_NAMES_CHUNK = 100


@dataclass
class ImportResult:
    name: str
    status: str  # created, duplicate, near_duplicate, failed
    article: Article | None = None
    message: str = ""
    suggestions: int = 0

    @property
    def ok(self):
        return self.status != "failed"


@dataclass
class _Pending:
    """One item on its way in: its draft, then what became of it."""

    item: object
    article: Article | None = None
    result: ImportResult | None = None
    duplicate_of: Article | None = None
    suggestions: int = 0


def article_import(
    *, item, user=None, source_name=None, language=None, publish=False, tag=False
):
    """Create a draft from an `ingest.Extracted` item; the same text twice adds nothing.

    Raises PermissionDenied before writing anything when `publish` is asked for by a
    user without the publish permission, and ValueError for an unusable language.
    """
    _checked_language(language or item.language)
    (result,) = articles_import(
        items=[item],
        user=user,
        source_name=source_name,
        language=language,
        publish=publish,
        tag=tag,
    )
    return result


def articles_import(
    *,
    items,
    user=None,
    source_name=None,
    language=None,
    publish=False,
    tag=False,
    batch_size=BATCH_SIZE,
    find_names_apart=False,
):
    """Import `items` (`ingest.Extracted`), `batch_size` per transaction.

    Returns one ImportResult per item, in order: created, duplicate (the same text
    is already there: nothing written), near_duplicate (created, and flagged) or
    failed (a bad language code, a row the database refuses), with the others
    imported all the same. Raises PermissionDenied before writing anything when
    `publish` is asked for by a user without the publish permission.

    With `tag` and `find_names_apart`, a forked process finds the names in the
    texts of each batch of FIND_NAMES_FROM items or more (`_NameFinder`). The
    import command asks for it; a web request does not fork its server.
    """
    if publish and not services.can_publish(user):
        raise PermissionDenied("You need the publish permission to publish on import.")
    options = {
        "user": user,
        "source_name": source_name,
        "language": language,
        "publish": publish,
        "tag": tag,
    }
    results = []
    apart = find_names_apart and tag and len(items) >= FIND_NAMES_FROM
    finder = _NameFinder() if apart else None
    try:
        for start in range(0, len(items), batch_size):
            with collector_paused():
                batch = items[start : start + batch_size]
                results += _import_batch(batch, options, finder)
    finally:
        if finder is not None:
            finder.close()
    return results


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off while the block runs, then back as it was.

    A batch allocates hundreds of thousands of objects (words, tokens, model
    instances) that live until it ends. Each 700 allocations start a
    collection, and every few of them one that walks all the process's objects,
    the name catalog and word caches included: an eighth of the CPU time of
    an import. Reference counting frees what the batch no longer uses as before;
    the few cycles it leaves are collected once the collector is back on.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _import_batch(items, options, finder=None):
    names = finder.start(len(items)) if finder is not None else None
    pending = []
    # Each chunk of drafts goes to the finder as soon as it is prepared.
    for start in range(0, len(items), FIND_NAMES_CHUNK):
        prepared = [
            _prepare(item, options) for item in items[start : start + FIND_NAMES_CHUNK]
        ]
        if names is not None:
            names.send([entry.article for entry in prepared if entry.article])
        pending += prepared
    try:
        with transaction.atomic():
            _write(pending, options, names)
    except DatabaseError as error:
        if len(items) > 1:
            # Retried one by one, so only the item the database refuses fails.
            return [r for item in items for r in _import_batch([item], options)]
        return [_refused(pending[0], error)]
    return [entry.result for entry in pending]


def _prepare(item, options):
    """The item's draft, or its failure: everything checked before any write.
    The draft is normalised as `services.article_save` would (sanitised body,
    content hash, who changed it): duplicates are found by that hash."""
    try:
        code = _checked_language(options["language"] or item.language)
    except ValueError as error:
        return _Pending(item, result=_failed(item, error))
    article = _article_from_item(item, language=code)
    services.article_prepare(article=article, user=options["user"])
    return _Pending(item, article=article)


def _failed(item, error):
    return ImportResult(item.name, "failed", message=f"{item.name}: {error}")


def _refused(entry, error):
    """A lone item the database refused; a unique hash means another import won."""
    if isinstance(error, IntegrityError) and entry.article is not None:
        existing = _with_hashes([entry.article.content_hash]).first()
        if existing is not None:
            return _duplicate(entry.item, existing)
    return _failed(entry.item, f"the database refused it ({error})")


def _duplicate(item, existing):
    return ImportResult(item.name, "duplicate", existing, "already imported")


# ------------------------------------------------------------------ writing


def _write(pending, options, names=None):
    """Write the drafts of one batch; runs inside the batch's transaction.
    `names`: the names found in their texts meanwhile (`_NameFinder`), if any."""
    new = _mark_duplicates(pending)
    if new:
        articles = _ready_to_insert(new, options)
        Article.objects.bulk_create(articles)
        _complete(new, options, names)
    for entry in new:
        entry.result = _created(entry)


def _ready_to_insert(new, options):
    """Sources, near duplicates, slugs and the fields a save would set."""
    _assign_sources(new, options["source_name"])
    _flag_near_duplicates(new)
    articles = [entry.article for entry in new]
    _assign_slugs(articles)
    for article in articles:
        _fill_for_save(article, options)
    return articles


def _complete(new, options, names=None):
    """What follows the insert: status changes, tags, links, index, history."""
    articles = [entry.article for entry in new]
    if options["publish"]:
        _record_publication(articles, options["user"])
    if options["tag"]:
        counts = _apply_tags(articles, names)
        for entry in new:
            entry.suggestions = counts[entry.article.pk]
    _link_new_articles(new)
    reindex_articles([article.pk for article in articles])
    _record_revisions(articles, options["user"])


def _created(entry):
    article, other = entry.article, entry.duplicate_of
    if other is None:
        return ImportResult(entry.item.name, "created", article, "", entry.suggestions)
    message = f"nearly the same text as #{other.pk} “{other.title}”"
    return ImportResult(
        entry.item.name, "near_duplicate", article, message, entry.suggestions
    )


def _mark_duplicates(pending):
    """Items whose text is already there (or earlier in the batch) are duplicates;
    the others are returned. One query for the whole batch."""
    drafts = [entry for entry in pending if entry.result is None]
    hashes = {entry.article.content_hash for entry in drafts}
    known = {a.content_hash: a for a in _with_hashes(hashes)}
    new = []
    for entry in drafts:
        existing = known.get(entry.article.content_hash)
        if existing is not None:
            entry.result = _duplicate(entry.item, existing)
        else:
            known[entry.article.content_hash] = entry.article
            new.append(entry)
    return new


def _with_hashes(hashes):
    # The unique index on content_hash leaves out empty hashes: saying so lets
    # SQLite use it (else every lookup reads the whole table).
    articles = Article.objects.exclude(content_hash="").order_by()
    return articles.filter(content_hash__in=hashes)


def _assign_sources(new, source_name):
    """The publisher of each draft (found by name or created), and its language."""
    sources = {}
    for entry in new:
        name = (source_name or entry.item.source_name).strip()[:200]
        if name.casefold() not in sources:
            sources[name.casefold()] = source_get_or_create(name=name)
        article = entry.article
        article.source = sources[name.casefold()]
        source_language = article.source.default_language if article.source else ""
        article.language = article.language or source_language or "en"


def _fill_for_save(article, options):
    """What `services.article_save` sets on a new article besides what
    `_prepare` did; publishing on import dates the article at its original's
    day, else now."""
    article.version = 1
    if options["publish"]:
        article.status = Article.Status.PUBLISHED
        article.published_at = article.published_at or timezone.now()


def _record_publication(articles, user):
    """One ArticleTransition per article published on import (draft -> published)."""
    before = {"status": Article.Status.DRAFT, "published_at": None}
    ArticleTransition.objects.bulk_create(
        ArticleTransition(
            article=article,
            from_status=Article.Status.DRAFT,
            to_status=Article.Status.PUBLISHED,
            user=user if user is not None and user.is_authenticated else None,
            note=services._transition_note(before, article, "")[:300],
        )
        for article in articles
    )


def _link_new_articles(new):
    """Possible duplicates and stories that point at articles of the same batch
    are set once every article has its id."""
    changed = []
    for entry in new:
        if entry.duplicate_of is not None:
            entry.article.possible_duplicate_of = entry.duplicate_of
        if entry.duplicate_of is not None or entry.article.story is not None:
            changed.append(entry.article)
    if changed:
        Article.objects.bulk_update(changed, ["possible_duplicate_of", "story"])


def _apply_tags(articles, names=None):
    """Apply the suggestions of known entities (and same-story links) to each new
    article, in import order, so a later article sees the tags of earlier ones.
    Returns the number applied per article id. `names` (`_FoundNames`), if
    given, holds the names found in the texts, with the catalog they come from."""
    catalog = names.catalog if names is not None else name_catalog()
    lookups = BatchLookups(articles)
    applied, rows = {}, defaultdict(list)
    for article in articles:
        found = suggest_for_article(
            article,
            catalog=catalog,
            lookups=lookups,
            new_people=False,
            names=names.of(article) if names is not None else None,
        )
        found = [suggestion for suggestion in found if suggestion.entity is not None]
        for suggestion in found:
            if suggestion.kind == "story":
                article.story = suggestion.entity
        for kind, row in tag_rows(article, found):
            rows[kind].append(row)
        lookups.remember(article, found)
        applied[article.pk] = len(found)
    insert_tag_rows(rows)
    return applied


class _NameFinder:
    """Finds the known names in the texts of each batch in a forked process,
    which starts with this process's name catalog, while this process checks,
    inserts and links the batch: most of the work of tag suggestions, done
    beside the rest of the import on a second core.

    A batch of fewer than FIND_NAMES_FROM items is left to `_apply_tags`.
    A new catalog (an entity changed between batches) means a new process.
    """

    def __init__(self):
        self.catalog, self.pool = None, None

    def start(self, size):
        """A `_FoundNames` for a batch of `size` items, to `send` its drafts
        to; None to find their names in this process."""
        if size < FIND_NAMES_FROM or not can_fork():
            return None
        catalog = name_catalog()
        if catalog is not self.catalog:
            self.close()
            self.catalog = catalog
            self.pool = forked_pool(1, initializer=_use_catalog, initargs=(catalog,))
        return _FoundNames(catalog, self.pool)

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.pool = None


def _tagged_text(article):
    return article.title, article.lead, article.body


class _FoundNames:
    """The names found in a batch's texts by the finder's process."""

    def __init__(self, catalog, pool):
        self.catalog, self.pool = catalog, pool
        self.chunks = []  # the finder's task for each chunk of texts sent
        self.positions = {}  # text -> (chunk number, position in the chunk)
        self.found = {}  # chunk number -> its NamesFound, or None if it failed

    def send(self, articles):
        """Have the names in the texts of `articles` found."""
        texts = [_tagged_text(article) for article in articles]
        number = len(self.chunks)
        try:
            chunk = self.pool.submit(_find_names, texts)
        except Exception:
            # A finder that died on an earlier chunk takes no more: these
            # texts' names are found here.
            logger.warning("Finding names in another process failed", exc_info=True)
            return
        self.chunks.append(chunk)
        for offset, text in enumerate(texts):
            self.positions[text] = (number, offset)

    def of(self, article):
        """The article's `NamesFound`, or None (then `_apply_tags` finds them)
        when its text is not one sent, or the process failed."""
        position = self.positions.get(_tagged_text(article))
        if position is None:
            return None
        number, offset = position
        if number not in self.found:
            self.found[number] = self._results(self.chunks[number])
        found = self.found[number]
        return found[offset] if found is not None else None

    @staticmethod
    def _results(chunk):
        try:
            found, folded = chunk.result()
        except Exception:
            # Anything the other process could not do is done here instead.
            logger.warning("Finding names in another process failed", exc_info=True)
            return None
        # The next finder is forked from this process: it starts with the
        # words this one has already folded.
        remember_keys(folded)
        return found


# The name catalog of a finder process, inherited from the importing one.
_catalog = None


def _use_catalog(catalog):
    global _catalog
    _catalog = catalog


def _find_names(texts):
    return names_in(texts, _catalog)


def _record_revisions(articles, user):
    """One revision holding the first version of every article of the batch, with
    its tags, in the rows `reversion.add_to_revision` would write (two inserts).
    New articles have no images yet: there are no inline rows to follow. As
    `add_to_revision` after a save, the articles are serialised as they are in
    memory: the insert and the links wrote exactly these values."""
    options = reversion.revisions._get_options(Article)
    ids = [article.pk for article in articles]
    author = user if user is not None and user.is_authenticated else None
    revision = Revision.objects.create(date_created=timezone.now(), user=author)
    content_type = ContentType.objects.get_for_model(Article)
    serializer = _TagIdsJSONSerializer(_tag_ids(ids))
    Version.objects.bulk_create(
        Version(
            revision=revision,
            content_type=content_type,
            object_id=str(article.pk),
            db=router.db_for_write(Article, instance=article),
            format=options.format,
            serialized_data=serializer.serialize([article], fields=options.fields),
            object_repr=str(article),
        )
        for article in articles
    )


def _tag_ids(ids):
    """Tag field -> article id -> the ids of its tags, in the order the serializer
    lists them (each entity model's default ordering): one query per tag table,
    reading ids only."""
    found = {}
    for name in TAG_FIELDS.values():
        field = Article._meta.get_field(name)
        entity = field.m2m_reverse_field_name()
        ordering = default_order_through(entity, field.related_model)
        rows = field.remote_field.through.objects.filter(article_id__in=ids)
        rows = rows.order_by(*ordering, f"{entity}_id")
        found[name] = defaultdict(list)
        for article_id, pk in rows.values_list("article_id", f"{entity}_id"):
            found[name][article_id].append(pk)
    return found


class _TagIdsJSONSerializer(JSONSerializer):
    """Django's JSON serializer (reversion's format for articles), taking tag ids
    read beforehand (`_tag_ids`): the stock one runs a query per article and
    many-to-many field."""

    def __init__(self, tag_ids):
        super().__init__()
        self.tag_ids = tag_ids

    def handle_m2m_field(self, obj, field):
        self._current[field.name] = self.tag_ids[field.name].get(obj.pk, [])

    def end_object(self, obj):
        # The same text as the stock `json.dump`, which encodes piece by piece
        # in Python; `json.dumps` encodes the whole object in C.
        if self.options.get("indent"):
            return super().end_object(obj)
        if not self.first:
            self.stream.write(", ")
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs))
        self._current = None


# ---------------------------------------------------------------- drafts


def _article_from_item(item, *, language):
    return Article(
        title=(item.title or fallback_title(item.lead or item.plain_text()))[:300],
        lead=item.lead,
        body=item.body,
        language=language,
        source_url=item.source_url[:500] if _is_http(item.source_url) else "",
        byline=item.byline[:200],
        dateline_place=item.dateline_place[:120],
        photo_credit="; ".join(item.photo_credits)[:300],
        published_at=_noon(item.published_on),
        status=Article.Status.DRAFT,
    )


def _checked_language(code):
    """The given code, or "" to fall back to the source's language; else ValueError."""
    code = (code or "").strip()
    if code and (len(code) > 12 or not LANGUAGE_RE.fullmatch(code)):
        raise ValueError(f"“{code[:20]}” is not a language code such as en or de.")
    return code


def _is_http(url):
    return bool(re.match(r"https?://[^\s]+$", url or ""))


def _noon(day):
    # The original's publication day; noon keeps it on that day in any time zone.
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def fallback_title(text):
    """The first sentence, shortened at a word: a draft needs a title to be edited."""
    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    if len(sentence) <= 120:
        return sentence.rstrip(".")
    return sentence[:120].rsplit(" ", 1)[0] + "…"


def source_get_or_create(*, name):
    """The publisher called `name` (case and accents ignored), created when new."""
    if not name:
        return None
    name = name[:200]
    found = Source.objects.filter(name__iexact=name).first()
    found = found or Source.objects.filter(slug=slug_base(name)).first()
    return found or Source.objects.create(name=name)


def _assign_slugs(articles):
    """The slug `Article.save` would give each article (base, base-2, base-3...:
    the first one free), in one query, plus one when some are taken."""
    bases = [slug_base(article.title, SLUG_LENGTH) for article in articles]
    taken = set(_slugs(slug__in=set(bases)))
    repeated = {base for base, count in Counter(bases).items() if count > 1}
    clashing = sorted(repeated | (taken & set(bases)))
    # A chunk of prefixes per query: SQLite bounds the depth of one expression.
    for start in range(0, len(clashing), 100):
        numbered = Q()
        for base in clashing[start : start + 100]:
            numbered |= Q(slug__startswith=f"{base}-")
        taken |= set(_slugs(numbered))
    for article, base in zip(articles, bases, strict=True):
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        article.slug = slug


def _slugs(*conditions, **lookups):
    slugs = Article.objects.filter(*conditions, **lookups).order_by()
    return slugs.values_list("slug", flat=True)


# ------------------------------------------------------------- near duplicates


def words(text):
    text = re.sub(r"<[^>]+>", " ", html.unescape(text or ""))
    return re.findall(r"[a-z0-9]+", transliterate(text).casefold())


def shingles(text, size=3):
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 1))}


def jaccard(first, second):
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def _full_text(article):
    return f"{article.title}\n{article.lead}\n{article.body}"


def _flag_near_duplicates(new):
    """Point each draft at an earlier article with nearly the same text, if any.

    Each is compared with the CANDIDATE_LIMIT most recent articles of its
    language, the batch's earlier ones included: of those whose title or lead
    shares at least half its words, up to TEXT_COMPARISONS have their whole text
    compared by shingles.
    """
    drafts = [_Candidate(entry.article.title, entry.article.lead) for entry in new]
    by_language = defaultdict(list)
    for entry, draft in zip(new, drafts, strict=True):
        draft.article = entry.article
        by_language[entry.article.language].append(draft)
    recent = {language: _Recent(language, ds) for language, ds in by_language.items()}
    for entry, draft in zip(new, drafts, strict=True):
        entry.duplicate_of = recent[entry.article.language].check_and_add(draft)


class _Candidate:
    """An article as the near-duplicate check sees it: the words of its title and
    of the start of its lead, its text's shingles once needed."""

    __slots__ = ("article", "lead", "pk", "rank", "shingles", "title")

    def __init__(self, title, lead, pk=None):
        self.pk, self.article, self.rank, self.shingles = pk, None, 0, None
        self.title, self.lead = set(words(title)), set(words(lead[:1000]))

    def is_close(self, other):
        """Whether the titles or the leads overlap by TITLE_OVERLAP (Jaccard)."""
        return _overlap_reached(self.title, other.title) or _overlap_reached(
            self.lead, other.lead
        )

    def text_shingles(self):
        if self.shingles is None:
            self.shingles = shingles(_full_text(self.article))
        return self.shingles


def _overlap_reached(first, second):
    """jaccard(first, second) >= TITLE_OVERLAP, without a division: this runs
    for every candidate found."""
    shared = len(first & second)
    union = len(first) + len(second) - shared
    return bool(shared) and shared >= TITLE_OVERLAP * union


class _WordOrder:
    """Words rarest first (then alphabetically), the fixed order prefix
    filtering needs; one serves every index of a check."""

    def __init__(self, counts):
        self.counts = counts  # word -> number of candidates using it
        # As positions: sorting each set by them costs a third of sorting by
        # (count, word).
        ordered = sorted(counts, key=lambda word: (counts[word], word))
        self.positions = {word: position for position, word in enumerate(ordered)}

    def prefix(self, found):
        """The first |x| - ceil(t * |x|) + 1 words of `found` in this order."""
        try:
            ordered = sorted(found, key=self.positions.__getitem__)
        except KeyError:  # a word no candidate uses: rarest of all, as before
            ordered = sorted(found, key=lambda word: (self.counts[word], word))
        return ordered[: len(found) - math.ceil(TITLE_OVERLAP * len(found)) + 1]


class _SimilarSets:
    """Finds the sets whose Jaccard similarity to a given set may reach
    TITLE_OVERLAP, without comparing it with every set (prefix filtering).

    Two sets that similar share a word among the first |x| - ceil(t * |x|) + 1
    words of each, in any fixed order of words (`_WordOrder`); rarest first
    keeps the lists short. Callers check the similarity of what is returned.
    """

    def __init__(self, order):
        self.order = order
        self.by_word = defaultdict(list)

    def add(self, found, candidate):
        for word in self.order.prefix(found):
            self.by_word[word].append(candidate)

    def similar(self, found):
        words = self.order.prefix(found)
        return {c for word in words for c in self.by_word.get(word, ())}


class _Recent:
    """The near-duplicate candidates of one language: the most recent articles
    (read once), then each draft of the batch once it has been checked."""

    def __init__(self, language, drafts):
        rows = Article.objects.filter(language=language).order_by("-pk")
        rows = rows.values_list("pk", "title", "lead")[:CANDIDATE_LIMIT]
        stored = [_Candidate(title, lead, pk) for pk, title, lead in rows]
        self.stored = {candidate.pk: candidate for candidate in stored}
        everything = stored + drafts
        counts = Counter(w for c in everything for w in c.title | c.lead)
        order = _WordOrder(counts)
        self.titles, self.leads = _SimilarSets(order), _SimilarSets(order)
        self.count = 0
        for candidate in reversed(stored):  # oldest first: rank grows with recency
            self._add(candidate)

    def _add(self, candidate):
        candidate.rank, self.count = self.count, self.count + 1
        self.titles.add(candidate.title, candidate)
        self.leads.add(candidate.lead, candidate)

    def check_and_add(self, draft):
        """The most recent candidate whose text is nearly the draft's, or None."""
        close = self._close_to(draft)[:TEXT_COMPARISONS]
        self._add(draft)
        if not close:
            return None
        if any(candidate.article is None for candidate in close):
            self._read_texts()
        mine = draft.text_shingles()
        for candidate in close:
            if jaccard(mine, candidate.text_shingles()) >= NEAR_DUPLICATE_THRESHOLD:
                return candidate.article
        return None

    def _read_texts(self):
        """The text of every candidate from before the batch, in one query: once
        one is needed, others usually are too."""
        texts = Article.objects.filter(pk__in=self.stored).order_by()
        for article in texts.only("title", "lead", "body"):
            self.stored[article.pk].article = article

    def _close_to(self, draft):
        """Of the CANDIDATE_LIMIT most recent candidates, those whose title or lead
        shares at least half its words with the draft's, newest first."""
        oldest = self.count - CANDIDATE_LIMIT
        found = self.titles.similar(draft.title) | self.leads.similar(draft.lead)
        close = [c for c in found if c.rank >= oldest and c.is_close(draft)]
        return sorted(close, key=lambda candidate: -candidate.rank)
