"""Names for the search box: entity autocomplete and "did you mean" for misspellings."""

import difflib

from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from . import text

SUGGEST_LIMIT = 8
VOCABULARY_LIMIT = 50_000
SIMILARITY = 0.4


def _entity_sources():
    from relations.models import Country, Event, Organization, Person

    return [
        ("person", Person, "full_name", ("full_name", "aliases")),
        ("country", Country, "name", ("name", "aliases")),
        ("organization", Organization, "name", ("name", "acronym", "aliases")),
        ("event", Event, "title", ("title",)),
    ]


def _filter_value(kind, entity):
    return entity.code.lower() if kind == "country" else entity.slug


def suggest_entities(query, limit=SUGGEST_LIMIT):
    """People, countries, organizations and events whose name or alias contains
    the query as typed or folded (Əliyev finds Aliyev). One query per kind."""
    raw = " ".join((query or "").split())[:100]
    folded = " ".join(text.words(raw))
    if len(folded) < 2:
        return []
    found = []
    for kind, model, label_field, fields in _entity_sources():
        condition = Q()
        for name in fields:
            for needle in {raw, folded}:
                condition |= Q(**{f"{name}__icontains": needle})
        for entity in model.objects.filter(condition).order_by(label_field)[:limit]:
            found.append(
                {
                    "kind": kind,
                    "label": str(entity),
                    "param": kind,
                    "value": _filter_value(kind, entity),
                    "url": entity.get_absolute_url(),
                }
            )
    return found


VOCABULARY_CACHE_KEY = "search:name-vocabulary"
VOCABULARY_SECONDS = 300


def _name_vocabulary():
    """Folded name words -> display spelling, cached for a few minutes (it only
    feeds suggestions; new aliases are searchable at once through the index)."""
    vocabulary = cache.get(VOCABULARY_CACHE_KEY)
    if vocabulary is None:
        vocabulary = _build_vocabulary()
        cache.set(VOCABULARY_CACHE_KEY, vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def forget_vocabulary():
    cache.delete(VOCABULARY_CACHE_KEY)


def _build_vocabulary():
    vocabulary = {}
    for _kind, model, _label, fields in _entity_sources():
        for row in model.objects.values_list(*fields)[:VOCABULARY_LIMIT]:
            for value in row:
                for word in (value or "").split():
                    for folded in text.words(word):
                        vocabulary.setdefault(folded, word.strip(".,;:()"))
    return vocabulary


def _closest_sqlite(word, vocabulary):
    near = _near(word, vocabulary)
    matches = difflib.get_close_matches(word, near, n=1, cutoff=0.75)
    return vocabulary[matches[0]] if matches else None


def _near(word, vocabulary):
    # Bounded: only words of about the same length sharing the first letter.
    return [
        known
        for known in vocabulary
        if known[:1] == word[:1] and abs(len(known) - len(word)) <= 2
    ]


def _closest_postgres(word, vocabulary):
    """pg_trgm similarity between the word and the nearby name words."""
    near = _near(word, vocabulary)
    if not near:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT known FROM unnest(%s::text[]) AS known "
            "WHERE similarity(known, %s) >= %s "
            "ORDER BY similarity(known, %s) DESC, known LIMIT 1",
            [near, word, SIMILARITY, word],
        )
        row = cursor.fetchone()
    return vocabulary[row[0]] if row else None


def did_you_mean(groups):
    """The query with each unknown word replaced by the closest entity name word,
    or None when nothing better is known. Only called when a search found nothing."""
    words = [group[0] for group in groups]
    vocabulary = _name_vocabulary()
    closest_in = (
        _closest_postgres if connection.vendor == "postgresql" else _closest_sqlite
    )
    closest = {
        word: None if word in vocabulary else closest_in(word, vocabulary)
        for word in words
    }
    if not any(closest.values()):
        return None
    suggestion = [closest[word] or word for word in words]
    if [text.fold(word) for word in suggestion] == words:
        return None
    return " ".join(suggestion)
