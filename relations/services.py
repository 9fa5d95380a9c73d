"""Writes to entities (people, countries, organizations, events, agreements, topics)."""

from django.db import transaction
from django.db.models import F


class StaleEntityVersionError(Exception):
    """The entity changed since the editor loaded it; nothing was written."""

    def __init__(self, current_version):
        super().__init__(
            f"This record was changed by someone else (now version {current_version})."
        )
        self.current_version = current_version


def _indexed(entity, field_name):
    """What the search index holds of `entity` in each article tagged with it
    through `field_name`: its names and its filter keys (a country's names its
    code, an event's its kind: articles.search.keys)."""
    from articles.search.keys import entity_keys

    names = entity.all_names() if hasattr(entity, "all_names") else [str(entity)]
    return names, entity_keys(field_name, entity)


def _claim_version(entity, expected):
    """Bump the version only if it is still `expected`: a conditional UPDATE, so
    two concurrent saves cannot both win on SQLite or PostgreSQL."""
    rows = type(entity)._default_manager.filter(pk=entity.pk)
    if not rows.filter(version=expected).update(version=F("version") + 1):
        raise StaleEntityVersionError(rows.values_list("version", flat=True).first())


def _advance_version(entity, expected_version):
    if not hasattr(entity, "version"):
        return
    if entity.pk is None:
        entity.version = 1
        return
    expected = entity.version if expected_version is None else expected_version
    _claim_version(entity, expected)
    entity.version = expected + 1


@transaction.atomic
def entity_save(*, entity, expected_version=None, relations=None):
    """Create or update `entity` and set its many-to-many `relations` (a dict of
    field name to objects); a stale `expected_version` raises and writes nothing.

    When its name, aliases, (a country) code or (an event) kind changed, the
    articles tagged with it are reindexed in the same transaction, so a new
    spelling is searchable and the code or kind filters at once. That costs one
    index write per tagged article.
    """
    from articles.models import TAG_FIELDS_BY_MODEL, Article
    from articles.search import reindex_articles

    model = type(entity)
    before = model._default_manager.filter(pk=entity.pk).first() if entity.pk else None
    _advance_version(entity, expected_version)
    entity.save()
    for field, objects in (relations or {}).items():
        getattr(entity, field).set(objects)
    tag_field = TAG_FIELDS_BY_MODEL.get(model)
    if (
        tag_field
        and before is not None
        and _indexed(before, tag_field) != _indexed(entity, tag_field)
    ):
        reindex_articles(
            Article.objects.mentioning(entity).values_list("pk", flat=True)
        )
    return entity
