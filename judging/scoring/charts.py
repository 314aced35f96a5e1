"""Server-rendered SVG geometry (no JavaScript, no inline styles: SVG presentation attributes only)."""

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

FILLS = {"harsh": "#b02a37", "lenient": "#1f7a3a"}  # other judges: EVEN_FILL
EVEN_FILL = "#6c757d"
ROW_HEIGHT = 44
LABEL_WIDTH = 170
PLOT_WIDTH = 300
BAR_GAP = 2


def distribution_chart(distribution, judges):
    """One row per judge: a histogram of their sheet totals T_p in ten bands 0..100 and a marker at their mean,
    with the mean over all sheets as a reference line, so harsh and lenient judges stand out.

    distribution: judging.scoring.queries.judge_distribution(); judges: judging.scoring.queries.judge_progress()."""
    if not distribution:
        return None
    bins = len(next(iter(distribution.values()))["bins"])
    peak = max(max(d["bins"]) for d in distribution.values()) or 1
    total_n = sum(d["n"] for d in distribution.values())
    mean_all = sum(d["mean"] * d["n"] for d in distribution.values()) / total_n
    bar_w = PLOT_WIDTH / bins
    rows = []
    for index, item in enumerate(j for j in judges if j["judge"].pk in distribution):
        d = distribution[item["judge"].pk]
        top = index * ROW_HEIGHT + 6
        bars = []
        for b, count in enumerate(d["bins"]):
            h = (ROW_HEIGHT - 14) * count / peak
            bars.append(
                {
                    "x": round(LABEL_WIDTH + b * bar_w + BAR_GAP / 2, 1),
                    "y": round(top + ROW_HEIGHT - 14 - h, 1),
                    "w": round(bar_w - BAR_GAP, 1),
                    "h": round(h, 1),
                    "count": count,
                    "range": f"{b * 100 // bins}-{(b + 1) * 100 // bins}",
                }
            )
        delta = d["mean"] - mean_all
        rows.append(
            {
                "name": item["judge"].full_name,
                "n": d["n"],
                "mean": d["mean"],
                "delta": delta,
                "tone": "harsh" if delta < -5 else ("lenient" if delta > 5 else "even"),
                "label_y": top + (ROW_HEIGHT - 14) / 2 + 4,
                "mean_x": round(LABEL_WIDTH + PLOT_WIDTH * d["mean"] / 100, 1),
                "top": top,
                "bottom": top + ROW_HEIGHT - 14,
                "bars": bars,
            }
        )
        rows[-1]["bars_svg"] = bars_svg(bars, rows[-1]["tone"])
    height = len(rows) * ROW_HEIGHT + 24
    ticks = [{"x": LABEL_WIDTH + PLOT_WIDTH * t / 100, "label": t} for t in (0, 25, 50, 75, 100)]
    return {
        "rows": rows,
        "width": LABEL_WIDTH + PLOT_WIDTH + 10,
        "height": height,
        "axis_y": height - 18,
        "tick_y": height - 4,
        "ticks": ticks,
        "mean_all": mean_all,
        "mean_all_x": round(LABEL_WIDTH + PLOT_WIDTH * mean_all / 100, 1),
    }


def _number(value):
    """A number as {{ value }} writes it inside {% localize off %}."""
    return conditional_escape(localize(value, use_l10n=False))


def bars_svg(bars, tone):
    """The bars of one judge's histogram as SVG markup (a <rect> with its <title> per band that has sheets), the
    markup _distribution_chart.html's loop wrote: written here because the dashboard draws it again after every
    change, and 60 judges x 10 bands through the template engine cost more than the rest of the chart."""
    fill = FILLS.get(tone, EVEN_FILL)
    return mark_safe(  # noqa: S308 - numbers and the escaped band label only
        "".join(
            f'<rect x="{_number(bar["x"])}" y="{_number(bar["y"])}" width="{_number(bar["w"])}" '
            f'height="{_number(bar["h"])}" fill="{fill}"><title>{conditional_escape(bar["range"])}: '
            f"{_number(bar['count'])}</title></rect>"
            for bar in bars
            if bar["count"]
        )
    )
