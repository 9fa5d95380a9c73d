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


def _claim_version(instance, expected):
    """Bump the version only if it is still `expected`: a conditional UPDATE, so
    two concurrent saves cannot both win on SQLite or PostgreSQL."""
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if not rows.filter(version=expected).update(version=F("version") + 1):
        raise StaleEntityVersionError(rows.values_list("version", flat=True).first())


@transaction.atomic
def entity_save(*, instance, expected_version=None, relations=None):
    """Create or update `instance` and set its many-to-many `relations` (a dict of
    field name to objects); a stale `expected_version` raises and writes nothing."""
    if instance.pk is None:
        instance.version = 1
    else:
        expected = instance.version if expected_version is None else expected_version
        _claim_version(instance, expected)
        instance.version = expected + 1
    instance.save()
    for field, objects in (relations or {}).items():
        getattr(instance, field).set(objects)
    return instance
