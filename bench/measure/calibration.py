"""0. Machine calibration: two fixed workloads, so that figures from different machines can be read against each other
(divide a figure by the calibration of its run before comparing it with another machine's)."""

from django.db import connection

from bench.measure.common import Row, median, ms, timed

PYTHON_LOOP_N = 2_000_000
SQL_ROWS = 2_000_000
CALIBRATION_SQL = "SELECT sum(i::float8 * i) FROM generate_series(1, %s) AS i"


def python_loop():
    total = 0
    for i in range(PYTHON_LOOP_N):
        total += i * i
    return total


def sql_aggregate():
    with connection.cursor() as cursor:
        cursor.execute(CALIBRATION_SQL, [SQL_ROWS])
        return cursor.fetchone()[0]


def measure_calibration(runs=5):
    python_loop()
    sql_aggregate()
    loop = median(timed(python_loop, runs))
    aggregate = median(timed(sql_aggregate, runs))
    return [
        Row("calibration", f"pure-Python loop (sum of i*i, i < {PYTHON_LOOP_N:,}), median of {runs}", ms(loop)),
        Row(
            "calibration",
            f"SQL aggregate (sum over generate_series of {SQL_ROWS:,} rows, PostgreSQL), median of {runs}",
            ms(aggregate),
        ),
    ]
