"""Reads of judging: the ranking of a round (the method of shared/DESIGN.md), progress, queues, export rows.

round_ranking(round) is the one implementation of the method, shared by the dashboard, the exports and the
snapshots. It runs one SQL statement (CTEs and aggregates) for the whole round, plus one for the criteria.

Choices where DESIGN.md is silent (documented in docs/judging.md):
- A sheet's total T_p sums over the criteria scored on that sheet (a final sheet has every required criterion;
  an optional criterion left empty is left out of both sums).
- An entry without any counting sheet has no total; it ranks after every entry with a total, and is never
  selected or reserve.
"""

import datetime
from collections import defaultdict
from datetime import UTC
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q

from entries.models import Entry
from judging.models import Assignment, Conflict, Criterion, Round, RoundEntry, RoundJudge, Score, ScoreSheet
from judging.scoring.enums import Outcome, QueueStatus, SheetState, TieBreak
from kipp.db import execute_prepared
from kipp.models import Agency, Region, User

OUTLIER_POINTS = 20.0
NEAR_CUT = 3  # ranks either side of the cut line highlighted on the dashboard
SD_EPSILON = 1e-9

T = {
    "criterion": Criterion._meta.db_table,
    "sheet": ScoreSheet._meta.db_table,
    "assignment": Assignment._meta.db_table,
    "score": Score._meta.db_table,
    "conflict": Conflict._meta.db_table,
    "round": Round._meta.db_table,
    "round_entry": RoundEntry._meta.db_table,
    "entry": Entry._meta.db_table,
    "agency": Agency._meta.db_table,
    "region": Region._meta.db_table,
    "user": User._meta.db_table,
}

# Sheets that count: final, and no conflict (competition-wide or for this round) between judge and entry.
COUNTING_SHEETS = """
    SELECT s.id AS sheet_id, a.entry_id, a.judge_id
    FROM {sheet} s JOIN {assignment} a ON a.id = s.assignment_id
    WHERE a.round_id = %(round)s AND s.state = 'final'
      -- the round's sheets through the assignment index (a bitmap scan), not a scan of every round's sheets
      AND s.assignment_id = ANY(ARRAY(SELECT id FROM {assignment} WHERE round_id = %(round)s))
      AND NOT EXISTS (
        SELECT 1 FROM {conflict} c
        WHERE c.judge_id = a.judge_id AND c.entry_id = a.entry_id AND c.competition_id = %(competition)s
          AND (c.round_id IS NULL OR c.round_id = %(round)s))
"""

# One scan of the round's scores, grouped by sheet (a hash aggregate, no sort): the sheet total T_p and, in one
# column per criterion (FILTER), the sheet's normalised score n_pc. Everything after works on one row per sheet.
# {n_columns} / {m_columns} are generated from the number of criteria; criterion ids are parameters.
RANKING_SQL = """
WITH crit AS (
    SELECT id, weight::float8 AS w, scale_min::float8 AS lo, (scale_max - scale_min)::float8 AS span
    FROM {criterion} WHERE round_id = %(round)s
),
per_sheet AS MATERIALIZED (
    SELECT sc.sheet_id, SUM(c.w * 100.0 * (sc.value - c.lo) / c.span) / SUM(c.w) AS t{n_columns}
    FROM {score} sc JOIN crit c ON c.id = sc.criterion_id
    WHERE sc.criterion_id = ANY(%(criterion_ids)s)
    GROUP BY sc.sheet_id
),
totals AS MATERIALIZED (
    SELECT ps.*, sh.entry_id, sh.judge_id FROM per_sheet ps JOIN ({counting}) sh ON sh.sheet_id = ps.sheet_id
),
judge_stats AS (
    SELECT judge_id, COUNT(*) AS k, AVG(t) AS mean_p, STDDEV_POP(t) AS sd_p FROM totals GROUP BY judge_id
),
all_stats AS MATERIALIZED (SELECT AVG(t) AS mean_all, COALESCE(STDDEV_POP(t), 0) AS sd_all FROM totals),
adjusted AS (
    SELECT t.*,
           CASE WHEN %(method)s = 'normalised' AND js.k >= 3 AND js.sd_p > %(eps)s
                THEN a.mean_all + a.sd_all * (t.t - js.mean_p) / js.sd_p ELSE t.t END AS v,
           AVG(t.t) OVER (PARTITION BY t.entry_id) AS panel_mean
    FROM totals t JOIN judge_stats js ON js.judge_id = t.judge_id CROSS JOIN all_stats a
),
entry_totals AS (
    SELECT entry_id,
           CASE WHEN %(method)s = 'median' THEN percentile_cont(0.5) WITHIN GROUP (ORDER BY t)
                ELSE AVG(v) END AS total,
           COUNT(*) AS judges,
           STDDEV_POP(t) AS spread,
           array_agg(judge_id ORDER BY judge_id) FILTER (WHERE abs(t - panel_mean) > %(outlier)s) AS outliers{m_columns}
    FROM adjusted GROUP BY entry_id
)
SELECT e.id, e.code, e.title, ag.name, rg.kind, rg.name, EXTRACT(EPOCH FROM e.submitted_at)::float8,
       et.total, COALESCE(et.judges, 0), et.spread, et.outliers{select_columns}
FROM {round_entry} re
JOIN {entry} e ON e.id = re.entry_id
JOIN {agency} ag ON ag.id = e.agency_id
JOIN {region} rg ON rg.id = ag.region_id
LEFT JOIN entry_totals et ON et.entry_id = e.id
WHERE re.round_id = %(round)s AND e.id = ANY(ARRAY(SELECT entry_id FROM {round_entry} WHERE round_id = %(round)s))
"""


