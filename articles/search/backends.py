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
RANK_CANDIDATES = 2000


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

    def ranked_ids(self, matches, groups, offset, limit):
        """Page of ids by bm25 (weights set on the table), best first."""
        base_sql, base_params = matches.values("pk").query.sql_with_params()
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND rowid IN ({base_sql}) ORDER BY rank LIMIT %s OFFSET %s"
        )
        params = [self.expression(groups), *base_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


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

    def ranked_ids(self, matches, groups, offset, limit):
        """ts_rank over a bounded candidate set: title/name hits first, then newest."""
        strong = matches.filter(search_vector=self.tsquery(groups, "AB"))
        recent = matches.order_by("-published_at")
        candidates = matches.model.objects.filter(
            Q(pk__in=strong.values("pk")[:RANK_CANDIDATES])
            | Q(pk__in=recent.values("pk")[:RANK_CANDIDATES])
        )
        ranked = candidates.annotate(
            rank=SearchRank(F("search_vector"), self.tsquery(groups))
        ).order_by("-rank", "-published_at", "-pk")
        return list(ranked.values_list("pk", flat=True)[offset : offset + limit])


def backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
