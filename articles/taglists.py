"""Several many-to-many tag lists of many objects, read in one query.

`prefetch_related("people", "countries", ...)` costs one query per relation; a
page showing an article's six kinds of tags, or cards with their countries and
people, reads them here in one UNION ALL query instead. The tags carry only the
fields a page shows (SHOWN_FIELDS); reading another field of one costs a query.
"""

import functools
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.db.models.manager import BaseManager
from django.db.models.query_utils import DeferredAttribute

from relations.models import Agreement, Country, Event, Organization, Person, Topic

# Text fields a page shows of each kind of tag: name and what its URL needs.
SHOWN_FIELDS = {
    Person: ("full_name", "slug"),
    Country: ("name", "code", "slug"),
    Organization: ("name", "slug", "acronym"),
    Event: ("title", "slug"),
    Agreement: ("title", "slug"),
    Topic: ("name", "slug"),
}
# Every branch of the UNION selects this many text columns.
TEXT_COLUMNS = max(len(fields) for fields in SHOWN_FIELDS.values())
CARD_TAGS = ("countries", "people")


def load_tags(objects, fields):
    """Fill `obj.<field>.all()` for every object and every `field` (many-to-many,
    or a reverse foreign key), in the order of the tag model's Meta.ordering, with
    one query. Returns the objects as a list."""
    objects = list(objects)
    if not objects or not fields:
        return objects
    model, db = type(objects[0]), objects[0]._state.db or DEFAULT_DB_ALIAS
    ids = [obj.pk for obj in objects]
    sql = union_sql(model, tuple(fields), db).format(ids=", ".join(["%s"] * len(ids)))
    with connections[db].cursor() as cursor:
        cursor.execute(sql, ids * len(fields))
        rows = cursor.fetchall()
    tags = defaultdict(list)
    for owner, kind, rank, pk, *texts in rows:
        tags[owner, kind].append((rank, pk, texts))
    for kind, field in enumerate(fields):
        make = shown_maker(model._meta.get_field(field).related_model, db)
        for obj in objects:
            found = sorted(tags[obj.pk, kind], key=lambda row: row[0])
            instances = [make(pk, texts) for _, pk, texts in found]
            set_prefetched(obj, field, instances)
    return objects


@functools.cache
def union_sql(model, fields, db):
    """The UNION ALL of one branch per field, with `{ids}` for the owners' ids.

    Written out once per page shape: building it through the ORM took longer
    than running it.
    """
    connection = connections[db]
    branches = [
        _branch_sql(model, field, kind, connection) for kind, field in enumerate(fields)
    ]
    return " UNION ALL ".join(branches)


def _branch_sql(model, field_name, kind, connection):
    """(owner id, kind, rank, tag id, texts...) of one relation's rows."""
    quote = connection.ops.quote_name
    field = model._meta.get_field(field_name)
    tag_model = field.related_model
    tag_pk = quote(tag_model._meta.pk.column)
    if field.many_to_many and not field.auto_created:
        owner = f"l.{quote(field.m2m_column_name())}"
        links = quote(field.remote_field.through._meta.db_table)
        tags = quote(tag_model._meta.db_table)
        tag_id = f"l.{quote(field.m2m_reverse_name())}"
        if connection.vendor == "postgresql":
            # One primary key probe per link row. A plain join let PostgreSQL
            # hash the whole tag table for a page's few dozen links (1 ms for
            # 4,000 people, growing with the table); OFFSET 0 keeps the
            # subquery from being merged back into such a join.
            source = (
                f"{links} l CROSS JOIN LATERAL (SELECT * FROM {tags} t "
                f"WHERE t.{tag_pk} = {tag_id} OFFSET 0) t"
            )
        else:
            source = f"{links} l INNER JOIN {tags} t ON t.{tag_pk} = {tag_id}"
    elif field.one_to_many:  # a reverse foreign key: the tags are the rows
        owner = f"t.{quote(field.field.column)}"
        source = f"{quote(tag_model._meta.db_table)} t"
    else:
        raise ValueError(f"{field} is neither many-to-many nor a reverse foreign key")
    shown = [
        f"t.{quote(tag_model._meta.get_field(name).column)}"
        for name in SHOWN_FIELDS[tag_model]
    ]
    texts = shown + ["''"] * (TEXT_COLUMNS - len(shown))
    order = [_order_sql(tag_model, name, quote) for name in tag_model._meta.ordering]
    rank = f"ROW_NUMBER() OVER (ORDER BY {', '.join([*order, f't.{tag_pk}'])})"
    return (
        f"SELECT {owner}, {kind}, {rank}, t.{tag_pk}, {', '.join(texts)} "
        f"FROM {source} WHERE {owner} IN ({{ids}})"
    )