def ranking_sql(n_criteria):
    """The ranking statement for a round with n criteria (column names only; every value is a parameter)."""
    n_columns = "".join(
        f",\n           MAX(100.0 * (sc.value - c.lo) / c.span) FILTER (WHERE sc.criterion_id = %(c{i})s) AS n{i}"
        for i in range(n_criteria)
    )
    m_columns = "".join(f", AVG(n{i}) AS m{i}" for i in range(n_criteria))
    select_columns = "".join(f", et.m{i}" for i in range(n_criteria))
    counting = COUNTING_SHEETS.format(**T)
    return RANKING_SQL.format(
        n_columns=n_columns, m_columns=m_columns, select_columns=select_columns, counting=counting, **T
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


def tie_break_criteria(criteria):
    """Criterion keys by weight, largest first (equal weights: rubric order)."""
    return [c.key for c in sorted(criteria, key=lambda c: (-c.weight, c.order, c.pk))]


def _region_label(kind, name):
    labels = {"kabupaten": "Kabupaten", "kota": "Kota", "provinsi": "Provinsi"}
    return f"{labels.get(kind, kind.title())} {name}"


def _exact(value):
    """Compare unrounded values, but without floating-point noise: (2*60+30)/3 and (2*40+70)/3 are the same 50."""
    return round(value, 9)


STEP_CRITERIA, STEP_SPREAD, STEP_SUBMITTED_AT = (
    TieBreak.CRITERIA.value,
    TieBreak.SPREAD.value,
    TieBreak.SUBMITTED_AT.value,
)


def _key_steps(tie_break, criterion_keys_by_weight):
    """The ranking order as labelled parts: [(step, criterion key or None, part of the sort key)], in order: the
    total, each of the round's tie-break steps (one part per criterion for `criteria`), then the entry code."""
    steps = [str(step) for step in tie_break]
    keys = list(criterion_keys_by_weight)
    inf = float("inf")

    def parts(row):
        total = row["total"]
        labelled = [("total", None, (0, -round(total, 9)) if total is not None else (1, 0.0))]
        for step in steps:
            if step == STEP_CRITERIA:
                crit = row["criteria"]
                labelled.extend((step, k, (-round(crit[k], 9) if k in crit else inf,)) for k in keys)
            elif step == STEP_SPREAD:
                spread = row["spread"]
                labelled.append((step, None, (round(spread, 9) if spread is not None else inf,)))
            elif step == STEP_SUBMITTED_AT:
                at = row["submitted_at"]
                labelled.append((step, None, (0, at.timestamp()) if at else (1, 0.0)))
        labelled.append(("code", None, (row["entry_code"],)))
        return labelled

    return parts


def sort_key_factory(tie_break, criterion_keys_by_weight):
    """The ranking order as a sort key: total desc, then the round's tie-break steps, then entry code."""
    parts = _key_steps(tie_break, criterion_keys_by_weight)

    def key(row):
        return tuple(value for _step, _criterion, part in parts(row) for value in part)

    return key


def sort_rows(rows, tie_break, criterion_keys_by_weight):
    """Sort by total first; only rows whose totals tie are compared by the full tie-break key (cheaper)."""
    full_key = sort_key_factory(tie_break, criterion_keys_by_weight)
    groups = defaultdict(list)
    for row in rows:
        total = row["total"]
        groups[(1, 0.0) if total is None else (0, -_exact(total))].append(row)
    ordered = []
    for key in sorted(groups):
        group = groups[key]
        if len(group) > 1:
            group.sort(key=full_key)
        ordered.extend(group)
    return ordered


def assign_outcomes(rows, top_n, reserve_n):
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        if row["total"] is None:
            row["outcome"] = Outcome.NOT_SELECTED.value
        elif rank <= top_n:
            row["outcome"] = Outcome.SELECTED.value
        elif rank <= top_n + reserve_n:
            row["outcome"] = Outcome.RESERVE.value
        else:
            row["outcome"] = Outcome.NOT_SELECTED.value
        row["near_cut"] = top_n - NEAR_CUT < rank <= top_n + NEAR_CUT
    return rows


TIE_DECIMALS = 2  # totals as the dashboard, the announcement and its PDF show them


def mark_ties(rows, tie_break, criteria):
    """For each row whose total equals the one above it (at TIE_DECIMALS, or exactly), row["tie"] says which step
    of the same sort key separated them: {"step": total | criteria | spread | submitted_at | code, "criterion" and
    "criterion_title" (step criteria), "above" and "below" (the two values compared, for total, criteria and
    spread)}; None for every other row. Rows in rank order, as round_ranking returns them."""
    titles = {c.key: c.title for c in criteria}
    parts = _key_steps(tie_break, tie_break_criteria(criteria))
    previous = None
    for row in rows:
        row["tie"] = None
        both = previous is not None and row["total"] is not None and previous["total"] is not None
        if both and round(previous["total"], TIE_DECIMALS) == round(row["total"], TIE_DECIMALS):
            row["tie"] = _deciding_step(parts(previous), parts(row), previous, row, titles)
        previous = row
    return rows


def _deciding_step(above_parts, below_parts, above, below, titles):
    for (step, criterion, a), (_step, _criterion, b) in zip(above_parts, below_parts, strict=True):
        if a == b:
            continue
        tie = {"step": step, "criterion": criterion, "criterion_title": titles.get(criterion, criterion)}
        if step == "total":
            tie.update(above=above["total"], below=below["total"])
        elif step == STEP_CRITERIA:
            tie.update(above=above["criteria"].get(criterion), below=below["criteria"].get(criterion))
        elif step == STEP_SPREAD:
            tie.update(above=above["spread"], below=below["spread"])
        return tie
    return {"step": "code", "criterion": None, "criterion_title": None}  # pragma: no cover - codes are unique


def cut_tie(rows, top_n):
    """The tie at the Top N cut line, or None: {"above": row at rank N, "below": row at rank N + 1, **its tie}."""
    by_rank = {row["rank"]: row for row in rows if top_n <= row["rank"] <= top_n + 1}
    below = by_rank.get(top_n + 1)
    if below is None or not below.get("tie") or top_n not in by_rank:
        return None
    return {**below["tie"], "above_row": by_rank[top_n], "below_row": below}


def round_ranking(round_, criteria=None):
    """Rows in rank order, each a dict: rank, entry_id, entry_code, title, agency, region, submitted_at, total,
    judges, spread, outlier (bool), outlier_judge_ids, criteria {key: mean normalised score}, outcome, near_cut,
    tie (mark_ties: which tie-break step separated the row from the one above). Values are unrounded floats."""
    criteria = criteria if criteria is not None else round_criteria(round_)
    params = {
        "round": round_.pk,
        "competition": round_.competition_id,
        "method": round_.aggregation,
        "eps": SD_EPSILON,
        "outlier": OUTLIER_POINTS,
    }
    params.update({f"c{i}": c.pk for i, c in enumerate(criteria)})
    # Only the round's scores (an index scan on criterion_id), not a scan of every round's scores in the database.
    params["criterion_ids"] = [c.pk for c in criteria]
    keys = [c.key for c in criteria]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # A whole-round aggregate wants hash joins at every size. With stale statistics (a table vacuumed while
        # empty, rows added since: fresh test databases, a new competition) the planner estimates one row per
        # table and nests loops: 27 s instead of 0.02 s measured on the demo data. Never let it.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(ranking_sql(len(criteria)), params)
        raw = cursor.fetchall()
    rows = []
    for entry_id, code, title, agency, kind, region, submitted_at, total, judges, spread, outliers, *means in raw:
        rows.append(
            {
                "entry_id": entry_id,
                "entry_code": code,
                "title": title,
                "agency": agency,
                "region": _region_label(kind, region),
                "submitted_at": None if submitted_at is None else datetime.datetime.fromtimestamp(submitted_at, UTC),
                "total": total,
                "judges": judges,
                "spread": spread,
                "outlier": bool(outliers),
                "outlier_judge_ids": list(outliers or []),
                "criteria": {key: m for key, m in zip(keys, means, strict=True) if m is not None},
            }
        )
    rows = sort_rows(rows, round_.tie_break, tie_break_criteria(criteria))
    return mark_ties(assign_outcomes(rows, round_.top_n, round_.reserve_n), round_.tie_break, criteria)


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


# Progress and queues ----------------------------------------------------------------------------------------------


def recused_q(prefix=""):
    """An Exists() that is true when the assignment (at `prefix`) is covered by a conflict."""
    return Exists(
        Conflict.objects.filter(
            Q(round__isnull=True) | Q(round_id=OuterRef(f"{prefix}round_id")),
            competition_id=OuterRef(f"{prefix}round__competition_id"),
            judge_id=OuterRef(f"{prefix}judge_id"),
            entry_id=OuterRef(f"{prefix}entry_id"),
        )
    )


# The round's assignments with their sheet's state and whether a conflict covers them: the base of the progress
# figures. Hash joins fed by the round's ids (as in the ranking), so the cost follows the round, not the database.
ROUND_ASSIGNMENTS = """
    SELECT a.id, a.entry_id, a.judge_id, s.state,
           EXISTS (SELECT 1 FROM {conflict} c
                    WHERE c.competition_id = %(competition)s AND c.judge_id = a.judge_id AND c.entry_id = a.entry_id
                      AND (c.round_id IS NULL OR c.round_id = %(round)s)) AS recused
    FROM {assignment} a
    LEFT JOIN {sheet} s ON s.assignment_id = a.id
         AND s.assignment_id = ANY(ARRAY(SELECT id FROM {assignment} WHERE round_id = %(round)s))
    WHERE a.round_id = %(round)s
""".format(**T)  # noqa: S608 - table names from model meta


def _fetch(sql, round_, **params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")  # hash joins at every size (see round_ranking)
        cursor.execute(sql, {"round": round_.pk, "competition": round_.competition_id, **params})
        return cursor.fetchall()


def judge_progress(round_):
    """Per judge of the round: assigned, final, draft (counting assignments, i.e. not recused, as round_progress
    counts them, so the rows add up to its figures), recused, and percent final. Two queries (the counts, the
    judges)."""
    sql = f"""
        SELECT ra.judge_id, COUNT(*) FILTER (WHERE NOT ra.recused),
               COUNT(*) FILTER (WHERE ra.state = 'final' AND NOT ra.recused),
               COUNT(*) FILTER (WHERE ra.state = 'draft' AND NOT ra.recused), COUNT(*) FILTER (WHERE ra.recused)
        FROM ({ROUND_ASSIGNMENTS}) ra GROUP BY ra.judge_id
    """  # noqa: S608
    counts = {row[0]: row[1:] for row in _fetch(sql, round_)}
    rows = RoundJudge.objects.filter(round=round_).select_related("judge").order_by("judge__full_name")
    progress = []
    for rj in rows:
        assigned, final, draft, recused = counts.get(rj.judge_id, (0, 0, 0, 0))
        progress.append(
            {
                "judge": rj.judge,
                "assigned": assigned,
                "final": final,
                "draft": draft,
                "recused": recused,
                "percent": round(100 * final / assigned) if assigned else 0,
            }
        )
    return progress


def missing_sheets(round_):
    """Entries of the round with assigned sheets (not recused) that are not final, by code: dicts with entry_id,
    code, title, missing (sheets not final), final (final sheets). Two queries."""
    sql = f"""
        SELECT ra.entry_id, COUNT(*) FILTER (WHERE ra.state IS DISTINCT FROM 'final'),
               COUNT(*) FILTER (WHERE ra.state = 'final')
        FROM ({ROUND_ASSIGNMENTS}) ra WHERE NOT ra.recused GROUP BY ra.entry_id
        HAVING COUNT(*) FILTER (WHERE ra.state IS DISTINCT FROM 'final') > 0
    """  # noqa: S608
    counts = {entry_id: (missing, final) for entry_id, missing, final in _fetch(sql, round_)}
    entries = Entry.objects.filter(pk__in=counts).only("id", "code", "title").order_by("code")
    return [
        {"entry_id": e.pk, "code": e.code, "title": e.title, "missing": counts[e.pk][0], "final": counts[e.pk][1]}
        for e in entries
    ]


def rows_short_of_k(rows, k):
    """The ranking rows (or announcement rows) of entries with fewer than k final, unrecused sheets."""
    return [row for row in rows if ((row.get("judges") if isinstance(row, dict) else row.judges) or 0) < k]


def round_progress(round_):
    """Final counting sheets / expected (assignments not recused). One query (grouped, at most six rows)."""
    sql = f"SELECT ra.recused, ra.state, COUNT(*) FROM ({ROUND_ASSIGNMENTS}) ra GROUP BY ra.recused, ra.state"  # noqa: S608
    counts = {"expected": 0, "final": 0, "draft": 0, "recused": 0}
    for recused, state, n in _fetch(sql, round_):
        if recused:
            counts["recused"] += n
            continue
        counts["expected"] += n
        if state == SheetState.FINAL:
            counts["final"] += n
        elif state == SheetState.DRAFT:
            counts["draft"] += n
    counts["percent"] = round(100 * counts["final"] / counts["expected"]) if counts["expected"] else 0
    return counts


def entries_short_of_k(round_):
    """Entries of the round with fewer than k judges who are not recused, with the count (`active`), by code.
    Two queries (the short entries' ids and counts, then those entries)."""
    sql = f"""
        SELECT re.id, COALESCE(active.n, 0)
        FROM {T["round_entry"]} re
        LEFT JOIN (SELECT ra.entry_id, COUNT(*) AS n FROM ({ROUND_ASSIGNMENTS}) ra WHERE NOT ra.recused
                   GROUP BY ra.entry_id) active ON active.entry_id = re.entry_id
        WHERE re.round_id = %(round)s AND COALESCE(active.n, 0) < %(k)s
    """  # noqa: S608
    active = dict(_fetch(sql, round_, k=round_.judges_per_entry))
    if not active:
        return []
    short = list(RoundEntry.objects.filter(pk__in=active).select_related("entry").order_by("entry__code"))
    for item in short:
        item.active = active[item.pk]
    return short


def replacement_candidates(round_, entries):
    """For each entry short of k: round judges without a conflict and not yet assigned, least loaded first.
    Three queries for any number of entries."""
    entry_ids = [re.entry_id for re in entries]
    judges = list(
        RoundJudge.objects.filter(round=round_)
        .select_related("judge")
        .annotate(load=Count("judge__assignments", filter=Q(judge__assignments__round=round_)))
        .order_by("load", "judge__full_name")
    )
    conflicts = set(
        Conflict.objects.filter(
            Q(round__isnull=True) | Q(round=round_), competition_id=round_.competition_id, entry_id__in=entry_ids
        ).values_list("judge_id", "entry_id")
    )
    assigned = set(Assignment.objects.filter(round=round_, entry_id__in=entry_ids).values_list("judge_id", "entry_id"))
    return {
        entry_id: [
            rj for rj in judges if (rj.judge_id, entry_id) not in conflicts and (rj.judge_id, entry_id) not in assigned
        ]
        for entry_id in entry_ids
    }


def judge_queue(round_, judge):
    """The judge's assignments in the round, in presentation order when there is one, else by code: each with
    status (not started / draft / final) and whether it is recused. One query."""
    position = RoundEntry.objects.filter(round=round_, entry_id=OuterRef("entry_id")).values("position")[:1]
    qs = (
        Assignment.objects.filter(round=round_, judge=judge)
        .select_related("entry", "entry__agency", "entry__category", "sheet")
        .annotate(recused=recused_q(), position=position)
        .order_by("position", "entry__code")
    )
    items = []
    for a in qs:
        sheet = getattr(a, "sheet", None)
        status = QueueStatus.NOT_STARTED if sheet is None else QueueStatus(sheet.state)
        items.append({"assignment": a, "entry": a.entry, "status": status, "recused": a.recused, "sheet": sheet})
    return items


def judge_rounds(judge):
    """Rounds in which the judge has assignments, with counts. One query."""
    return list(
        Round.objects.filter(assignments__judge=judge)
        .select_related("competition")
        .annotate(
            assigned=Count("assignments", filter=Q(assignments__judge=judge), distinct=True),
            final=Count(
                "assignments",
                filter=Q(assignments__judge=judge, assignments__sheet__state=SheetState.FINAL),
                distinct=True,
            ),
        )
        .order_by("-competition__year", "order")
    )


def judge_distribution(round_, bins=10):
    """Per judge: the histogram of their sheet totals T_p (final, not recused), in `bins` bands of 0..100,
    and their mean. One query."""
    # The same shape as the ranking: the round's scores (by criterion id) grouped per sheet, then the counting sheets.
    sql = """
    WITH per_sheet AS MATERIALIZED (
        SELECT sc.sheet_id, SUM(c.weight::float8 * 100.0 * (sc.value - c.scale_min) / (c.scale_max - c.scale_min))
               / SUM(c.weight::float8) AS t
        FROM {score} sc JOIN {criterion} c ON c.id = sc.criterion_id
        WHERE c.round_id = %(round)s
          AND sc.criterion_id = ANY(ARRAY(SELECT id FROM {criterion} WHERE round_id = %(round)s))
        GROUP BY sc.sheet_id
    ),
    totals AS (SELECT sh.judge_id, ps.t FROM per_sheet ps JOIN ({counting}) sh ON sh.sheet_id = ps.sheet_id)
    -- bands [0, 10), [10, 20), ..., [90, 100]: width_bucket gives bins + 1 for exactly 100
    SELECT judge_id, LEAST(width_bucket(t, 0, 100, %(bins)s), %(bins)s) AS b, COUNT(*), AVG(t)
    FROM totals GROUP BY judge_id, b
    """.format(counting=COUNTING_SHEETS, **T).format(**T)  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")  # as in round_ranking: hash joins at every size
        cursor.execute(sql, {"round": round_.pk, "competition": round_.competition_id, "bins": bins})
        raw = cursor.fetchall()
    hist = defaultdict(lambda: [0] * bins)
    sums = defaultdict(float)
    counts = defaultdict(int)
    for judge_id, bucket, n, mean in raw:
        hist[judge_id][max(bucket, 1) - 1] += n
        sums[judge_id] += mean * n
        counts[judge_id] += n
    return {j: {"bins": hist[j], "n": counts[j], "mean": sums[j] / counts[j]} for j in hist}


# Exports ----------------------------------------------------------------------------------------------------------

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
       EXISTS (SELECT 1 FROM {conflict} cf WHERE cf.judge_id = a.judge_id AND cf.entry_id = a.entry_id
               AND cf.competition_id = r.competition_id AND (cf.round_id IS NULL OR cf.round_id = a.round_id))
FROM {assignment} a
JOIN {round} r ON r.id = a.round_id
JOIN {entry} e ON e.id = a.entry_id
JOIN {user} u ON u.id = a.judge_id
JOIN {criterion} c ON c.round_id = a.round_id
LEFT JOIN {sheet} s ON s.assignment_id = a.id
LEFT JOIN {score} sc ON sc.sheet_id = s.id AND sc.criterion_id = c.id
WHERE a.round_id = %s
ORDER BY e.code, u.email, c."order", c.id
""".format(**T)  # noqa: S608


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
