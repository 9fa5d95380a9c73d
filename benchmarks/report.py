"""The benchmark's results as JSON and as Markdown tables."""

import json
from pathlib import Path

NA = "not available"


def write(results, folder):
    """Write benchmark-<engine>.json and .md into `folder`; returns both paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"benchmark-{results['meta']['engine']}"
    json_path, md_path = stem.with_suffix(".json"), stem.with_suffix(".md")
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    md_path.write_text(markdown(results), "utf-8")
    return json_path, md_path


def markdown(results):
    """The sections that were measured (all of them unless `--only` was given)."""
    sections = [_meta(results["meta"])]
    if "search" in results:
        sections.append(_search(results["search"]))
    if "queries_per_page" in results:
        sections.append(_pages(results["queries_per_page"]))
    if "import" in results:
        sections.append(_import(results["import"], results["index"]))
    if "http" in results:
        sections.append(_http(results["http"]))
    return "\n\n".join(sections) + "\n"


def _meta(meta):
    counts = meta["articles"]
    return (
        f"## Benchmark on {meta['engine']} {meta['engine_version']}"
        f"{' (quick)' if meta['quick'] else ''}\n\n"
        f"{counts['total']} articles ({counts['published']} published); "
        f"{meta['cpus']} CPUs, {meta['memory']} RAM, Python {meta['python']}, "
        f"Django {meta['django']}, {meta['date']}; load average at start "
        f"{' / '.join(str(x) for x in meta['load_average_1_5_15'])}."
    )


def _ms(block, key):
    if not block.get("available"):
        return NA
    return f"{block[key]:.1f}"


def _search(search):
    lines = [
        "### Search latency (ms; product = with facets and highlights)",
        "",
        "| class | n | p50 | p95 | p99 | matches | naive n | naive p50 "
        "| naive p95 | naive matches | naive/product (p50) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in search["classes"].values():
        product, naive = entry["product"], entry["naive"]
        lines.append(
            f"| {entry['label']} | {product.get('n', 0)} | {_ms(product, 'p50_ms')} "
            f"| {_ms(product, 'p95_ms')} | {_ms(product, 'p99_ms')} "
            f"| {product.get('mean_total', NA)} | {naive.get('n', 0)} "
            f"| {_ms(naive, 'p50_ms')} | {_ms(naive, 'p95_ms')} "
            f"| {naive.get('mean_total', NA)} "
            f"| {entry['ratio_p50'] if entry['ratio_p50'] is not None else NA} |"
        )
    ratio = search["filtered_vs_unfiltered_p50"]
    lines += ["", f"Filtered + date-sorted vs common term, p50 ratio: {ratio or NA}."]
    if not search["product_available"]:
        lines.append("The product search (articles.search) is not available here.")
    return "\n".join(lines)


def _pages(rows):
    lines = [
        "### SQL queries per page (empty cache / repeated)",
        "",
        "| page | URL | status | queries | repeated |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        queries = row.get("queries", NA)
        lines.append(
            f"| {row['name']} | `{row['url']}` | {row['status']} | {queries} "
            f"| {row.get('cached', NA)} |"
        )
    return "\n".join(lines)


def _import(imported, index):
    if imported.get("available"):
        cpu = imported.get("cpu_seconds")
        cpu_note = (
            f", {cpu} s CPU in the benchmark process and the processes it forks"
            if cpu is not None
            else ""
        )
        tags_note = ", tags applied" if imported["with_tag_suggestions"] else ""
        rate = (
            f"{imported['articles_per_second']} articles/s "
            f"({imported['created']} items in {imported['seconds']} s"
            f"{cpu_note}{tags_note})"
        )
    else:
        rate = f"{NA} ({imported.get('note', '')})"
    mib = 1024 * 1024
    return (
        "### Import and index\n\n"
        f"- import_articles throughput: {rate}\n"
        f"- search index: {index['search_bytes'] / mib:.1f} MiB "
        f"({', '.join(index['search_objects']) or 'no search objects found'})\n"
        f"- article table: {index['article_table_bytes'] / mib:.1f} MiB; "
        f"database: {index['database_bytes'] / mib:.1f} MiB"
    )


def _http(http):
    if not http.get("available"):
        return f"### gunicorn + wrk\n\n{NA}: {http.get('note', '')}"
    lines = [
        f"### gunicorn ({http['workers']} workers) + wrk, {http['seconds']} s per run",
        "",
        "| page | mode | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/request "
        "| errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for page, modes in http["pages"].items():
        for mode in ("cached", "uncached"):
            run = modes[mode]
            if "error" in run:
                lines.append(f"| {page} | {mode} | {NA} | | | | | {run['error']} |")
                continue
            errors = run["non_2xx_3xx"] + run["socket_errors"]
            lines.append(
                f"| {page} | {mode} | {run['requests_per_second']} | {run['p50_ms']} "
                f"| {run['p95_ms']} | {run['p99_ms']} "
                f"| {run.get('server_cpu_ms_per_request', NA)} | {errors} |"
            )
    return "\n".join(lines)
