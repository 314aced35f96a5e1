"""Public statistics of innovation records as server-rendered SVG charts (drawn by the shared partial
templates/judging/publication/public/_bar_chart.html) with the numbers beside them in tables.

The geometry comes from publication_queries.bar_chart; its numbers are turned into plain strings here, because a
template localises floats (Indonesian writes 97,5), which an SVG attribute cannot read."""

from judging.publication.queries import bar_chart
from judging.records.queries import statistics

GEOMETRY = ("y", "text_y", "w", "value_x")


def svg_number(value):
    """A number as SVG expects it: a dot as decimal separator, no grouping."""
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def svg_bar_chart(items, **kwargs):
    chart = bar_chart(items, **kwargs)
    for bar in chart["bars"]:
        for key in GEOMETRY:
            bar[key] = svg_number(bar[key])
    for key in ("width", "height", "label_width", "label_x", "bar_height"):
        chart[key] = svg_number(chart[key])
    return chart


def statistics_context(now=None):
    stats = statistics(now)
    return {
        "stats": stats,
        "region_chart": svg_bar_chart(stats["by_region"]),
        "year_chart": svg_bar_chart(stats["by_year"]),
        "category_chart": svg_bar_chart(stats["by_category"]),
        "stage_chart": svg_bar_chart(stats["by_stage"]),
    }
