"""Filter keys: an article's tags as tokens of its search index row.

A key names one tag of an article, so that a search narrowed to tags is
answered inside the full-text index: FTS5 or the GIN index intersects the
word's articles with the tag's (docs/search.md, "The two engines" and
"PostgreSQL storage"). The prefix is a private-use character: the words of
articles and queries hold letters and digits only (`text.WORD`), so no text can
produce a key and no search box can type one.
"""

KEY_PREFIX = "\ue000"
# Countries are filtered by their code, every other tag by its id.
KEYED_BY = {"countries": "code"}


def filter_key(field_name, value):
    """The key of the articles tagged through `field_name` with the entity
    whose id (a country: code) is `value`; None for a value that is not plain
    letters and digits, which the tokenizer would split."""
    value = str(value).lower()
    if not (value.isascii() and value.isalnum()):
        return None
    return f"{KEY_PREFIX}{field_name}{value}"


def entity_key(field_name, entity):
    """The key of the articles tagged with `entity` through `field_name`."""
    return filter_key(field_name, getattr(entity, KEYED_BY.get(field_name, "pk")))
