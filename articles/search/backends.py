"""The two engines: how terms are stored, matched and ranked on each database.

Both receive terms from `text.py`, never user text, so no query syntax from a
search box can reach FTS5 or tsquery.

Ranking reads every match it ranks, so its cost grows with the number of
matches. A search matching at most RANK_CANDIDATES articles ranks all of them
on every field. A more common term is ranked in tiers: the best RANK_CANDIDATES
matches of the strong fields (title, entity names, lead, a far smaller index)
by the same weights, then every other match newest first. An article naming
the term in its title therefore never falls behind one that only mentions it
in the body, and the cost no longer grows with the corpus.
"""

from django.db import connection
from django.db.models import Case, Count, IntegerField, Value, When, Window
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND
from django.utils import timezone

from .keys import KEY_PREFIX

FTS_TABLE = "article_search_fts"
STRONG_TABLE = "article_search_strong"
RANK_CANDIDATES = 1000
# SQLite counts the articles a filter keeps no further than this: more are
# always met by reading the word's matches (SqliteBackend.by_entity_first).
BY_ENTITY_LIMIT = 2000
NEWEST = ("-published_at", "-pk")
# SQLite: checking a match by its id in the (id, status, published_at) index
# costs about as much as stepping over this many entries of the (status,
# published_at) index (docs/search.md).
ROW_LOOKUP_COST = 4


def quote_fts(term):
    # Terms hold only letters and digits; quoting still makes each a plain string.
    return '"' + term.replace('"', '""') + '"'


def ids_of(queryset):
    return list(queryset.values_list("pk", flat=True))


def in_order(base, ids):
    """`ids` that `base` holds, in the given order (one query)."""
    allowed = set(ids_of(base.order_by().filter(pk__in=ids)))
    return [pk for pk in ids if pk in allowed]


def newest_and_total(matches, needed):
    """(the newest `needed` ids, the number of all matches), in one query."""
    rows = list(
        matches.annotate(total=Window(Count("*")))
        .order_by(*NEWEST)
        .values_list("pk", "total")[:needed]
    )
    return [pk for pk, _ in rows], (rows[0][1] if rows else 0)


