"""Names for the search box: entity autocomplete and "did you mean" for misspellings."""

import difflib

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


def _name_vocabulary():
    """Folded words of every entity name and alias -> a display spelling."""
    vocabulary = {}
    for _kind, model, _label, fields in _entity_sources():
        for row in model.objects.values_list(*fields)[:VOCABULARY_LIMIT]:
            for value in row:
                for word in (value or "").split():
                    for folded in text.words(word):
                        vocabulary.setdefault(folded, word.strip(".,;:()"))
    return vocabulary


def _closest_sqlite(word, vocabulary):
    matches = difflib.get_close_matches(word, list(vocabulary), n=1, cutoff=0.75)
    return vocabulary[matches[0]] if matches else None


TRIGRAM_SQL = """
SELECT word FROM (
  SELECT DISTINCT regexp_split_to_table(
    portal_fold(concat_ws(' ', full_name, aliases)), '[^[:alnum:]]+') AS word
  FROM relations_person
  UNION SELECT regexp_split_to_table(
    portal_fold(concat_ws(' ', name, aliases)), '[^[:alnum:]]+') FROM relations_country
  UNION SELECT regexp_split_to_table(
    portal_fold(concat_ws(' ', name, acronym, aliases)), '[^[:alnum:]]+')
  FROM relations_organization
) names
WHERE length(word) > 2 AND similarity(word, %s) >= %s
ORDER BY similarity(word, %s) DESC, word LIMIT 1
"""


def _closest_postgres(word):
    with connection.cursor() as cursor:
        cursor.execute(TRIGRAM_SQL, [word, SIMILARITY, word])
        row = cursor.fetchone()
    return row[0].capitalize() if row else None


def did_you_mean(groups):
    """The query with each unknown word replaced by the closest entity name word,
    or None when nothing better is known. Only called when a search found nothing."""
    words = [group[0] for group in groups]
    if connection.vendor == "postgresql":
        closest = {word: _closest_postgres(word) for word in words}
    else:
        vocabulary = _name_vocabulary()
        closest = {
            word: None if word in vocabulary else _closest_sqlite(word, vocabulary)
            for word in words
        }
    if not any(closest.values()):
        return None
    suggestion = [closest[word] or word for word in words]
    if [text.fold(word) for word in suggestion] == words:
        return None
    return " ".join(suggestion)
