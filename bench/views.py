"""Bare comparison views: what the simplest Django page over the same rows costs.

bare_ranking: one GROUP BY average over the round's final score rows (sheet total = weighted mean of normalised
criterion scores, entry total = mean of sheet totals), the same number of rows as the dashboard's ranking,
rendered in a plain Django template table. bare_results: the public results page's row count, read by one
plain query (the published lists are stored, not recomputed) and rendered in the same plain table.
No permission checks, no navigation, no tie-break: a floor, not a product page.
"""

from django.db import connection
from django.http import HttpResponse
from django.template import Context, Engine

from judging.models import Assignment, Criterion, Round, Score, ScoreSheet

_ENGINE = Engine(autoescape=True)
_TABLE = _ENGINE.from_string(
    """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><table><thead><tr><th>#</th><th>Kode</th><th>Judul</th><th>Instansi</th><th>Total</th>
<th>Juri</th></tr></thead><tbody>{% for row in rows %}<tr><td>{{ forloop.counter }}</td><td>{{ row.0 }}</td>
<td>{{ row.1 }}</td><td>{{ row.2 }}</td><td>{{ row.3|floatformat:2 }}</td><td>{{ row.4 }}</td></tr>{% endfor %}
</tbody></table></body></html>"""
)

BARE_SQL = f"""
SELECT e.code, e.title, ag.name, AVG(t.total), COUNT(*)
FROM (
    SELECT a.entry_id, SUM(c.weight * 100.0 * (sc.value - c.scale_min) / (c.scale_max - c.scale_min))
           / SUM(c.weight) AS total
    FROM {Score._meta.db_table} sc
    JOIN {ScoreSheet._meta.db_table} s ON s.id = sc.sheet_id
    JOIN {Assignment._meta.db_table} a ON a.id = s.assignment_id
    JOIN {Criterion._meta.db_table} c ON c.id = sc.criterion_id
    WHERE a.round_id = %s AND s.state = 'final'
    GROUP BY s.id, a.entry_id
) t
JOIN entries_entry e ON e.id = t.entry_id JOIN kipp_agency ag ON ag.id = e.agency_id
GROUP BY e.id, e.code, e.title, ag.name
ORDER BY AVG(t.total) DESC, e.code
LIMIT %s
"""  # noqa: S608


def _rows(competition, round_slug, limit):
    round_id = Round.objects.filter(competition__slug=competition, slug=round_slug).values_list("id", flat=True)[0]
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [round_id, limit])
        return cursor.fetchall()


def bare_ranking(request, competition, round_slug):
    limit = int(request.GET.get("rows", 250))
    rows = _rows(competition, round_slug, limit)
    return HttpResponse(_TABLE.render(Context({"title": "Peringkat", "rows": rows})))


RESULTS_SQL = """
SELECT e.code, e.title, ag.name, 0.0, 0
FROM entries_entry e JOIN kipp_agency ag ON ag.id = e.agency_id JOIN kipp_competition c ON c.id = e.competition_id
WHERE c.slug = %s ORDER BY e.code LIMIT %s
"""


def bare_results(request, competition, round_slug):
    """The same number of table rows as the public results page, read by one indexed query (like published lists
    that are stored, not recomputed) and rendered in a plain template: what an uncached dynamic page costs."""
    limit = int(request.GET.get("rows", 50))
    with connection.cursor() as cursor:
        cursor.execute(RESULTS_SQL, [competition, limit])
        rows = cursor.fetchall()
    return HttpResponse(_TABLE.render(Context({"title": "Hasil", "rows": rows})))
