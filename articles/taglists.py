"""Several many-to-many tag lists of many objects, read in one query.

`prefetch_related("people", "countries", ...)` costs one query per relation; a
page showing an article's six kinds of tags, or cards with their countries and
people, reads them here in one UNION ALL query instead. The tags carry only the
fields a page shows (SHOWN_FIELDS); reading another field of one costs a query.
"""

from collections import defaultdict

from django.db.models import CharField, F, IntegerField, Value, Window
from django.db.models.functions import RowNumber

from relations.models import Agreement, Country, Event, Organization, Person, Topic

# Text fields a page shows of each kind of tag: name and what its URL needs.
SHOWN_FIELDS = {
    Person: ("full_name", "slug"),
    Country: ("name", "code"),
    Organization: ("name", "slug", "acronym"),
    Event: ("title", "slug"),
    Agreement: ("title", "slug"),
    Topic: ("name", "slug"),
}
# Every branch of the UNION selects this many text columns.
TEXT_COLUMNS = max(len(fields) for fields in SHOWN_FIELDS.values())
CARD_TAGS = ("countries", "people")


def load_tags(objects, fields):
    """Fill `obj.<field>.all()` for every object and every many-to-many `field`,
    in the order of the tag model's Meta.ordering, with one query. Returns the
    objects as a list."""
    objects = list(objects)
    if not objects or not fields:
        return objects
    model = type(objects[0])
    ids = [obj.pk for obj in objects]
    branches = [_branch(model, field, kind, ids) for kind, field in enumerate(fields)]
    rows = (
        branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    )
    tags = defaultdict(list)
    for owner, kind, rank, pk, *texts in rows:
        tags[owner, kind].append((rank, pk, texts))
    for obj in objects:
        for kind, field in enumerate(fields):
            found = sorted(tags[obj.pk, kind], key=lambda row: row[0])
            target = model._meta.get_field(field).related_model
            instances = [
                _instance(target, pk, texts, rows.db) for _, pk, texts in found
            ]
            _set_prefetched(obj, field, instances)
    return objects


def _branch(model, field_name, kind, ids):
    """(owner id, kind, rank, tag id, texts...) of one relation's rows for `ids`."""
    field = model._meta.get_field(field_name)
    rows, owner, prefix = _relation_rows(field, ids)
    tag_model = field.related_model
    shown = SHOWN_FIELDS[tag_model]
    texts = {f"tag_text{i}": F(f"{prefix}{name}") for i, name in enumerate(shown)}
    for index in range(len(shown), TEXT_COLUMNS):
        texts[f"tag_text{index}"] = Value("", output_field=CharField())
    order = [_order_by(prefix, name) for name in tag_model._meta.ordering]
    return rows.annotate(
        tag_owner=F(owner),
        tag_kind=Value(kind, output_field=IntegerField()),
        tag_rank=Window(RowNumber(), order_by=[*order, F(f"{prefix}pk").asc()]),
        tag_id=F(f"{prefix}pk"),
        **texts,
    ).values_list("tag_owner", "tag_kind", "tag_rank", "tag_id", *texts)


def _relation_rows(field, ids):
    """(rows linking `ids` to tags, owner id column, path from a row to its tag)."""
    if field.many_to_many and not field.auto_created:
        owner = field.m2m_column_name()
        rows = field.remote_field.through.objects
        prefix = f"{field.m2m_reverse_field_name()}__"
    elif field.one_to_many:  # a reverse foreign key: the tags are the rows
        owner = field.field.attname
        rows = field.related_model.objects
        prefix = ""
    else:
        raise ValueError(f"{field} is neither many-to-many nor a reverse foreign key")
    # A UNION's branches carry no ORDER BY (SQLite refuses it): the rank orders.
    return rows.filter(**{f"{owner}__in": ids}).order_by(), owner, prefix


def _order_by(prefix, name):
    if name.startswith("-"):
        return F(prefix + name[1:]).desc()
    return F(prefix + name).asc()


def _instance(model, pk, texts, db):
    """A `model` row holding its id and shown fields; the others are deferred."""
    # Texts beyond the model's shown fields are the UNION's padding.
    shown = dict(zip(SHOWN_FIELDS[model], texts, strict=False))
    present = {model._meta.pk.attname: pk, **shown}
    names = [f.attname for f in model._meta.concrete_fields if f.attname in present]
    return model.from_db(db, names, [present[name] for name in names])


def _set_prefetched(obj, field, instances):
    # What prefetch_related leaves behind, so `obj.<field>.all()` reads no rows.
    queryset = getattr(obj, field).get_queryset()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[field] = queryset
