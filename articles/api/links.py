"""The links an article shows, for many articles in one query.

An article's tags (six relations) and the other-language versions of its story
(two more) cost a query each through prefetch_related: eight per page. Every one
of those rows is a link made of the same few columns (id, slug, the name shown
and at most one more field), so one UNION ALL reads them all, each branch ranked
in its model's own order.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, F, Value, Window
from django.db.models.functions import RowNumber

from relations.models import Agreement, Country, Event, Organization, Person, Topic

from ..models import Article
from ..taglists import set_prefetched


@dataclass(frozen=True)
class LinkFields:
    """What a tag's link needs: `label` for its name, `extra` for the rest of its
    name or its URL (a country's code)."""

    model: type
    label: str
    extra: str | None = None


TAG_LINKS = {
    "people": LinkFields(Person, "full_name"),
    "countries": LinkFields(Country, "name", "code"),
    "organizations": LinkFields(Organization, "name", "acronym"),
    "events": LinkFields(Event, "title"),
    "agreements": LinkFields(Agreement, "title"),
    "topics": LinkFields(Topic, "name"),
}
VERSIONS = "versions"
VERSION_LINK = LinkFields(Article, "title", "language")

# The columns of every branch, in this order.
COLUMNS = ["link_kind", "link_owner", "link_rank"]
COLUMNS += ["link_id", "link_slug", "link_label", "link_extra"]


def load_links(articles):
    """Give each article its tags (as if prefetched) and `public_versions` for the
    root of its story, in one query for all of them. Articles already given them
    are left alone; with none left, no query runs."""
    articles = [article for article in articles if not _has_links(article)]
    if not articles:
        return
    roots = {article.story_id or article.pk for article in articles}
    rows = _link_rows([article.pk for article in articles], roots, articles[0])
    for article in articles:
        for name in TAG_LINKS:
            set_prefetched(article, name, rows[name, article.pk])
        _root(article).public_versions = rows[VERSIONS, _root(article).pk]


def _has_links(article):
    cached = getattr(article, "_prefetched_objects_cache", {})
    return all(name in cached for name in TAG_LINKS) and hasattr(
        _root(article), "public_versions"
    )


def _root(article):
    """The original of the article's story (the article itself if it is one)."""
    return article if article.story_id is None else article.story


def _link_rows(article_ids, root_ids, sample):
    """{(kind, owner id): [instances in their model's order]}."""
    branches = [_tag_branch(name, article_ids) for name in TAG_LINKS]
    branches.append(_version_branch(root_ids))
    query = branches[0].union(*branches[1:], all=True).using(sample._state.db)
    ranked = defaultdict(list)
    for kind, owner, rank, *values in query:
        ranked[kind, owner].append((rank, _instance(kind, owner, values, query.db)))
    links = defaultdict(list)
    for key, items in ranked.items():
        links[key] = [item for _, item in sorted(items, key=lambda pair: pair[0])]
    return links


def _tag_branch(name, article_ids):
    field = Article._meta.get_field(name)
    through = field.remote_field.through
    owner, target = field.m2m_column_name(), field.m2m_reverse_name()
    link = TAG_LINKS[name]
    prefix = f"{field.m2m_reverse_field_name()}__"
    return _branch(
        through.objects.filter(**{f"{owner}__in": article_ids}),
        kind=name,
        owner=F(owner),
        order_by=_ordering(link.model, prefix),
        id=F(target),
        fields=link,
        prefix=prefix,
    )


def _version_branch(root_ids):
    # Ids first, through the story index: given `story_id IN (...)` next to the
    # published conditions, SQLite walks the status index over every published
    # article instead (55 ms against 1 ms at 10,000 articles).
    versions = Article.objects.filter(story_id__in=root_ids).values("pk")
    return _branch(
        Article.objects.published().filter(pk__in=versions),
        kind=VERSIONS,
        owner=F("story_id"),
        order_by=_ordering(Article, ""),
        id=F("id"),
        fields=VERSION_LINK,
        prefix="",
    )


def _branch(queryset, *, kind, owner, order_by, id, fields, prefix):
    extra = F(prefix + fields.extra) if fields.extra else Value(None, CharField())
    return (
        queryset.order_by()
        .annotate(
            link_kind=Value(kind, CharField()),
            link_owner=owner,
            # Each branch keeps the order prefetch_related would have read it in.
            link_rank=Window(RowNumber(), order_by=order_by),
            link_id=id,
            link_slug=F(prefix + "slug"),
            link_label=F(prefix + fields.label),
            link_extra=extra,
        )
        .values_list(*COLUMNS)
    )


def _ordering(model, prefix):
    """The model's Meta.ordering as expressions, then its id to break ties."""
    expressions = []
    for name in model._meta.ordering:
        field = F(prefix + name.lstrip("-"))
        expressions.append(field.desc() if name.startswith("-") else field.asc())
    return [*expressions, F(prefix + "id").asc()]


def _instance(kind, owner, values, db):
    """A model instance with only the link's fields loaded (like .only())."""
    fields = TAG_LINKS.get(kind, VERSION_LINK)
    loaded = dict(zip(["id", "slug", fields.label, fields.extra], values, strict=True))
    loaded.pop(None, None)
    if kind == VERSIONS:
        loaded["story_id"] = owner
    names = [f.attname for f in fields.model._meta.concrete_fields]
    names = [name for name in names if name in loaded]
    return fields.model.from_db(db, names, [loaded[name] for name in names])
