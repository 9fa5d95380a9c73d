"""Search latency per query class: the product's search against the naive way."""

import shlex

from django.db.models import Q

from articles.models import Article

from .hooks import optional
from .querysets import CLASSES, build_queries
from .stats import summary_ms, timed_calls


def product_search():
    """The search package's entry point, or None when it is not installed."""
    return optional("articles.search", "search_articles")


def run_product(search, query):
    """One search as the portal shows it: first page, facets and highlights."""
    results = search(
        query.text,
        filters=query.filters,
        sort=query.sort,
        page=1,
        page_size=20,
        facets=True,
        highlight=True,
    )
    # Touch what a page renders, so lazy results are paid for here.
    hits = list(results.hits)
    return {"total": results.total, "hits": len(hits), "error": bool(results.error)}


def naive_queryset(query):
    """What admin `search_fields = ["title", "body"]` does: every word icontains."""
    qs = Article.objects.published()
    for term in _terms(query.text):
        qs = qs.filter(Q(title__icontains=term) | Q(body__icontains=term))
    if "country" in query.filters:
        qs = qs.filter(countries__code=query.filters["country"].upper())
    if "person" in query.filters:
        qs = qs.filter(people__slug=query.filters["person"])
    return qs


def _terms(text):
    try:
        parts = shlex.split(text)
    except ValueError:
        parts = text.split()
    return [part for part in parts if part]


def run_naive(query):
    """Count plus the first page of cards, newest first, as a changelist shows."""
    qs = naive_queryset(query)
    total = qs.count()
    hits = list(qs.with_cards()[:20])
    return {"total": total, "hits": len(hits), "error": False}


def measure(*, per_class, naive_per_class, budget, naive_budget, out):
    """Latency summaries per class for both ways, plus the ratios."""
    queries = build_queries(per_class=per_class)
    search = product_search()
    if search is not None:
        warm_up(search, out)
    classes = {}
    for name, label in CLASSES:
        items = queries[name]
        out(f"search: {label}: {len(items)} queries")
        classes[name] = {
            "label": label,
            "queries": len(items),
            "examples": [q.text for q in items[:3]],
            "product": _product_block(search, items, budget),
            "naive": _block(run_naive, items[:naive_per_class], naive_budget),
        }
        classes[name]["ratio_p50"] = _ratio(classes[name])
    return {
        "product_available": search is not None,
        "classes": classes,
        "filtered_vs_unfiltered_p50": _filtered_ratio(classes),
    }


def warm_up(search, out, seconds=30):
    """Untimed searches with other terms first, as a running server has had.

    A fresh process pays for its in-memory caches (stems, compiled queries) on
    its first searches; a server pays that once, not per request.
    """
    warm = build_queries(per_class=5, seed=99)
    items = [query for name, _ in CLASSES for query in warm[name]]
    durations, _ = timed_calls(
        lambda q: run_product(search, q), items, budget_seconds=seconds
    )
    out(f"search: warm-up, {len(durations)} untimed queries")


def _product_block(search, items, budget):
    if search is None:
        return {"available": False, "note": "articles.search is not installed"}
    return _block(lambda q: run_product(search, q), items, budget)


def _block(call, items, budget):
    if not items:
        return {"available": False, "note": "no queries of this class in the corpus"}
    durations, results = timed_calls(call, items, budget_seconds=budget)
    block = {"available": True, **summary_ms(durations)}
    block["mean_total"] = round(sum(r["total"] for r in results) / len(results), 1)
    block["empty"] = sum(1 for r in results if not r["hits"])
    block["errors"] = sum(1 for r in results if r["error"])
    return block


def _ratio(entry):
    product, naive = entry["product"], entry["naive"]
    if not (product.get("available") and naive.get("available")):
        return None
    return round(naive["p50_ms"] / max(product["p50_ms"], 0.001), 1)


def _filtered_ratio(classes):
    filtered = classes["filtered_date"]["product"]
    common = classes["common"]["product"]
    if not (filtered.get("available") and common.get("available")):
        return None
    return round(filtered["p50_ms"] / max(common["p50_ms"], 0.001), 2)
