"""Reads of judging: the ranking of a round (the method of shared/DESIGN.md), progress, queues, export rows.

round_ranking(round) is the one implementation of the method, shared by the dashboard, the exports and the
snapshots. It runs one SQL statement (CTEs and aggregates) for the whole round, plus one for the criteria.

Choices where DESIGN.md is silent (documented in docs/judging.md):
- A sheet's total T_p sums over the criteria scored on that sheet (a final sheet has every required criterion;
  an optional criterion left empty is left out of both sums).
- An entry without any counting sheet has no total; it ranks after every entry with a total, and is never
  selected or reserve.
"""

import contextlib
import datetime
import gc
from collections import defaultdict
from datetime import UTC

import psycopg
from django.conf import settings
from django.db import connection, transaction

from judging.models import Criterion, RankingSnapshot
from judging.scoring.enums import Outcome, RoundState
from judging.scoring.queries.tables import T
from judging.scoring.queries.ties import RankOrder, tie_break_criteria
from judging.scoring.quotas import apply_rules, round_rules
from kipp.db import execute_prepared

OUTLIER_POINTS = 20.0  # also written in the stored entry totals' function (migration judging 0021_entry_totals)
NEAR_CUT = 3  # ranks either side of the cut line highlighted on the dashboard
SD_EPSILON = 1e-9

# The statement of methods "mean" and "median": the round's stored entry totals (judging/scoring/totals.py: one row
# per entry with a counting sheet, kept by triggers from the stored sheet totals in the transaction of every change):
# the entry's mean and median of T_p, the number of judges, the spread, the outlying judges and its mean n_pc per
# criterion (its place in the stored array: the criterion's place in the rubric, "order" then id). One row per entry.
STORED_SQL = """
WITH place AS MATERIALIZED (
    SELECT {places}
    FROM (SELECT array_agg(id ORDER BY "order", id) AS ids FROM {criterion} WHERE round_id = %(round)s) o
)
SELECT et.id, e.id, e.code, e.title, e.agency_id, EXTRACT(EPOCH FROM e.submitted_at)::float8,
       et.{total}, COALESCE(et.judges, 0), et.spread, et.outliers{mean_columns}
FROM {round_entry} re
CROSS JOIN place p
JOIN {entry} e ON e.id = re.entry_id
LEFT JOIN {entry_total} et ON et.round_id = re.round_id AND et.entry_id = re.entry_id
WHERE re.round_id = %(round)s
  -- the round's entries through the primary key (a bitmap scan), not a scan of every competition's entries
  AND e.id = ANY(ARRAY(SELECT entry_id FROM {round_entry} WHERE round_id = %(round)s)){only}
"""
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
SELECT NULL::bigint, e.id, e.code, e.title, e.agency_id, EXTRACT(EPOCH FROM e.submitted_at)::float8,
       et.total, COALESCE(et.judges, 0), et.spread, et.outliers{select_columns}
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


def ranking_sql(n_criteria, method="mean", *, stored=True, only=False):
    """The ranking statement for a round with n criteria and an aggregation method (column names only; every value
    is a parameter). A method other than "normalised" and "median" is "mean". "mean" and "median" read the stored
    entry totals (STORED_SQL), or with stored=False the sheet totals (RANKING_SQL, as "normalised" does); with
    `only` (STORED_SQL), just the entries of the parameter %(only)s (a list of entry ids). Each row: the id of the
    stored entry total (None from RANKING_SQL or without one), then the columns _rows reads."""
    places = ", ".join(f"array_position(o.ids, %(c{i})s::bigint) AS p{i}" for i in range(n_criteria)) or "1"
    method = method if method in ENTRY_TOTAL else "mean"
    if stored and method in STORED_TOTAL:
        mean_columns = "".join(f", et.means[p.p{i}]" for i in range(n_criteria))
        return STORED_SQL.format(
            places=places,
            total=STORED_TOTAL[method],
            mean_columns=mean_columns,
            only="\n  AND e.id = ANY(%(only)s)" if only else "",
            **T,
        )
    n_columns = "".join(f", st.n[p.p{i}] AS n{i}" for i in range(n_criteria))
    m_columns = "".join(f", AVG(n{i}) AS m{i}" for i in range(n_criteria))
    select_columns = "".join(f", et.m{i}" for i in range(n_criteria))
    return RANKING_SQL.format(
        places=places,
        n_columns=n_columns,
        m_columns=m_columns,
        select_columns=select_columns,
        adjusted=NORMALISED_ADJUSTED if method == "normalised" else PLAIN_ADJUSTED,
        total=ENTRY_TOTAL[method],
        **T,
    )


