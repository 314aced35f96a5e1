"""The ranking's statement: its SQL (one statement for the whole round: the stored entry totals for methods "mean"
and "median", the stored sheet totals for "normalised"), run with binary results, and its rows decoded.

ranking_rows_raw(round_, criteria) gives the statement's rows as tuples (ranking_sql says which columns);
_means(raw, n) decodes their criteria means (sent as one float8[] per row) for every row at once. The rows are made
round_ranking's in queries/ranking.py, and patched into a previous ranking in queries/live.py.
"""

import contextlib
import gc
import struct
from datetime import UTC

import numpy as np
import psycopg
import psycopg.adapt
from django.conf import settings
from django.db import connection, transaction

from judging.scoring.queries.tables import T

OUTLIER_POINTS = 20.0  # also written in the stored entry totals' function (migration judging 0021_entry_totals)
SD_EPSILON = 1e-9

# The statement of methods "mean" and "median": the round's stored entry totals (judging/scoring/totals.py: one row
# per entry with a counting sheet, kept by triggers from the stored sheet totals in the transaction of every change):
# the entry's mean and median of T_p, the number of judges, the spread, the outlying judges and its mean n_pc per
# criterion (an array in rubric order, "order" then id). One row per entry.
# The means are sent as the stored array when the caller's criteria are the rubric in that order (%(criteria)s, the
# ids; RUBRIC_GUARD, evaluated once: no row otherwise), else rearranged to the caller's order by subscripts
# (PLACE_CTE): at L the seven subscripts per row were a third of the statement's time.
STORED_SQL = """{with_place}
SELECT et.id, e.id, e.code, e.title, e.agency_id, e.submitted_at,
       et.{total}, COALESCE(et.judges, 0), et.spread, et.outliers, {means}
FROM {round_entry} re{cross_place}
JOIN {entry} e ON e.id = re.entry_id
LEFT JOIN {entry_total} et ON et.round_id = re.round_id AND et.entry_id = re.entry_id
WHERE re.round_id = %(round)s
  -- the round's entries through the primary key (a bitmap scan), not a scan of every competition's entries
  AND e.id = ANY(ARRAY(SELECT entry_id FROM {round_entry} WHERE round_id = %(round)s)){only}{guard}
"""
RUBRIC_GUARD = """
  AND (SELECT COALESCE(array_agg(id ORDER BY "order", id), '{{}}') FROM {criterion} WHERE round_id = %(round)s)
      = %(criteria)s::bigint[]"""
PLACE_CTE = """
WITH place AS MATERIALIZED (
    SELECT {places}
    FROM (SELECT array_agg(id ORDER BY "order", id) AS ids FROM {criterion} WHERE round_id = %(round)s) o
)"""
STORED_TOTAL = {"mean": "mean", "median": "median"}

# The statement of method "normalised", whose totals depend on every sheet of the round (the judges' and the panel's
# mean and sd): the round's stored sheet totals (one row per counting sheet): the sheet total T_p and, one column per
# criterion, the sheet's normalised score n_pc. {n_columns} / {m_columns} are generated from the number of criteria;
# criterion ids are parameters.
RANKING_SQL = """
WITH place AS MATERIALIZED (
    SELECT {places}
    FROM (SELECT array_agg(id ORDER BY "order", id) AS ids FROM {criterion} WHERE round_id = %(round)s) o
),
totals AS MATERIALIZED (
    SELECT st.sheet_id, st.total AS t{n_columns}, st.entry_id, st.judge_id
    FROM {sheet_total} st CROSS JOIN place p
    WHERE st.round_id = %(round)s
),{adjusted}
entry_totals AS (
    SELECT entry_id,
           {total} AS total,
           COUNT(*) AS judges,
           STDDEV_POP(t) AS spread,
           array_agg(judge_id ORDER BY judge_id) FILTER (WHERE abs(t - panel_mean) > %(outlier)s) AS outliers{m_columns}
    FROM adjusted GROUP BY entry_id
)
SELECT NULL::bigint, e.id, e.code, e.title, e.agency_id, e.submitted_at,
       et.total, COALESCE(et.judges, 0), et.spread, et.outliers, {select_columns}
FROM {round_entry} re
JOIN {entry} e ON e.id = re.entry_id
LEFT JOIN entry_totals et ON et.entry_id = e.id
WHERE re.round_id = %(round)s AND e.id = ANY(ARRAY(SELECT entry_id FROM {round_entry} WHERE round_id = %(round)s))
"""

