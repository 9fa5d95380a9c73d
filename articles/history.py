"""Revisions of articles and entities (django-reversion): registration, readable
field-by-field diffs between any two states, and restoring an entity's version."""

import difflib
import re
from dataclasses import dataclass

import reversion
from django.apps import apps
from django.db import models, transaction
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from reversion.models import Version

# Fields that change on every save or are derived: never shown in a diff.
NOISE_FIELDS = {
    "version",
    "updated_at",
    "updated_by",
    "created_at",
    "created_by",
    "content_hash",
    "width",
    "height",
}
# Fields holding HTML (compared with their tags set apart from the words).
HTML_FIELDS = {"body"}
# Model -> the inline rows stored with each of its versions.
FOLLOW = {
    "articles.Article": ["images"],
    "relations.Person": ["positions"],
    "relations.Event": ["participations"],
    "relations.BilateralRelation": ["milestones"],
}
VERSIONED_MODELS = [
    "articles.Source",
    "articles.Article",
    "articles.ArticleImage",
    "relations.Country",
    "relations.Organization",
    "relations.Person",
    "relations.Position",
    "relations.Event",
    "relations.Participation",
    "relations.Agreement",
    "relations.BilateralRelation",
    "relations.Milestone",
    "relations.Topic",
]
WORD = re.compile(r"\s+|[^\s]+")
TAG = re.compile(r"<[^>]+>")


def register_models():
    """Put every article and entity model under version control (once)."""
    for label in VERSIONED_MODELS:
        model = apps.get_model(label)
        if not reversion.is_registered(model):
            reversion.register(model, follow=FOLLOW.get(label, ()))


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    html: str  # escaped, with <del>/<ins> around what changed


def diff_fields(model):
    opts = reversion.revisions._get_options(model)
    return [
        model._meta.get_field(name)
        for name in opts.fields
        if name not in NOISE_FIELDS and name != model._meta.pk.name
    ]


def instance_values(obj):
    """The current stored values of `obj`, in the shape of Version.field_dict."""
    values = {}
    for field in diff_fields(type(obj)):
        if field.many_to_many:
            values[field.name] = sorted(
                getattr(obj, field.name).values_list("pk", flat=True)
            )
        else:
            values[field.name] = getattr(obj, field.attname)
    return values


def version_values(version):
    """The values stored in a reversion Version, keyed like instance_values()."""
    stored = version.field_dict
    model = version._model
    values = {}
    for field in diff_fields(model):
        value = stored.get(field.attname, stored.get(field.name))
        values[field.name] = sorted(value or []) if field.many_to_many else value
    return values


def _display(field, value):
    """Human text for one stored value (names for relations, labels for choices)."""
    if value in (None, "", []):
        return ""
    if field.many_to_many or field.many_to_one:
        ids = value if field.many_to_many else [value]
        related = field.related_model._base_manager.in_bulk(ids)
        return "\n".join(
            str(related[i]) if i in related else f"(deleted #{i})" for i in ids
        )
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", value))
    return str(value)


def _as_text(field, value):
    text = _display(field, value)
    if field.name in HTML_FIELDS:
        # Each tag on its own line, so a diff shows words changed, not markup.
        return TAG.sub(lambda m: f"\n{m.group(0)}\n", text).strip()
    return text


def html_diff(old, new):
    """Word-level diff of two strings, escaped, changes wrapped in <del>/<ins>."""
    old_words, new_words = WORD.findall(old), WORD.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_words[a1:a2]), "".join(new_words[b1:b2])
        if op == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(format_html("<del>{}</del>", removed))
        if added:
            parts.append(format_html("<ins>{}</ins>", added))
    return mark_safe("".join(parts))


def changes_between(model, old_values, new_values):
    """FieldChange for every field whose value differs between two states."""
    changes = []
    for field in diff_fields(model):
        old, new = old_values.get(field.name), new_values.get(field.name)
        if _normalise(old) == _normalise(new):
            continue
        html = html_diff(_as_text(field, old), _as_text(field, new))
        label = str(field.verbose_name).capitalize()
        changes.append(FieldChange(field.name, label, html))
    return changes


def _normalise(value):
    return "" if value in (None, [], "") else value


def versions_for(obj):
    """The object's versions, newest first, with who made each."""
    return Version.objects.get_for_object(obj).select_related(
        "revision", "revision__user"
    )


def version_with_number(obj, number, *, limit=200):
    """The stored version whose `version` field equals `number` (articles only)."""
    for version in versions_for(obj)[:limit]:
        if version.field_dict.get("version") == number:
            return version
    return None


def _child_versions(version):
    """Versions of the object's inline rows saved in the same revision."""
    model = version._model
    follow = FOLLOW.get(model._meta.label, [])
    child_models = [model._meta.get_field(name).related_model for name in follow]
    return [
        child
        for child in version.revision.version_set.all()
        if child._model in child_models
    ]


@transaction.atomic
def entity_restore(*, version, user=None):
    """Bring an entity (not an article: see services.article_restore) back to
    `version`: its fields, tags and the inline rows stored with it. Rows added
    since are kept, so a restore never deletes anything."""
    if version._model._meta.label == "articles.Article":
        raise ValueError("Articles are restored with services.article_restore.")
    with reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(
            f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}."
        )
        version.revert()
        for child in _child_versions(version):
            child.revert()
    return version._model._base_manager.get(pk=version.object_id)
