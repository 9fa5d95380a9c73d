"""The two engines: how terms are stored, matched and ranked on each database.

Both receive terms from `text.py`, never user text, so no query syntax from a
search box can reach FTS5 or tsquery.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

FTS_TABLE = "article_search_fts"
# Ranking on PostgreSQL reads the tsvector of every row it ranks; these bound it.
# Title and name matches are taken first so the best matches are always ranked.
RANK_CANDIDATES = 1000


def quote_fts(term):
    # Terms hold only letters and digits; quoting still makes each a plain string.
    return '"' + term.replace('"', '""') + '"'


class SqliteBackend:
    """FTS5 table (title, names, lead, body), rowid = article id, bm25 as `rank`."""

    def write(self, cursor, documents):
        ids = [(doc.article_id,) for doc in documents]
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", ids)
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, names, lead, body) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                (doc.article_id, doc.title, doc.names, doc.lead, doc.body)
                for doc in documents
            ],
        )

    def expression(self, groups):
        return " AND ".join(
            "(" + " OR ".join(quote_fts(term) for term in group) + ")"
            for group in groups
        )

    def match(self, queryset, groups):
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        return queryset.filter(pk__in=RawSQL(sql, [self.expression(groups)]))

    def _by_rank(self, groups, bound):
        # FTS5 alone, ordered by its `rank` column: joining or filtering inside
        # the MATCH query makes SQLite re-run the match per row (seconds).
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank"
        params = [self.expression(groups)]
        if bound is not None:
            sql += " LIMIT %s"
            params.append(bound)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def search(self, base, groups, offset, limit):
        """(page ids by bm25, total, facet scope, whether the scope is partial).

        The best RANK_CANDIDATES matches are taken from FTS5 first and then
        filtered by id; that is exact whenever the page fills from them. Otherwise
        (few matches, or selective filters) every match is ranked.
        """
        bound = max(RANK_CANDIDATES, offset + limit)
        candidates = self._by_rank(groups, bound)
        truncated = len(candidates) == bound
        visible = self._visible(base, candidates)
        if truncated and len(visible) < offset + limit:
            # Selective filters: rank only the filtered matches, all of them.
            allowed = set(self.match(base, groups).values_list("pk", flat=True))
            visible = [pk for pk in self._by_rank(groups, None) if pk in allowed]
            truncated = False
        total = self.match(base, groups).count() if truncated else len(visible)
        return visible[offset : offset + limit], total, visible, truncated

    def _visible(self, base, candidates):
        allowed = set(base.filter(pk__in=candidates).values_list("pk", flat=True))
        return [pk for pk in candidates if pk in allowed]


class PostgresBackend:
    """Stored `search_vector` (title A, names B, lead C, body D) with a GIN index."""

    def write(self, cursor, documents):
        cursor.executemany(
            "UPDATE articles_article SET search_vector = "
            "setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B') || "
            "setweight(to_tsvector('simple', %s), 'C') || "
            "setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
            [
                (doc.title, doc.names, doc.lead, doc.body, doc.article_id)
                for doc in documents
            ],
        )

    def tsquery(self, groups, weights=""):
        suffix = f":{weights}" if weights else ""
        text = " & ".join(
            "(" + " | ".join(f"{term}{suffix}" for term in group) + ")"
            for group in groups
        )
        return SearchQuery(text, search_type="raw", config="simple")

    def match(self, queryset, groups):
        return queryset.filter(search_vector=self.tsquery(groups))

    def search(self, base, groups, offset, limit):
        """(page ids by ts_rank, total, facet scope, whether the scope is partial).

        Many matches: ts_rank reads only the best RANK_CANDIDATES candidates (title
        and name matches first, then the newest), the same set for every page in
        that window. Pages past the window, or fewer matches, rank every match.
        """
        matches = self.match(base, groups)
        total = matches.count()
        bounded = total > RANK_CANDIDATES and offset + limit <= RANK_CANDIDATES
        candidates = self._candidates(matches, groups) if bounded else matches
        ranked = candidates.annotate(
            rank=SearchRank(F("search_vector"), self.tsquery(groups))
        ).order_by("-rank", "-published_at", "-pk")
        ids = list(ranked.values_list("pk", flat=True)[offset : offset + limit])
        scope = matches.order_by().values("pk")[:RANK_CANDIDATES]
        return ids, total, scope, total > RANK_CANDIDATES

    def _candidates(self, matches, groups):
        newest = ("-published_at", "-pk")
        strong = matches.filter(search_vector=self.tsquery(groups, "AB"))
        strong_ids = strong.order_by(*newest).values("pk")[:RANK_CANDIDATES]
        recent_ids = matches.order_by(*newest).values("pk")[:RANK_CANDIDATES]
        return matches.model.objects.filter(Q(pk__in=strong_ids) | Q(pk__in=recent_ids))


def backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
