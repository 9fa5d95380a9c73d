"""Full-text search over published articles, on SQLite FTS5 or PostgreSQL.

Public API (used by the portal's /search/ page and the REST API):
- search_articles(text, *, filters=None, sort="relevance", page=1, page_size=20,
  facets=True, highlight=True) -> SearchResults
- index_article(article), reindex_articles(ids): call inside the write's transaction.
- reindex_in_chunks(ids, chunk_size=, jobs=): rebuild many, in one or more processes,
  inside `with bulk_rebuild():` (which compacts the index at the end), or
  compact_index() after such a rebuild.
- suggest_entities(query): entity autocomplete for the search box.
"""

from .bulk import bulk_rebuild, compact_index, reindex_in_chunks
from .indexing import index_article, reindex_articles
from .query import FacetValue, Hit, SearchResults, search_articles
from .suggest import suggest_entities

__all__ = [
    "FacetValue",
    "Hit",
    "SearchResults",
    "bulk_rebuild",
    "compact_index",
    "index_article",
    "reindex_articles",
    "reindex_in_chunks",
    "search_articles",
    "suggest_entities",
]