def round_criteria(round_):
    """The round's criteria in rubric order (`round_` a round or its id). One plain statement: building this query
    through the ORM took five times as long as PostgreSQL took to answer it, and every score form and every submit
    reads it. The instances are those the ORM would give (every field loaded)."""
    fields = Criterion._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(Criterion._meta.db_table)
    sql = f"SELECT {columns} FROM {table} WHERE round_id = %s ORDER BY {quote('order')}, id"  # noqa: S608 - names from model meta
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, sql, [getattr(round_, "pk", round_)])
        rows = cursor.fetchall()
    names = [f.attname for f in fields]
    return [Criterion.from_db(connection.alias, names, row) for row in rows]


def _region_label(kind, name):
    labels = {"kabupaten": "Kabupaten", "kota": "Kota", "provinsi": "Provinsi"}
    return f"{labels.get(kind, kind.title())} {name}"


AGENCIES_SQL = """
SELECT ag.id, ag.name, rg.kind, rg.name FROM {agency} ag JOIN {region} rg ON rg.id = ag.region_id
WHERE ag.id = ANY(%(ids)s)
""".format(**T)  # noqa: S608 - table names from model meta


def _agencies(ids):
    """{agency id: (name, its region's label)}: one small statement, instead of joining both tables to each of the
    round's rows (at L that join and its text cost the ranking statement a third of its time)."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(AGENCIES_SQL, {"ids": sorted(ids)})
        return {pk: (name, _region_label(kind, region)) for pk, name, kind, region in cursor.fetchall()}


def _rows(raw, keys):
    """round_ranking's row dicts from the statement's rows (one pass; the agencies and their regions read once)."""
    agencies = _agencies({row[4] for row in raw})
    from_timestamp = datetime.datetime.fromtimestamp
    rows = []
    append = rows.append
    for _id, entry_id, code, title, agency_id, submitted_at, total, judges, spread, outliers, *means in raw:
        agency, region = agencies[agency_id]
        criteria = (  # dict(zip()) runs in C; the comprehension only where a mean is missing
            dict(zip(keys, means))  # noqa: B905 - as many as keys
            if None not in means
            else {key: m for key, m in zip(keys, means) if m is not None}  # noqa: B905
        )
        append(
            {
                "entry_id": entry_id,
                "entry_code": code,
                "title": title,
                "agency": agency,
                "region": region,
                "submitted_at": None if submitted_at is None else from_timestamp(submitted_at, UTC),
                "total": total,
                "judges": judges,
                "spread": spread,
                "outlier": bool(outliers),
                "outlier_judge_ids": list(outliers or []),
                "criteria": criteria,
            }
        )
    return rows


def assign_outcomes(rows, top_n, reserve_n, rules=None, *, span=None):
    """Rank, outcome and near_cut of rows in rank order: the Top N and the reserves by rank, or, when the round has
    selection rules, judging.scoring.quotas.apply_rules (which also marks the rows a rule moved). `span` (without
    rules): (start, stop), only the rows at those places (the others are where they were)."""
    if rules:
        return apply_rules(rows, top_n, reserve_n, rules)
    start, stop = span or (0, len(rows))
    selected, reserve, not_selected = Outcome.SELECTED.value, Outcome.RESERVE.value, Outcome.NOT_SELECTED.value
    last_reserve, near_from, near_to = top_n + reserve_n, top_n - NEAR_CUT, top_n + NEAR_CUT
    for rank in range(start + 1, stop + 1):
        row = rows[rank - 1]
        row["rank"] = rank
        if row["total"] is None:
            row["outcome"] = not_selected
        elif rank <= top_n:
            row["outcome"] = selected
        elif rank <= last_reserve:
            row["outcome"] = reserve
        else:
            row["outcome"] = not_selected
        row["near_cut"] = near_from < rank <= near_to
    return rows


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
    L: 0.2-0.3 s against 0.05 s in binary, docs/benchmarks.md). The same values (float8 is exact either way). The
    cursor is wrapped as Django wraps its own, so the statement is logged and counted like any other."""
    connection.ensure_connection()
    raw = _BinaryCursor(connection.connection)
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
    just theirs."""
    params = {"round": round_.pk, "eps": SD_EPSILON, "outlier": OUTLIER_POINTS}
    params.update({f"c{i}": c.pk for i, c in enumerate(criteria)})
    if only is not None:
        params["only"] = list(only)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            # A whole-round aggregate wants hash joins at every size. With stale statistics (a table vacuumed
            # while empty, rows added since: fresh test databases, a new competition) the planner estimates one
            # row per table and nests loops: 27 s instead of 0.02 s measured on the demo data. Never let it.
            cursor.execute("SET LOCAL enable_nestloop = off")
        return _fetch_binary(ranking_sql(len(criteria), str(round_.aggregation), only=only is not None), params)


def _columns(raw, keys):
    """The statement's columns that order the ranking (RankOrder.sort's `columns`), read off its rows at once."""
    if not raw:
        return None
    columns = list(zip(*raw))  # noqa: B905 - rows of one length
    found = {"code": columns[2], "submitted_at": columns[5], "total": columns[6], "spread": columns[8]}
    found.update({("criteria", key): columns[10 + i] for i, key in enumerate(keys)})
    return found


def ranked(round_, criteria, raw, rules):
    """round_ranking's rows from the statement's rows `raw` and the round's selection rules."""
    with _without_cycle_collection():
        keys = [c.key for c in criteria]
        rows = _rows(raw, keys)
        order = RankOrder(round_.tie_break, tie_break_criteria(criteria))
        rows = assign_outcomes(order.sort(rows, _columns(raw, keys)), round_.top_n, round_.reserve_n, rules)
        return order.mark_ties(rows, {c.key: c.title for c in criteria})


