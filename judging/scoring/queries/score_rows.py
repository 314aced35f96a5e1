"""The rows of the score export: one per entry x judge x criterion, streamed."""

from decimal import Decimal

from django.db import connection

from judging.scoring.conflicts import conflict_applies_sql
from judging.scoring.queries.tables import T

SCORE_COLUMNS = [
    "entry_code",
    "entry_title",
    "judge",
    "criterion",
    "weight",
    "min",
    "max",
    "value",
    "sheet_state",
    "recused",
]

SCORES_SQL = """
SELECT e.code, e.title, u.email, c.key, c.weight, c.scale_min, c.scale_max, sc.value,
       COALESCE(s.state, 'not_started'),
       EXISTS (SELECT 1 FROM {conflict} cf WHERE {applies})
FROM {assignment} a
JOIN {round} r ON r.id = a.round_id
JOIN {entry} e ON e.id = a.entry_id
JOIN {user} u ON u.id = a.judge_id
JOIN {criterion} c ON c.round_id = a.round_id
LEFT JOIN {sheet} s ON s.assignment_id = a.id
LEFT JOIN {score} sc ON sc.sheet_id = s.id AND sc.criterion_id = c.id
WHERE a.round_id = %s
ORDER BY e.code, u.email, c."order", c.id
""".format(applies=conflict_applies_sql("cf", competition="r.competition_id", round="a.round_id"), **T)  # noqa: S608


def iter_score_rows(round_, chunk_size=5000):
    """One tuple per entry x judge x criterion (SCORE_COLUMNS), streamed from a server-side cursor."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(SCORES_SQL, [round_.pk])
        while True:
            batch = cursor.fetchmany(chunk_size)
            if not batch:
                break
            yield from batch


def format_weight(weight):
    weight = Decimal(weight)
    return str(int(weight)) if weight == weight.to_integral_value() else format(weight.normalize(), "f")