def _order_sql(model, name, quote):
    column = quote(model._meta.get_field(name.lstrip("-")).column)
    return f"t.{column} {'DESC' if name.startswith('-') else 'ASC'}"


def shown_instance(model, pk, texts, db):
    """A `model` row holding its id and shown fields; the others are deferred."""
    return shown_maker(model, db)(pk, texts)


def shown_maker(model, db):
    """`shown_instance` for many rows of `model`: a function of (pk, texts),
    with how to make them decided once."""
    fields, pk_name = SHOWN_FIELDS[model], model._meta.pk.attname
    names, plain = _loaded_names(model), _plain_init(model)

    def make(pk, texts):
        # Texts beyond the model's shown fields are the UNION's padding.
        present = dict(zip(fields, texts, strict=False))
        present[pk_name] = pk
        if plain:
            return _instance_of_plain_model(model, present, db)
        return model.from_db(db, names, [present[name] for name in names])

    return make


def _instance_of_plain_model(model, present, db):
    """What `model.from_db` makes of the fields in `present`, without
    Model.__init__'s walk over every field (8 us against under 1 us: a search
    page makes some 70 tags, an API page more)."""
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = db
    instance.__dict__.update(present)
    return instance


def _plain_init(model):
    """Whether making `model` runs nothing but Model's own code on plain
    fields: no __init__ or from_db of its own, no pre_init or post_init
    receivers, and every shown field read straight from the instance."""
    return (
        _plain_model(model)
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    )


@functools.cache
def _plain_model(model):
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and all(
            type(getattr(model, name)) is DeferredAttribute
            for name in _loaded_names(model)
        )
    )


@functools.cache
def _loaded_names(model):
    """The id and shown fields of `model`, in the order of its fields (as
    from_db takes them)."""
    loaded = {model._meta.pk.attname, *SHOWN_FIELDS[model]}
    return [f.attname for f in model._meta.concrete_fields if f.attname in loaded]


def tags_of(obj, field):
    """`obj.<field>.all()`, taken straight from what load_tags left when it
    did (making the related manager to ask it costs about 13 us)."""
    cached = obj.__dict__.get("_prefetched_objects_cache", {}).get(field)
    return cached if cached is not None else getattr(obj, field).all()


def set_prefetched(obj, field, instances):
    """What prefetch_related leaves behind: `obj.<field>.all()` gives
    `instances` without a query, and anything chained onto it (`.filter()`)
    queries the object's own rows, as it would through its related manager."""
    queryset = related_queryset(obj, field)
    queryset._result_cache = instances
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[field] = queryset


def related_queryset(obj, field):
    """`getattr(obj, field).get_queryset()`, for a forward many-to-many field
    without making its related manager.

    Django makes a manager and copies a query for this (about 45 us); a page of
    twenty articles with six kinds of tags did it 120 times. Here the queryset
    is made new and given the manager's filter as Django gives it, deferred
    until the query is needed (it never is for rows already read) and sticky
    (a chained filter reuses the relation's join).
    `tests/articles/test_taglists.py` holds the two ways equal.
    """
    spec = _many_to_many_spec(type(obj), field)
    if spec is None:
        return getattr(obj, field).get_queryset()
    queryset_class, model, filters = spec
    queryset = queryset_class(model=model)
    queryset._add_hints(instance=obj)
    queryset._query.filter_is_sticky = True
    values = {key: getattr(obj, attname) for key, attname in filters}
    queryset._deferred_filter = (False, (), values)
    return queryset


@functools.cache
def _many_to_many_spec(model, field):
    """(queryset class, target model, [(filter key, attribute of the owner)])
    of a forward many-to-many field, as its related manager sets them up; None
    for any other field."""
    descriptor = getattr(model, field, None)
    if not isinstance(descriptor, ManyToManyDescriptor) or descriptor.reverse:
        return None
    rel = descriptor.rel
    manager_class = descriptor.related_manager_cls
    if manager_class.__bases__[0].get_queryset is not BaseManager.get_queryset:
        return None  # the tag model's manager narrows its rows: let it
    source = rel.through._meta.get_field(rel.field.m2m_field_name())
    query_name = rel.field.related_query_name()
    filters = [
        (f"{query_name}__{rh.name}", rh.attname) for _, rh in source.related_fields
    ]
    return manager_class._queryset_class, rel.model, filters
