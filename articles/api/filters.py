"""Article list parameters: the portal's ArticleFilterSet plus `q` and ordering."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

# Fields a client may sort by; anything else is ignored, so private fields
# cannot be probed by sorting (see docs/api.md).
ARTICLE_ORDERING_FIELDS = ["published_at", "title", "updated_at"]
DEFAULT_ARTICLE_ORDERING = ["-published_at", "-id"]

QUERY_MAX_LENGTH = 300

SEARCH_PARAMETER = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description="Full-text search, ranked by relevance (or by date with "
    "ordering=-published_at). Results then carry highlights, and the page facet "
    f"counts. At most {QUERY_MAX_LENGTH} characters.",
)


def search_sort(ordering):
    """The search module's sort name for an `ordering` parameter."""
    return "date" if (ordering or "").lstrip("-") == "published_at" else "relevance"
