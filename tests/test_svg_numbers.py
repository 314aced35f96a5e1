"""SVG geometry must be written with a decimal point in every language: Indonesian formats 97.5 as "97,5", which
SVG cannot read (the bars silently disappear). Every chart partial renders its SVG with localisation off."""

import re

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from judging.scoring.charts import bars_svg

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
        "bars_svg": bars_svg(bars, "harsh"),
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


# The loop _distribution_chart.html had before the bars were written in Python (judging/scoring/charts.py bars_svg).
TEMPLATE_BARS = (
    '{% load l10n %}{% localize off %}{% for bar in row.bars %}{% if bar.count %}<rect x="{{ bar.x }}" '
    'y="{{ bar.y }}" width="{{ bar.w }}" height="{{ bar.h }}" fill="{% if row.tone == \'harsh\' %}#b02a37'
    "{% elif row.tone == 'lenient' %}#1f7a3a{% else %}#6c757d{% endif %}\"><title>{{ bar.range }}: {{ bar.count }}"
    "</title></rect>{% endif %}{% endfor %}{% endlocalize %}"
)


def test_the_bars_written_in_python_are_the_markup_the_template_wrote():
    bars = [
        {"count": 2, "x": 171.0, "y": 4.5, "w": 28.0, "h": 7.75, "range": "0-10"},
        {"count": 0, "x": 201.0, "y": 36.0, "w": 28.0, "h": 0.0, "range": "10-20"},
        {"count": 1234, "x": 231.0, "y": 6.1, "w": 28.0, "h": 29.9, "range": "90-100"},
    ]
    for language in ("id", "en"):
        with translation.override(language):
            for tone in ("harsh", "lenient", "even"):
                expected = Template(TEMPLATE_BARS).render(Context({"row": {"bars": bars, "tone": tone}}))
                assert bars_svg(bars, tone) == expected
                assert expected.count("<rect") == 2
