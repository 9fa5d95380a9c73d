"""Two editors, one article: what to tell the one whose save came second."""

from dataclasses import dataclass

from django.utils import timezone

from .history import (
    changes_between,
    diff_fields,
    instance_values,
    version_values,
    version_with_number,
)
from .models import Article


@dataclass(frozen=True)
class Conflict:
    loaded: int
    current: int
    message: str
    heading: str
    changes: list


def _submitted_values(cleaned, stored):
    """The editor's submission in the shape of instance_values()."""
    values = dict(stored)
    for field in diff_fields(Article):
        if field.name not in cleaned:
            continue
        value = cleaned[field.name]
        if field.many_to_many:
            value = sorted(obj.pk for obj in value)
        elif field.many_to_one:
            value = value.pk if value else None
        values[field.name] = value
    return values


def _message(article, loaded, current):
    who = article.updated_by or "Someone else"
    when = timezone.localtime(article.updated_at).strftime("%Y-%m-%d %H:%M")
    return (
        f"{who} saved this article at {when} while you were editing it (you loaded "
        f"version {loaded}; it is now version {current}). Nothing was saved. Your "
        "text is still in the form below and their changes are listed above it. "
        "Merge what you need, then save again: that save replaces their version."
    )


def stale_conflict(article, loaded, cleaned):
    """A Conflict when `article` (as stored now) is newer than version `loaded`."""
    current = (
        Article.objects.filter(pk=article.pk).values_list("version", flat=True).first()
    )
    if current is None or current == loaded:
        return None
    stored = instance_values(article)
    snapshot = version_with_number(article, loaded)
    if snapshot is not None:
        heading = f"What changed since you loaded version {loaded}"
        changes = changes_between(Article, version_values(snapshot), stored)
    else:
        heading = "Where the stored article differs from your text"
        changes = changes_between(Article, _submitted_values(cleaned, stored), stored)
    return Conflict(
        loaded, current, _message(article, loaded, current), heading, changes
    )