def round_ranking(round_, criteria=None):
    """Rows in rank order, each a dict: rank, entry_id, entry_code, title, agency, region, submitted_at, total,
    judges, spread, outlier (bool), outlier_judge_ids, criteria {key: mean normalised score}, outcome, near_cut,
    tie (mark_ties: which tie-break step separated the row from the one above). Values are unrounded floats."""
    criteria = criteria if criteria is not None else round_criteria(round_)
    rules = round_rules(round_)
    with _without_cycle_collection():
        raw = ranking_rows_raw(round_, criteria)
        rows = ranked(round_, criteria, raw, rules)
        del raw  # freed before the collector runs again: it then walks the rows only
    return rows


def final_results(rounds):
    """Across rounds: sum_r W_r * total_r / sum_r W_r, over the rounds in which the entry has a total.
    Returns {entry_id: final total}. One ranking query per round."""
    weighted = defaultdict(float)
    weights = defaultdict(float)
    for round_ in rounds:
        w = float(round_.weight)
        if w <= 0:
            continue
        for row in round_ranking(round_):
            if row["total"] is not None:
                weighted[row["entry_id"]] += w * row["total"]
                weights[row["entry_id"]] += w
    return {entry_id: weighted[entry_id] / weights[entry_id] for entry_id in weighted}


def latest_snapshot(round_, *, with_rows=True):
    """The round's newest ranking snapshot (stored by close_round, copied by publish_round), or None. Without
    `with_rows` its rows and criteria (large JSON) are read only when used: for a cache key, the id is enough."""
    snapshots = RankingSnapshot.objects.filter(round_id=round_.pk).order_by("-created_at", "-id")
    if not with_rows:
        snapshots = snapshots.defer("rows", "criteria")
    return snapshots.first()


def snapshot_rows(snapshot):
    """A snapshot's rows in the shape of round_ranking's (submitted_at a datetime again)."""
    rows = []
    for row in snapshot.rows:
        submitted = row.get("submitted_at")
        rows.append({**row, "submitted_at": datetime.datetime.fromisoformat(submitted) if submitted else None})
    return rows


def frozen_ranking(round_, snapshot=None):
    """The ranking of a closed or published round: its latest snapshot, never the live sheets (a closed round's
    figures are those it was closed with, whatever happened to a sheet since). None for a round in setup or open,
    or a closed round without a snapshot (closed before snapshots existed), whose live ranking is the one there is.
    `snapshot`: the latest snapshot when the caller already read it."""
    if round_.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        return None
    snapshot = snapshot or latest_snapshot(round_)
    return snapshot_rows(snapshot) if snapshot is not None else None


def round_figures_ranking(round_, criteria=None):
    """What a page shows as the round's ranking: frozen_ranking for a closed or published round, else the live
    round_ranking."""
    frozen = frozen_ranking(round_)
    return frozen if frozen is not None else round_ranking(round_, criteria=criteria)