# "normalised": v_p from the judge's and the panel's mean and sd (DESIGN.md); the entry's total is the mean of its v_p.
NORMALISED_ADJUSTED = """
judge_stats AS (
    SELECT judge_id, COUNT(*) AS k, AVG(t) AS mean_p, STDDEV_POP(t) AS sd_p FROM totals GROUP BY judge_id
),
all_stats AS MATERIALIZED (SELECT AVG(t) AS mean_all, COALESCE(STDDEV_POP(t), 0) AS sd_all FROM totals),
adjusted AS (
    SELECT t.*,
           CASE WHEN js.k >= 3 AND js.sd_p > %(eps)s
                THEN a.mean_all + a.sd_all * (t.t - js.mean_p) / js.sd_p ELSE t.t END AS v,
           AVG(t.t) OVER (PARTITION BY t.entry_id) AS panel_mean
    FROM totals t JOIN judge_stats js ON js.judge_id = t.judge_id CROSS JOIN all_stats a
),"""
# "mean" and "median" from the sheet totals (the stored entry totals say the same: STORED_SQL reads those).
PLAIN_ADJUSTED = """
adjusted AS (SELECT t.*, AVG(t.t) OVER (PARTITION BY t.entry_id) AS panel_mean FROM totals t),"""
ENTRY_TOTAL = {"normalised": "AVG(v)", "median": "percentile_cont(0.5) WITHIN GROUP (ORDER BY t)", "mean": "AVG(t)"}


def _array(columns, present):
    """One float8[] of the columns (SQL expressions), NULL where `present` (an SQL condition) is false."""
    return f"CASE WHEN {present} THEN ARRAY[{', '.join(columns)}]::float8[] END"


def ranking_sql(n_criteria, method="mean", *, stored=True, only=False, in_rubric_order=True):
    """The ranking statement for a round with n criteria and an aggregation method (column names only; every value
    is a parameter). A method other than "normalised" and "median" is "mean". "mean" and "median" read the stored
    entry totals (STORED_SQL), or with stored=False the sheet totals (RANKING_SQL, as "normalised" does); with
    `only` (STORED_SQL), just the entries of the parameter %(only)s (a list of entry ids); `in_rubric_order`
    (STORED_SQL): rows only if the criteria are the rubric's in its order (RUBRIC_GUARD), else by PLACE_CTE.
    Each row: the id of the stored entry total (None from RANKING_SQL or without one), the entry's id, code, title,
    agency id and submission time, its total, judges, spread and outlying judges, then its criteria means as one
    float8[] in the order of the criteria (None without a total), sent as they are (_MeansLoader, decoded by
    _means)."""
    places = ", ".join(f"array_position(o.ids, %(c{i})s::bigint) AS p{i}" for i in range(n_criteria)) or "1"
    method = method if method in ENTRY_TOTAL else "mean"
    if stored and method in STORED_TOTAL:
        if in_rubric_order:
            means, with_place, cross_place, guard = "et.means", "", "", RUBRIC_GUARD.format(**T)
        else:
            means = _array([f"et.means[p.p{i}]" for i in range(n_criteria)], "et.id IS NOT NULL")
            with_place, cross_place, guard = PLACE_CTE.format(places=places, **T), "\nCROSS JOIN place p", ""
        return STORED_SQL.format(
            with_place=with_place,
            cross_place=cross_place,
            guard=guard,
            total=STORED_TOTAL[method],
            means=means,
            only="\n  AND e.id = ANY(%(only)s)" if only else "",
            **T,
        )
    n_columns = "".join(f", st.n[p.p{i}] AS n{i}" for i in range(n_criteria))
    m_columns = "".join(f", AVG(n{i}) AS m{i}" for i in range(n_criteria))
    return RANKING_SQL.format(
        places=places,
        n_columns=n_columns,
        m_columns=m_columns,
        select_columns=_array([f"et.m{i}" for i in range(n_criteria)], "et.entry_id IS NOT NULL"),
        adjusted=NORMALISED_ADJUSTED if method == "normalised" else PLAIN_ADJUSTED,
        total=ENTRY_TOTAL[method],
        **T,
    )


_HEADER = 20  # a one-dimensional array: dimensions, has-nulls flag, element type, length, lower bound (int32 each)


def _array_values(blob):
    """The values of one float8[] in PostgreSQL's binary format (None for NULL, and for each NULL element)."""
    if blob is None:
        return None
    ndim, _nulls, _element = struct.unpack_from(">iiI", blob)
    if ndim == 0:
        return []
    (count,) = struct.unpack_from(">i", blob, 12)
    values, at = [], _HEADER
    for _ in range(count):
        (length,) = struct.unpack_from(">i", blob, at)
        at += 4
        if length < 0:
            values.append(None)
        else:
            values.append(struct.unpack_from(">d", blob, at)[0])
            at += length
    return values


