"""Coverage per year and kind as a stacked bar chart, laid out for inline SVG.

The geometry is computed here so the template only prints numbers: no
JavaScript, no chart library, and the same picture with scripts turned off.
"""

import dataclasses

from .timeline import KINDS

WIDTH, HEIGHT = 600, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_TOP = 36, 20, 28, 12
MAX_BAR_WIDTH = 36  # a few years should not turn into slabs


@dataclasses.dataclass
class Bar:
    year: int
    kind: str
    count: int
    x: float
    y: float
    width: float
    height: float


def _years(counts):
    """Every year from the first to the last with items, gaps included."""
    years = [year for year, _ in counts]
    return list(range(min(years), max(years) + 1)) if years else []


def coverage_chart(counts):
    """Bars, axis labels and a text summary for `counts` {(year, kind): n}."""
    years = _years(counts)
    if not years:
        return None
    totals = {year: sum(counts.get((year, k), 0) for k in KINDS) for year in years}
    peak = max(totals.values()) or 1
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / len(years)
    bars, labels = [], []
    bar_width = min(step * 0.7, MAX_BAR_WIDTH)
    for index, year in enumerate(years):
        centre = MARGIN_LEFT + (index + 0.5) * step
        x = centre - bar_width / 2
        base = HEIGHT - MARGIN_BOTTOM
        for kind in KINDS:
            count = counts.get((year, kind), 0)
            if count:
                height = plot_h * count / peak
                base -= height
                bars.append(Bar(year, kind, count, x, base, bar_width, height))
        if _label_year(index, len(years)):
            labels.append({"year": year, "x": centre})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "labels": labels,
        "peak": peak,
        "axis_y": HEIGHT - MARGIN_BOTTOM,
        "axis_x": MARGIN_LEFT,
        "axis_end": WIDTH - MARGIN_RIGHT,
        "peak_y": MARGIN_TOP,
        "label_y": HEIGHT - 8,
        "rows": _table_rows(years, counts, totals),
        "summary": _summary(years, totals),
        "kinds": KINDS,
    }


def _label_year(index, count):
    # Label every year when there are few, otherwise about eight evenly spaced.
    every = max(1, round(count / 8))
    return index % every == 0 or index == count - 1


def _table_rows(years, counts, totals):
    rows = []
    for year in years:
        if totals[year]:
            cells = [counts.get((year, kind), 0) for kind in KINDS]
            rows.append({"year": year, "cells": cells, "total": totals[year]})
    return rows


def _summary(years, totals):
    busiest = max(years, key=lambda year: (totals[year], year))
    return (
        f"{sum(totals.values())} items from {years[0]} to {years[-1]}; "
        f"the busiest year was {busiest} with {totals[busiest]}."
    )
