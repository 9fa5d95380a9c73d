"""Facet counts: all eight facets in one grouped query over a bounded id list.

The ids are the matches a search has already found (at most FACET_SCOPE of
them), so counting never goes back to the full-text index or scans the corpus,
however common the term.
"""

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models.functions import ExtractYear

FACET_SIZE = 10
# Facet name (= filter parameter) -> the Article many-to-many field and the
# columns of its target holding the filter value and the label.
TAG_FACETS = {
    "country": ("countries", "code", "name"),
    "person": ("people", "slug", "full_name"),
    "organization": ("organizations", "slug", "name"),
    "event_kind": ("events", "kind", "kind"),
    "topic": ("topics", "slug", "name"),
}
FACET_NAMES = (*TAG_FACETS, "source", "language", "year")


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


def facet_counts(scope_ids):
    """{facet name: [FacetValue, ...]} for the articles with these ids, the
    FACET_SIZE largest counts of each facet, in one query."""
    facets = {name: [] for name in FACET_NAMES}
    if not scope_ids:
        return facets
    sql, params = _facets_sql(list(scope_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    kinds = _event_kind_labels()
    for name, value, label, count in rows:
        if name == "event_kind":
            label = kinds.get(label, label)
        facets[name].append(FacetValue(value=str(value), label=str(label), count=count))
    return facets


def _event_kind_labels():
    from relations.models import Event

    return {value: str(label) for value, label in Event.Kind.choices}


def _facets_sql(ids):
    from articles.models import Article

    quote = connection.ops.quote_name
    article = quote(Article._meta.db_table)
    branches, params = [], []
    for name, (field_name, value_column, label_column) in TAG_FACETS.items():
        field = Article._meta.get_field(field_name)
        through = quote(field.remote_field.through._meta.db_table)
        target = quote(field.related_model._meta.db_table)
        value, label = f"e.{quote(value_column)}", f"e.{quote(label_column)}"
        article_id = f"t.{quote(field.m2m_column_name())}"
        target_id = f"t.{quote(field.m2m_reverse_name())}"
        # Count per tag first, then read the names of the tags counted.
        grouped = value_column == label_column
        counted = (
            f"SELECT {target_id} AS target, COUNT(DISTINCT {article_id}) AS n "
            f"FROM {through} t WHERE {article_id} IN (SELECT id FROM scope) "
            f"GROUP BY {target_id}"
        )
        if grouped:  # several tags share a value (event kinds): add them up
            branches.append(
                f"SELECT '{name}', CAST({value} AS TEXT), CAST({label} AS TEXT), "
                f"COUNT(DISTINCT {article_id}) FROM {through} t "
                f"JOIN {target} e ON e.id = {target_id} "
                f"WHERE {article_id} IN (SELECT id FROM scope) GROUP BY {value}"
            )
        else:
            branches.append(
                f"SELECT '{name}', CAST({value} AS TEXT), CAST({label} AS TEXT), g.n "
                f"FROM ({counted}) g JOIN {target} e ON e.id = g.target"
            )
    # The article's own columns are read once for the three facets using them;
    # they read it under the table's name so that Django's year expression applies.
    source = quote(Article._meta.get_field("source").related_model._meta.db_table)
    branches.append(
        "SELECT 'source', CAST(e.slug AS TEXT), CAST(e.name AS TEXT), COUNT(*) "
        f"FROM scoped {article} JOIN {source} e ON e.id = {article}.source_id "
        "GROUP BY e.slug, e.name"
    )
    branches.append(
        f"SELECT 'language', {article}.language, {article}.language, COUNT(*) "
        f"FROM scoped {article} GROUP BY {article}.language"
    )
    year, year_params = _year_sql()
    branches.append(
        f"SELECT 'year', CAST({year} AS TEXT), CAST({year} AS TEXT), COUNT(*) "
        f"FROM scoped {article} GROUP BY {year}"
    )
    params += year_params * 3
    scope, scope_params = _scope_sql(ids)
    sql = (
        f"WITH scope(id) AS ({scope}), scoped AS MATERIALIZED "
        f"(SELECT id, source_id, language, published_at FROM {article} "
        "WHERE id IN (SELECT id FROM scope)), counts(facet, value, label, n) AS ("
        + " UNION ALL ".join(branches)
        + ") SELECT facet, value, label, n FROM (SELECT facet, value, label, n, "
        "ROW_NUMBER() OVER (PARTITION BY facet ORDER BY n DESC, label, value) AS place "
        f"FROM counts) ranked WHERE place <= {FACET_SIZE} ORDER BY facet, place"
    )
    return sql, scope_params + params


def _scope_sql(ids):
    """The ids as a one-column table, passed as one parameter."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [ids]
    return "SELECT value FROM json_each(%s)", [json.dumps(ids)]


def _year_sql():
    """The year of published_at in the site's time zone, as Django computes it."""
    from articles.models import Article

    query = Article.objects.annotate(year=ExtractYear("published_at")).query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.annotations["year"])
    return sql, list(params)