def ranked_then_newest(matches, ranked, needed):
    """(those of the `ranked` ids that `matches` holds, in their order, then
    every other match newest first, as far as `needed` positions; the number
    of all matches), in one query: the ranked rows sort first, so reading
    len(ranked) + needed rows takes all of them and enough of the others."""
    ranked_first = Case(
        When(pk__in=ranked, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = list(
        matches.annotate(total=Window(Count("*")), tier=ranked_first)
        .order_by("tier", *NEWEST)
        .values_list("pk", "total", "tier")[: len(ranked) + needed]
    )
    kept = {pk for pk, _total, tier in rows if tier == 0}
    ordered = [pk for pk in ranked if pk in kept]
    ordered += [pk for pk, _total, tier in rows if tier == 1]
    return ordered[:needed], (rows[0][1] if rows else 0)


class SearchBackend:
    """What both engines share."""

    def with_keys(self, base, groups, restricted):
        """(`groups` and the filter keys of `base`'s conditions, each a group
        the index must match too; whether `base` asks anything more than
        what those keys name, which the search must then still read from
        `base`).

        The index intersects its own lists of the word's and the key's
        articles, far faster than the database intersects the word's matches
        with the ids read from a tag table (docs/search.md, "The two engines").
        """
        if not restricted:
            return groups, False
        keys, only_keys = filter_keys(base)
        return [*groups, *((key,) for key in keys)], not only_keys

    def defer_indexes(self, cursor):
        """Before a bulk rebuild: whether the engine dropped indexes for
        `compact` to build at the end (PostgreSQL). FTS5 has nothing to defer."""
        return False


class SqliteBackend(SearchBackend):
    """FTS5 tables, rowid = article id, bm25 as `rank`: every field in
    FTS_TABLE, the strong fields again in STRONG_TABLE."""

    # A filtered search looks each filtered article up in the index when the
    # word has more than this many matches per filtered article: one lookup
    # costs about as much as reading that many matches. Measured at 100,000
    # articles (docs/search.md): 13 us a lookup in a compacted index, up to
    # 90 us in one of many segments; 16 was faster on the first, 64 on both.
    by_entity_cost = 64

    def forget(self, cursor, ids):
        """Drop the rows of deleted articles."""
        for table in (FTS_TABLE, STRONG_TABLE):
            cursor.executemany(
                f"DELETE FROM {table} WHERE rowid = %s", [(pk,) for pk in ids]
            )

    def compact(self, cursor):
        """Merge each FTS5 table's segments into one ('optimize')."""
        for table in (FTS_TABLE, STRONG_TABLE):
            cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")

    def write(self, cursor, ids, documents):
        """Replace the rows of `ids` by `documents` (some ids may have none)."""
        self.forget(cursor, ids)
        if not documents:
            return
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, names, lead, body, keys) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (doc.article_id, doc.title, doc.names, doc.lead, doc.body, doc.keys)
                for doc in documents
            ],
        )
        cursor.executemany(
            f"INSERT INTO {STRONG_TABLE} (rowid, title, names, lead, keys) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                (doc.article_id, doc.title, doc.names, doc.lead, doc.keys)
                for doc in documents
            ],
        )

    def expression(self, groups):
        return " AND ".join(
            "(" + " OR ".join(quote_fts(term) for term in group) + ")"
            for group in groups
        )

    def match(self, queryset, groups, by_entity=False):
        """`queryset` narrowed to the matches: the match list looked up by id,
        or (`by_entity`) each article of `queryset` looked up in the index."""
        from django.db.models import BooleanField
        from django.db.models.expressions import RawSQL

        expression = self.expression(groups)
        if by_entity:
            table = connection.ops.quote_name(queryset.model._meta.db_table)
            sql = (
                f"EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                f"AND rowid = {table}.id)"
            )
            return queryset.filter(RawSQL(sql, [expression], BooleanField()))
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        return queryset.filter(pk__in=RawSQL(sql, [expression]))

    def search(self, base, groups, needed, restricted):
        """(ids in rank order, at least `needed` of them if there are; total).

        `restricted`: `base` holds filters beyond "public". Without them the
        index answers alone (it holds only articles with the published status),
        less the matches scheduled for later; so it does when the filters ask
        only for tags, which the index rows carry as keys (`with_keys`).
        """
        groups, restricted = self.with_keys(base, groups, restricted)
        counted = self._counts_and_ranked(groups, base if restricted else None)
        indexed, public, kept, ranked = counted
        few = indexed <= RANK_CANDIDATES
        if restricted and few:
            ranked = in_order(base, ranked)
            return ranked, len(ranked)
        if restricted:
            matches = self.match(base, groups, self.by_entity_first(indexed, kept))
            return ranked_then_newest(matches, ranked, needed)
        if not few and len(ranked) < needed:
            seen = set(ranked)
            newest = self._newest_public(groups, needed, indexed)
            ranked += [pk for pk in newest if pk not in seen]
        return ranked[:needed], public

    def newest(self, base, groups, needed, restricted):
        """(the newest `needed` ids of `base` matching, the number of them)."""
        groups, restricted = self.with_keys(base, groups, restricted)
        if restricted:
            indexed, _public, kept = self._counts(groups, base)
            by_entity = self.by_entity_first(indexed, kept)
            return newest_and_total(self.match(base, groups, by_entity), needed)
        indexed, public, _kept = self._counts(groups)
        return self._newest_public(groups, needed, indexed), public

    def by_entity_first(self, matches, kept):
        """Whether to look each of the `kept` articles up in the index rather
        than read the word's `matches` (`kept` is counted up to
        BY_ENTITY_LIMIT + 1)."""
        return kept <= BY_ENTITY_LIMIT and matches > self.by_entity_cost * kept

    def _counts(self, groups, base=None):
        """(matches in the index, those of them that are public, the articles
        of `base` up to BY_ENTITY_LIMIT + 1 or None without it), one query."""
        sql, params = self._counts_sql(groups, base)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            indexed, scheduled, kept = cursor.fetchone()
        return indexed, indexed - scheduled, kept

    def _counts_and_ranked(self, groups, base=None):
        """`_counts`, then the ids ranked as `search` needs them: every match
        when there are at most RANK_CANDIDATES, else the best of the strong
        fields; one query.

        SQLite runs a subquery that does not depend on the row only when it is
        reached, so only one of the two tables is ranked. The subquery's ORDER
        BY with LIMIT keeps it from being merged into the aggregate, which
        therefore reads its ids in rank order.
        """
        counts, count_params = self._counts_sql(groups, base)
        every, every_params = self._ranked_sql(FTS_TABLE, groups)
        strong, strong_params = self._ranked_sql(STRONG_TABLE, groups)
        sql = (
            f"SELECT indexed, scheduled, kept, CASE WHEN indexed <= %s "
            f"THEN (SELECT group_concat(rowid) FROM ({every})) "
            f"ELSE (SELECT group_concat(rowid) FROM ({strong})) END "
            f"FROM ({counts}) AS counted"
        )
        params = [RANK_CANDIDATES, *every_params, *strong_params, *count_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            indexed, scheduled, kept, ranked = cursor.fetchone()
        return indexed, indexed - scheduled, kept, _concatenated_ids(ranked)

    def _counts_sql(self, groups, base):
        """The statement of `_counts` and its parameters.

        `+id` makes SQLite start from the few articles not yet public and look
        them up in the match list, instead of reading every match's row.
        """
        expression = self.expression(groups)
        kept, kept_params = "NULL", []
        if base is not None:
            sql, kept_params = kept_ids(base)
            kept = f"(SELECT count(*) FROM ({sql} LIMIT {BY_ENTITY_LIMIT + 1}))"
        sql = (
            f"SELECT (SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
            "AS indexed, (SELECT count(*) FROM articles_article WHERE status = %s "
            f"AND published_at > %s AND +id IN (SELECT rowid FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s)) AS scheduled, {kept} AS kept"
        )
        return sql, [expression, *self._scheduled_params(), expression, *kept_params]

    def _ranked_sql(self, table, groups):
        """The best RANK_CANDIDATES public matches in `table`, by rank.

        FTS5 alone, ordered by its `rank` column: joining inside the MATCH
        query makes SQLite re-run the match per row. NOT IN only drops rows.
        """
        sql = (
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s AND rowid NOT IN "
            "(SELECT id FROM articles_article WHERE status = %s AND published_at > %s) "
            "ORDER BY rank LIMIT %s"
        )
        return sql, [
            self.expression(groups),
            *self._scheduled_params(),
            RANK_CANDIDATES,
        ]

    def _newest_public(self, groups, limit, matches):
        """The newest `limit` public matches of `groups`, which has about
        `matches`, in one statement choosing between two plans.

        Stepping down the (status, published_at) index and keeping the matches
        passes about limit x articles / matches entries; checking each match
        by its id in the (id, status, published_at) index and sorting costs
        `matches` lookups, ROW_LOOKUP_COST entries each. The second is cheaper
        for few matches: below about 5,000 of 100,000 articles for a limit of
        1,000. Only the branch chosen runs (a subquery that does not
        depend on the row runs when reached), and each is read in its order.
        """
        expression = self.expression(groups)
        # `+id` keeps SQLite from looking up every match by id: the date index
        # alone, newest first, ties in the index's order (lowest id first),
        # which the lookup's sort repeats.
        scan = (
            "SELECT id FROM articles_article WHERE status = %s AND published_at <= %s "
            f"AND +id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
            "ORDER BY status, published_at DESC LIMIT %s"
        )
        lookup = (
            f"SELECT id FROM articles_article WHERE id IN (SELECT rowid FROM "
            f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) AND status = %s "
            "AND published_at <= %s ORDER BY published_at DESC, id LIMIT %s"
        )
        sql = (
            f"SELECT CASE WHEN %s * %s * {ROW_LOOKUP_COST} < %s * "
            "(SELECT max(id) FROM articles_article) "
            f"THEN (SELECT group_concat(id) FROM ({lookup})) "
            f"ELSE (SELECT group_concat(id) FROM ({scan})) END"
        )
        scheduled = self._scheduled_params()
        params = [matches, matches, limit]
        params += [expression, *scheduled, limit, *scheduled, expression, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            (found,) = cursor.fetchone()
        return _concatenated_ids(found)

    def _scheduled_params(self):
        """The published status and now, as the SQLite backend stores them."""
        from django.utils import timezone

        from articles.models import Article

        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return [Article.Status.PUBLISHED, now]


def _concatenated_ids(text):
    """The ids of a `group_concat(id)`, in its order (NULL when none)."""
    return [int(pk) for pk in text.split(",")] if text else []


class PostgresBackend(SearchBackend):
    """Narrow tables, one row per article with the published status
    (`models.SearchDocument`, `models.SearchStrong`): the article id, its
    publication time and one vector with a GIN index, `vector` (title A, names
    B, lead C, body D; out of line) in DOCUMENTS, `strong` (A, B and C only; in
    the row) in STRONG. Counting, ranking and newest-first selection read only
    these; the wide article table only where filters need its columns.
    """

    # Testing one article's stored vector costs about as much as reading this
    # many matches from the GIN index (`_found`; measured in docs/search.md).
    by_entity_cost = 16

    def forget(self, cursor, ids):
        """Nothing to do: the rows went with their article (ON DELETE CASCADE)."""

    def defer_indexes(self, cursor):
        """Before rebuilding an empty index (a new corpus, a restore): drop the
        GIN indexes, for `compact` to build each in one pass once every row is
        in. Inserting a row into a GIN index with no pending list updates a
        page per word, which grows slower as the index outgrows memory (about
        200 articles/s at 1,000,000, docs/benchmarks.md). Returns whether it
        dropped them; with rows in the tables it never does, since searches
        read them meanwhile."""
        cursor.execute(
            f"SELECT EXISTS (SELECT FROM {DOCUMENTS}) OR EXISTS (SELECT FROM {STRONG})"
        )
        if cursor.fetchone()[0]:
            return False
        with connection.schema_editor(atomic=False) as editor:
            for model, index in self._declared_indexes(cursor, present=True):
                editor.remove_index(model, index)
        return True

    def compact(self, cursor):
        """Build any GIN index that is missing: dropped by `defer_indexes`, or
        left so by a rebuild that was killed. Those present need nothing: they
        have no pending list (fastupdate off)."""
        missing = self._declared_indexes(cursor, present=False)
        if not missing:
            return
        with connection.schema_editor(atomic=False) as editor:
            for model, index in missing:
                editor.add_index(model, index)
        # Statistics for the tables just filled: without them the planner
        # ignores a new GIN index and scans every vector (and autovacuum,
        # where it runs at all, gets to them later).
        cursor.execute(f"ANALYZE {DOCUMENTS}, {STRONG}")

    def _declared_indexes(self, cursor, present):
        """The (model, index) pairs declared on the search tables that the
        database has (`present`) or lacks."""
        from articles.models import SearchDocument, SearchStrong

        declared = [
            (model, index)
            for model in (SearchDocument, SearchStrong)
            for index in model._meta.indexes
        ]
        existing = {
            name
            for table in (DOCUMENTS, STRONG)
            for name in connection.introspection.get_constraints(cursor, table)
        }
        return [
            (model, index)
            for model, index in declared
            if (index.name in existing) == present
        ]

    def write(self, cursor, ids, documents):
        """Replace the rows of `ids` by `documents` (some ids may have none)."""
        unlisted = sorted(set(ids) - {doc.article_id for doc in documents})
        if unlisted:
            cursor.execute(DELETE_ROWS, {"ids": unlisted})
        if documents:
            columns = [
                [getattr(doc, name) for doc in documents] for name in DOCUMENT_FIELDS
            ]
            cursor.execute(UPSERT_ROWS, columns)

    def tsquery_text(self, groups):
        return " & ".join("(" + " | ".join(group) + ")" for group in groups)

    def tsquery(self, groups):
        """(the SQL of the tsquery of `groups`, its parameters): the words
        through the 'simple' configuration, as they were indexed; the filter
        keys verbatim, as `array_to_tsvector` stored them (the parser would
        drop their private-use character and make them typable words)."""
        words = [group for group in groups if not is_key(group)]
        keys = [group[0] for group in groups if is_key(group)]
        sql, params = "to_tsquery('simple', %s)", [self.tsquery_text(words)]
        if keys:
            sql = f"({sql} && %s::tsquery)"
            params.append(" & ".join(f"'{key}'" for key in keys))
        return sql, params

    def search(self, base, groups, needed, restricted):
        """(ids in rank order, at least `needed` of them if there are; total)."""
        groups, restricted = self.with_keys(base, groups, restricted)
        indexed, public, ranked = self._counts_and_ranked(base, groups, restricted)
        if indexed <= RANK_CANDIDATES:
            return ranked, len(ranked)
        if not restricted and len(ranked) >= needed:
            return ranked[:needed], public
        newest, total = self._newest(base, groups, needed, restricted)
        seen = set(ranked)
        return (ranked + [pk for pk in newest if pk not in seen])[:needed], total

    def newest(self, base, groups, needed, restricted):
        """(the newest `needed` ids of `base` matching, the number of them)."""
        groups, restricted = self.with_keys(base, groups, restricted)
        return self._newest(base, groups, needed, restricted)

    def _newest(self, base, groups, needed, restricted):
        with connection.cursor() as cursor:
            cursor.execute(*self.newest_statement(base, groups, needed, restricted))
            rows = cursor.fetchall()
        return [pk for pk, _ in rows], (rows[0][1] if rows else 0)

    def newest_statement(self, base, groups, needed, restricted):
        """The SQL of `newest` and its parameters."""
        found, params = self._found(DOCUMENTS, "vector", base, groups, restricted)
        sql = (
            f"{found} SELECT article_id, count(*) OVER () FROM found "
            "ORDER BY published_at DESC, article_id DESC LIMIT %s"
        )
        return sql, [*params, needed]

    def _counts_and_ranked(self, base, groups, restricted):
        """(matches in the index, those of them public now, the ranked ids):
        every public match ranked when there are at most RANK_CANDIDATES,
        else the best RANK_CANDIDATES of the strong fields; one query.

        PostgreSQL runs a subquery that does not depend on the row (an
        InitPlan) only when its value is first needed, so only the branch the
        count chooses is ranked.
        """
        counts, count_params = self._counts_sql(groups, restricted)
        every, every_params = self._ranked_sql(
            DOCUMENTS, "vector", base, groups, restricted
        )
        strong, strong_params = self._ranked_sql(
            STRONG, "strong", base, groups, restricted
        )
        sql = (
            "SELECT indexed, public, CASE WHEN indexed <= %s "
            f"THEN ARRAY({every}) ELSE ARRAY({strong}) END FROM ({counts}) AS counted"
        )
        params = [RANK_CANDIDATES, *every_params, *strong_params, *count_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    def _counts_sql(self, groups, restricted):
        """The statement counting (matches in the index, those public now).

        A filtered search takes its total from the filtered matches and only
        needs to know whether the word has more than RANK_CANDIDATES matches:
        it counts no further than that (the matches are computed only as far
        as they are read; at 1,000,000 articles a common word has over 200,000)
        and gives None for the public ones.
        """
        query, query_params = self.tsquery(groups)
        if restricted:
            sql = (
                f"WITH word AS MATERIALIZED (SELECT FROM {DOCUMENTS} "
                f"WHERE vector @@ {query}) "
                "SELECT count(*) AS indexed, NULL AS public "
                "FROM (SELECT FROM word LIMIT %s) AS head"
            )
            return sql, [*query_params, RANK_CANDIDATES + 1]
        sql = (
            "SELECT count(*) AS indexed, "
            "count(*) FILTER (WHERE published_at <= %s) AS public "
            f"FROM {DOCUMENTS} WHERE vector @@ {query}"
        )
        return sql, [timezone.now(), *query_params]

    def _ranked_sql(self, table, field, base, groups, restricted):
        """The best RANK_CANDIDATES public matches of `field`, in rank order."""
        found, params = self._found(table, field, base, groups, restricted, rank=True)
        sql = (
            f"{found} SELECT article_id FROM found "
            "ORDER BY rank DESC, published_at DESC, article_id DESC LIMIT %s"
        )
        return sql, [*params, RANK_CANDIDATES]

    def _found(self, table, field, base, groups, restricted, rank=False):
        """`WITH ... found AS (...)`: the public matches of `field` in `table`
        that `base` keeps (article_id, published_at and, with `rank`, rank),
        and its parameters.

        Without filters the GIN index gives the matches (`word`). With them,
        the statement picks one of two plans as it runs (the other is never
        executed), by whichever reads fewer rows:
        - by entity: the rows of the E articles the filters keep are read by
          id and each one's vector (from TOAST) is tested. A person's few
          articles cost far less than every match of a common word;
        - by word: every match is taken from the GIN index (MATERIALIZED)
          and kept if the filters hold it.
        Reading a vector costs about `by_entity_cost` word matches, so the
        first plan runs when the word has more than `by_entity_cost` x E
        matches. Only that many of them are read to find out (`word` is
        computed as far as it is read), and the second plan goes on from
        where the count stopped.
        """
        query, query_params = self.tsquery(groups)
        columns = "article_id, published_at"
        column_params = []
        if rank:
            # The words alone: the keys are in every match, weigh nothing.
            ranked, column_params = self.tsquery(
                [group for group in groups if not is_key(group)]
            )
            columns += f", ts_rank({field}, {ranked}) AS rank"
        matching = f"{field} @@ {query} AND published_at <= %s"
        rows = [*column_params, *query_params, timezone.now()]
        word = f"word AS MATERIALIZED (SELECT {columns} FROM {table} WHERE {matching})"
        if not restricted:
            return f"WITH {word}, found AS (SELECT * FROM word)", rows
        kept, kept_params = kept_ids(base)
        bound = f"(SELECT count(*) * {int(self.by_entity_cost)} FROM kept)"
        by_entity = (
            f"(SELECT {bound} < (SELECT count(*) FROM "
            f"(SELECT FROM word LIMIT {bound} + 1) AS head))"
        )
        sql = (
            f"WITH kept AS MATERIALIZED ({kept}), {word}, "
            f"choice AS MATERIALIZED (SELECT {by_entity} AS by_entity), "
            f"found AS (SELECT {columns} FROM {table} "
            "WHERE (SELECT by_entity FROM choice) "
            f"AND article_id = ANY(ARRAY(SELECT * FROM kept)) AND {matching} "
            "UNION ALL SELECT * FROM word WHERE NOT (SELECT by_entity FROM choice) "
            "AND article_id IN (SELECT * FROM kept))"
        )
        return sql, [*kept_params, *rows, *rows]


def is_key(group):
    """Whether `group` (of a query's terms) is a filter key (`with_keys`)."""
    return len(group) == 1 and group[0].startswith(KEY_PREFIX)


def kept_ids(base):
    """The SQL selecting the ids `base` keeps, and its parameters.

    `base`'s "public" conditions are left out, since the search tables hold
    only articles with the published status (and on PostgreSQL test the time
    themselves): keeping them would read the article row of every id. When
    what is left is one `id IN (subquery)` (an entity filter: see
    `articles.filters.tagged`), the subquery alone gives the ids, read from
    the tag table without joining the article table.
    """
    query = base.order_by().values("pk").query
    query.where.children = [
        node for node in query.where.children if not is_publication_check(node)
    ]
    if len(query.where.children) == 1 and is_id_subquery(query.where.children[0]):
        query = query.where.children[0].rhs
    sql, params = query.sql_with_params()
    return sql, list(params)


def filter_keys(base):
    """(the filter keys every article of `base` carries, whether `base` asks
    nothing more of an article than what those keys name and being public).

    Read off `base`'s conditions: those joined by AND, at its own level and
    inside `id IN (<a query of articles>)`. A key comes from a condition that
    names one (`articles.filters.Keyed`: a tag, an event kind, the source, the
    language, the year) on the queried articles' own row; anything else makes
    the keys a part of what `base` asks, still true of all its articles.
    """
    return _keys_of(base.query, base.query.base_table)


def _keys_of(query, alias):
    if (
        query.is_sliced
        or query.combinator  # a union's conditions are in its parts
        or query.where.negated
        or query.where.connector != AND
    ):
        return [], False
    keys, exact = [], True
    for node in query.where.children:
        if _is_keyed(node, alias):
            keys.append(node.key)
        elif is_id_subquery(node, alias) and _selects_article_ids(node.rhs):
            inner, inner_exact = _keys_of(node.rhs, node.rhs.base_table)
            keys += inner
            exact = exact and inner_exact
        elif not is_publication_check(node, alias):
            exact = False
    return keys, exact


def _is_keyed(node, alias):
    """Whether `node` is a condition naming its filter key, on a column of
    the article table under `alias` (or a function of one, as the year)."""
    from articles.filters import Keyed

    if not (isinstance(node, Keyed) and node.key):
        return False
    column = node.lhs
    while not isinstance(column, Col) and len(column.get_source_expressions()) == 1:
        (column,) = column.get_source_expressions()
    return isinstance(column, Col) and column.alias == alias


def _is_pk(column, alias):
    from articles.models import Article

    return (
        isinstance(column, Col)
        and column.alias == alias
        and column.target == Article._meta.pk
    )


def _selects_article_ids(query):
    """Whether `query` selects the ids of its articles and nothing else."""
    from articles.models import Article

    return (
        query.model is Article
        and len(query.select) == 1
        and _is_pk(query.select[0], query.base_table)
    )


def is_id_subquery(node, alias=None):
    """Whether `node` is `<article table>.id IN (<a query>)`."""
    from django.db.models.lookups import In
    from django.db.models.sql.query import Query

    from articles.models import Article

    return (
        isinstance(node, In)
        and isinstance(node.rhs, Query)
        and _is_pk(node.lhs, alias or Article._meta.db_table)
    )


def is_publication_check(node, alias=None):
    """Whether `node` is one of the conditions of `Article.objects.published()`
    (status = published, published_at <= now) on the queried article table."""
    from articles.models import Article, PublicBy

    column = getattr(node, "lhs", None)
    if not (
        isinstance(column, Col) and column.alias == (alias or Article._meta.db_table)
    ):
        return False
    if column.target.name == "status":
        return type(node) is Exact and node.rhs == Article.Status.PUBLISHED
    return column.target.name == "published_at" and type(node) is PublicBy


DOCUMENTS = "articles_searchdoc"
STRONG = "articles_searchstrong"
DOCUMENT_FIELDS = ("article_id", "title", "names", "lead", "body", "keys")
# Both tables in one statement each (data-modifying WITH).
DELETE_ROWS = (
    f"WITH strong AS (DELETE FROM {STRONG} WHERE article_id = ANY(%(ids)s)) "
    f"DELETE FROM {DOCUMENTS} WHERE article_id = ANY(%(ids)s)"
)
# A batch from parallel arrays (id, title, names, lead, body, keys); the
# publication time is the article's own. The filter keys are lexemes as
# written (array_to_tsvector), with no position, in both vectors.
UPSERT_ROWS = (
    "WITH doc AS (SELECT article.id, article.published_at, terms.body, "
    "setweight(to_tsvector('simple', terms.title), 'A') || "
    "setweight(to_tsvector('simple', terms.names), 'B') || "
    "setweight(to_tsvector('simple', terms.lead), 'C') || "
    "array_to_tsvector(string_to_array(terms.keys, ' ')) AS strong "
    "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], "
    "%s::text[]) AS terms (id, title, names, lead, body, keys) "
    "JOIN articles_article AS article ON article.id = terms.id), "
    f"strong AS (INSERT INTO {STRONG} (article_id, published_at, strong) "
    "SELECT id, published_at, strong FROM doc ON CONFLICT (article_id) "
    "DO UPDATE SET published_at = EXCLUDED.published_at, strong = EXCLUDED.strong) "
    f"INSERT INTO {DOCUMENTS} (article_id, published_at, vector) "
    "SELECT id, published_at, strong || setweight(to_tsvector('simple', body), 'D') "
    "FROM doc ON CONFLICT (article_id) "
    "DO UPDATE SET published_at = EXCLUDED.published_at, vector = EXCLUDED.vector"
)


def backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
