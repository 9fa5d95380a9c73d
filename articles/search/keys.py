"""Filter keys: what a search can be narrowed by, as tokens of an article's
search index row.

A key names one tag of an article (a country, a person...), the kind of one of
its events, or one value of its own fields the search page filters by (its
source, its language, the year it was published), so that a search narrowed
by them is answered inside the full-text index: FTS5 or the GIN index
intersects the word's articles with the key's (docs/search.md, "The two
engines" and "PostgreSQL storage"). The prefix is a private-use character: the
words of articles and queries hold letters and digits only (`text.WORD`), so no
text can produce a key and no search box can type one.
"""

from django.utils import timezone

KEY_PREFIX = "\ue000"
# Countries are filtered by their code, every other tag by its id.
KEYED_BY = {"countries": "code"}
# The article's own fields with keys, beside its tags.
SOURCE, LANGUAGE, YEAR = "source", "language", "year"
# Tag fields whose entities also key their articles by one of their
# attributes: (the attribute, the key's field name). An event's kind
# ("state_visit": the key holds "statevisit").
KEYED_ALSO_BY = {"events": ("kind", "eventkind")}


def filter_key(field_name, value):
    """The key of the articles whose `field_name` (a tag field: the entity's
    id, a country's code; or SOURCE, LANGUAGE, YEAR) is `value`; None for a
    value that is not plain letters and digits, which the tokenizer would
    split."""
    value = str(value).lower()
    if not (value.isascii() and value.isalnum()):
        return None
    return f"{KEY_PREFIX}{field_name}{value}"


def entity_key(field_name, entity):
    """The key of the articles tagged with `entity` through `field_name`."""
    return filter_key(field_name, getattr(entity, KEYED_BY.get(field_name, "pk")))


def entity_keys(field_name, entity):
    """The keys that tagging an article with `entity` gives it: the entity's
    own and, for an event, its kind's (KEYED_ALSO_BY)."""
    keys = [entity_key(field_name, entity)]
    if field_name in KEYED_ALSO_BY:
        attribute, key_field = KEYED_ALSO_BY[field_name]
        keys.append(_attribute_key(key_field, getattr(entity, attribute)))
    return [key for key in keys if key]


def lookup_key(field_name, lookups):
    """The key of the articles tagged through `field_name` with any entity
    matching `lookups` ({attribute: value}), when one key names them all:
    the entity's id (a country's code) or, for an event, its kind; else
    None."""
    if len(lookups) != 1:
        return None
    ((attribute, value),) = lookups.items()
    if attribute == KEYED_BY.get(field_name, "pk"):
        return filter_key(field_name, value)
    also = KEYED_ALSO_BY.get(field_name)
    if also is not None and attribute == also[0]:
        return _attribute_key(also[1], value)
    return None


def _attribute_key(key_field, value):
    # A choice value's underscores would split it into two tokens.
    return filter_key(key_field, str(value).replace("_", ""))


def field_keys(article):
    """The keys of `article`'s source, language and year of publication."""
    keys = [filter_key(LANGUAGE, article.language)]
    if article.source_id is not None:
        keys.append(filter_key(SOURCE, article.source_id))
    if article.published_at is not None:
        keys.append(filter_key(YEAR, local_year(article.published_at)))
    return [key for key in keys if key]


def local_year(moment):
    """The year of `moment` in the site's time zone (TIME_ZONE), as the year
    facet and the year key count it."""
    return timezone.localtime(moment, timezone.get_default_timezone()).year


def year_key(year):
    """The key of the articles published in `year` as a filter in the current
    time zone means it; None when that zone is not the site's, in which the
    keys were written."""
    current = timezone.get_current_timezone_name()
    if current != timezone.get_default_timezone_name():
        return None
    return filter_key(YEAR, year)