def _means(raw, n):
    """The criteria means of the statement's rows, from their float8[] as sent (_MeansLoader): a list per row (n
    floats, None where missing; None for an entry without a total) and an array of rows x n float64 (NaN: none).
    The arrays without a NULL (nearly all) are decoded by numpy at once, the others one by one."""
    blobs = [row[10] for row in raw]
    size = _HEADER + 12 * n
    plain = [i for i, blob in enumerate(blobs) if blob is not None and len(blob) == size and not blob[7]]
    matrix = np.full((len(blobs), n), np.nan)
    if plain and n:
        element = np.dtype([("length", ">i4"), ("value", ">f8")])
        array = np.dtype([("header", ">i4", (5,)), ("items", element, (n,))])
        parsed = np.frombuffer(b"".join([blobs[i] for i in plain]), dtype=array)
        matrix[plain] = parsed["items"]["value"].astype(np.float64)
    means = matrix.tolist()
    if len(plain) < len(blobs):
        plain_set = set(plain)
        for i, blob in enumerate(blobs):
            if i not in plain_set:
                values = _array_values(blob)
                if values is not None:  # as many as the criteria (a subscript past the end was NULL)
                    values = (values + [None] * n)[:n]
                    matrix[i] = [np.nan if v is None else v for v in values]
                means[i] = values
    return means, matrix


class _MeansLoader(psycopg.adapt.Loader):
    """float8[] values as PostgreSQL sends them in binary: _means decodes every row's at once (psycopg's array loader
    runs in Python, a call per row: at L more than the statement's own time for the criteria means)."""

    format = psycopg.pq.Format.BINARY

    def load(self, data):
        return bytes(data)


class _BinaryCursor(psycopg.Cursor):
    """A cursor that binds on the server and receives binary results. psycopg prepares a statement it has run five
    times on the server session; behind a pooler in transaction mode that session may not be the next one, so with
    DB_PREPARED_STATEMENTS off (kipp/db.py, kipp/settings.py) nothing is prepared."""

    def execute(self, query, params=None, *, prepare=None, binary=True):
        if not getattr(settings, "DB_PREPARED_STATEMENTS", True):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


def _fetch_binary(sql, params):
    """All rows of one statement, its results sent in PostgreSQL's binary format: Django's cursor binds on the client
    and reads every value as text, and parsing 50,000 rows of 18 columns of text took longer than the statement (at
    L: 0.2-0.3 s against 0.05 s in binary, docs/benchmarks.md). The same values (float8 is exact either way); a
    float8[] as its bytes (_MeansLoader). The cursor is wrapped as Django wraps its own, so the statement is logged
    and counted like any other."""
    connection.ensure_connection()
    raw = _BinaryCursor(connection.connection)
    raw.adapters.register_loader(psycopg.postgres.types["float8"].array_oid, _MeansLoader)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        cursor.execute(sql, params)
        with _without_cycle_collection():
            return cursor.fetchall()


@contextlib.contextmanager
def _without_cycle_collection():
    """Python's cycle collector paused while the ranking's rows are built: tens of thousands of new dicts and lists
    (no cycles among them) made it walk every live object again and again: at L 60% of round_ranking's Python time
    (measured, docs/benchmarks.md). Resumed after, if it was on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ranking_rows_raw(round_, criteria, only=None):
    """The statement's rows of the round (ranking_sql), or with `only` (method mean or median: a list of entry ids)
    just theirs. The submission times are in UTC, as round_ranking's rows hold them."""
    params = {"round": round_.pk, "eps": SD_EPSILON, "outlier": OUTLIER_POINTS, "criteria": [c.pk for c in criteria]}
    params.update({f"c{i}": c.pk for i, c in enumerate(criteria)})
    if only is not None:
        params["only"] = list(only)
    method = str(round_.aggregation)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            # A whole-round aggregate wants hash joins at every size. With stale statistics (a table vacuumed
            # while empty, rows added since: fresh test databases, a new competition) the planner estimates one
            # row per table and nests loops: 27 s instead of 0.02 s measured on the demo data. Never let it.
            cursor.execute("SET LOCAL enable_nestloop = off")
        raw = _fetch_binary(ranking_sql(len(criteria), method, only=only is not None), params)
        if not raw and method in STORED_TOTAL:  # the criteria are not the rubric in its order (or nothing to read)
            raw = _fetch_binary(
                ranking_sql(len(criteria), method, only=only is not None, in_rubric_order=False), params
            )
    return _in_utc(raw)


def _in_utc(raw):
    """The rows with their submission times in UTC: psycopg gives them in the connection's time zone, which Django
    sets to UTC (USE_TZ); should it be another, they are converted."""
    for row in raw:
        if row[5] is not None:
            if row[5].tzinfo is UTC:
                return raw
            break
    else:
        return raw
    return [(*row[:5], None if row[5] is None else row[5].astimezone(UTC), *row[6:]) for row in raw]
