"""SVG geometry must be written with a decimal point in every language: Indonesian formats 97.5 as "97,5", which
SVG cannot read (the bars silently disappear). Every chart partial renders its SVG with localisation off."""

import re

from django.template.loader import render_to_string
from django.utils import translation

ATTRIBUTE_WITH_COMMA = re.compile(r'\s(?:x|y|x1|x2|y1|y2|width|height|points)="[^"]*\d,\d[^"]*"')


def _render(template, context):
    with translation.override("id"):
        return render_to_string(template, context)


def test_bar_chart_geometry_is_not_localised():
    bar = {
        "full_label": "Kabupaten Jeneponto",
        "label": "Jeneponto",
        "n": 3,
        "y": 2.5,
        "w": 97.5,
        "text_y": 14.5,
        "value_x": 310.5,
    }
    chart = {"bars": [bar], "width": 520.5, "height": 40.5, "label_x": 200.5, "label_width": 210.5, "bar_height": 18.5}
    html = _render("judging/publication/public/_bar_chart.html", {"chart": chart, "label": "x"})
    assert 'width="97.5"' in html
    assert not ATTRIBUTE_WITH_COMMA.search(html)


def test_distribution_chart_geometry_is_not_localised():
    bars = [{"count": 2, "x": 10.5, "y": 4.5, "w": 12.25, "h": 7.75, "range": "50–60"}]
    row = {
        "name": "Juri",
        "tone": "harsh",
        "bars": bars,
        "mean_x": 55.5,
        "top": 1.5,
        "bottom": 20.5,
        "label_y": 9.5,
        "n": 3,
        "mean": 55.5,
        "delta": -6.5,
    }
    chart = {
        "width": 600.5,
        "height": 200.5,
        "axis_y": 180.5,
        "tick_y": 195.5,
        "mean_all_x": 300.5,
        "mean_all": 61.5,
        "ticks": [{"x": 20.5, "label": "0"}],
        "rows": [row],
    }
    html = _render("judging/scoring/_distribution_chart.html", {"chart": chart})
    assert 'width="12.25"' in html
    assert not ATTRIBUTE_WITH_COMMA.search(html)
