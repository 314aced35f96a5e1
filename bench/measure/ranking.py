"""1. Ranking a round vs the bare SQL floor."""

from django.db import connection

from bench.measure.common import Row, bench_round, median, ms, secs, timed
from judging.models import Criterion, Score, SheetTotal
from judging.scoring.queries import round_ranking

FLOOR_SQL = """
SELECT t.entry_id, AVG(t.total), COUNT(*), STDDEV_POP(t.total)
FROM (
    SELECT a.entry_id, SUM(c.weight * 100.0 * (sc.value - c.scale_min) / (c.scale_max - c.scale_min))
           / SUM(c.weight) AS total
    FROM judging_score sc
    JOIN judging_scoresheet s ON s.id = sc.sheet_id
    JOIN judging_assignment a ON a.id = s.assignment_id
    JOIN judging_criterion c ON c.id = sc.criterion_id
    WHERE a.round_id = %s AND s.state = 'final'
    GROUP BY s.id, a.entry_id
) t GROUP BY t.entry_id
"""


def floor_query(round_):
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [round_.pk])
        return cursor.fetchall()


def measure_ranking(datasets):
    rows = []
    for name, comp in datasets.items():
        if name not in ("S", "M", "L"):
            continue
        round_ = bench_round(comp)
        criteria = list(Criterion.objects.filter(round=round_).order_by("order", "id"))
        runs = 3 if name == "L" else 5
        round_ranking(round_, criteria=criteria)  # warm the cache
        floor_query(round_)
        ranking = median(timed(lambda r=round_, c=criteria: round_ranking(r, criteria=c), runs))
        floor = median(timed(lambda r=round_: floor_query(r), runs))
        ratio = ranking / floor if floor else float("inf")
        scores = Score.objects.filter(sheet__assignment__round=round_).count()
        entries = round_.round_entries.count()
        totals = SheetTotal.objects.filter(round=round_).count()
        label = (
            f"ranking {name} ({entries:,} entries ranked, {scores:,} scores, read as {totals:,} stored sheet totals; "
            f"no cache), median of {runs}"
        )
        if name == "M":
            rows.append(Row("ranking", label, secs(ranking), "<= 0.5 s", ranking <= 0.5))
            rows.append(
                Row(
                    "ranking",
                    f"  M: floor (bare SQL aggregate of the {scores:,} scores) / ratio",
                    f"{ms(floor)} / {ratio:.2f}x",
                    "<= 2x",
                    ratio <= 2,
                )
            )
        elif name == "L":
            rows.append(Row("ranking", label, secs(ranking), "<= 5 s", ranking <= 5))
            rows.append(
                Row(
                    "ranking",
                    f"  L: floor (bare SQL aggregate of the {scores:,} scores) / ratio",
                    f"{secs(floor)} / {ratio:.2f}x",
                    "<= 0.5x",
                    ratio <= 0.5,
                )
            )
        else:
            rows.append(Row("ranking", label, ms(ranking), "", None))
            rows.append(
                Row(
                    "ranking",
                    f"  {name}: floor (bare SQL aggregate of the {scores:,} scores) / ratio",
                    f"{ms(floor)} / {ratio:.2f}x",
                    "",
                    None,
                )
            )
    return rows
