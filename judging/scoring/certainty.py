"""How certain the cut is (issue 7, item 5): a bootstrap over the judges' sheets.

For each resample, every entry's counting sheets (final, not recused) are drawn with replacement, as many as it
has, and its total is recomputed with the round's method (mean or median of T_p; for "normalised", the mean of the
normalised v_p values, which are resampled as they are). The entries are ranked by the resampled totals (equal
totals keep the order of the real ranking) and the share of resamples in which an entry lands in the Top N is
reported. An entry whose share is far from 0 and 1 owes its place to which judges happened to score it.

The sheets come from ONE query (sheet totals and, for "normalised", v_p, computed in SQL exactly as the ranking
does); the resampling is vectorised with numpy and seeded, so the same round gives the same shares every time.
"""

import json
from collections import defaultdict
from dataclasses import asdict, dataclass

import numpy as np
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from judging.scoring.enums import AggregationMethod
from judging.scoring.queries import COUNTING_SHEETS, SD_EPSILON, T, cut_tie, round_figures_ranking

RESAMPLES = 200
CHUNK = 20  # resamples drawn at a time (a background job reports its progress after each)
SEED = 2023
WINDOW = 10  # ranks shown either side of the cut line
SURE = 0.95  # a share at or above this (or at or below 1 - SURE) is "decided"

SHEET_VALUES_SQL = """
WITH crit AS (
    SELECT id, weight::float8 AS w, scale_min::float8 AS lo, scale_max::float8 - scale_min::float8 AS span
    FROM {criterion} WHERE round_id = %(round)s
),
sheets AS ({counting}),
totals AS (
    SELECT sh.sheet_id, sh.entry_id, sh.judge_id, SUM(c.w * 100.0 * (sc.value - c.lo) / c.span) / SUM(c.w) AS t
    FROM sheets sh JOIN {score} sc ON sc.sheet_id = sh.sheet_id JOIN crit c ON c.id = sc.criterion_id
    GROUP BY sh.sheet_id, sh.entry_id, sh.judge_id
),
judge_stats AS (
    SELECT judge_id, COUNT(*) AS k, AVG(t) AS mean_p, STDDEV_POP(t) AS sd_p FROM totals GROUP BY judge_id
),
all_stats AS (SELECT AVG(t) AS mean_all, COALESCE(STDDEV_POP(t), 0) AS sd_all FROM totals)
SELECT t.entry_id,
       CASE WHEN %(method)s = 'normalised' AND js.k >= 3 AND js.sd_p > %(eps)s
            THEN a.mean_all + a.sd_all * (t.t - js.mean_p) / js.sd_p ELSE t.t END AS v
FROM totals t JOIN judge_stats js ON js.judge_id = t.judge_id CROSS JOIN all_stats a
ORDER BY t.entry_id, t.sheet_id
""".format(counting=COUNTING_SHEETS, **T).format(**T)  # noqa: S608 - table names from model meta; values are parameters


def sheet_values(round_):
    """{entry_id: [value per counting sheet]}: T_p, or v_p for a normalised round. One query."""
    params = {"round": round_.pk, "competition": round_.competition_id, "method": round_.aggregation, "eps": SD_EPSILON}
    with connection.cursor() as cursor:
        cursor.execute(SHEET_VALUES_SQL, params)
        raw = cursor.fetchall()
    values = defaultdict(list)
    for entry_id, v in raw:
        values[entry_id].append(v)
    return values


def resample_shares(values, top_n, method=AggregationMethod.MEAN, resamples=RESAMPLES, seed=SEED, progress=None):
    """values: a list (in the real ranking's order) of lists of sheet values per entry (empty: no total).
    Returns a numpy array: for each entry, the share of resamples in which it is in the Top N. The resamples are
    drawn CHUNK at a time (bounded memory); progress(done, resamples) is called after each chunk (a background
    job's progress). The draws do not depend on whether progress is given: the same seed, the same shares."""
    n = len(values)
    if n == 0:
        if progress is not None:
            progress(resamples, resamples)
        return np.zeros(0)
    rng = np.random.default_rng(seed)
    by_k = defaultdict(list)
    for index, sheet in enumerate(values):
        if sheet:
            by_k[len(sheet)].append(index)
    groups = [(k, np.array(by_k[k]), np.array([values[i] for i in by_k[k]], dtype=float)) for k in sorted(by_k)]
    reduce = np.median if method == AggregationMethod.MEDIAN else np.mean
    counts = np.zeros(n, dtype=np.int64)
    done = 0
    while done < resamples:
        chunk = min(CHUNK, resamples - done)
        totals = np.full((chunk, n), -np.inf)
        for k, idx, matrix in groups:  # matrix: (n_k, k)
            draws = rng.integers(0, k, size=(chunk, len(idx), k))
            sample = matrix[np.arange(len(idx))[None, :, None], draws]  # (R, n_k, k)
            totals[:, idx] = reduce(sample, axis=2)
        # Rank each resample by total (desc; unrounded but free of float noise), equal totals in the real order.
        order_keys = (np.broadcast_to(np.arange(n), (chunk, n)), -np.round(totals, 9))
        order = np.lexsort(order_keys, axis=-1)
        top = order[:, : min(top_n, n)]
        in_top = np.isfinite(np.take_along_axis(totals, top, axis=1))
        counts += np.bincount(top[in_top].ravel(), minlength=n)
        done += chunk
        if progress is not None:
            progress(done, resamples)
    return counts / resamples


@dataclass
class Row:
    rank: int
    entry_id: int
    entry_code: str
    title: str
    total: float | None
    judges: int
    share: float
    selected: bool
    tie: dict | None = None  # queries.mark_ties: the tie-break step that put it below the row above

    @property
    def percent(self):
        return round(100 * self.share)

    @property
    def verdict(self):
        if self.total is not None and self.judges < 2:  # one sheet drawn again and again: the share says nothing
            return "single"
        if self.share >= SURE:
            return "in"
        if self.share <= 1 - SURE:
            return "out"
        return "noise"


def cut_certainty(round_, resamples=RESAMPLES, seed=SEED, window=WINDOW, progress=None):
    """{"rows": [Row near the cut], "undecided": int (entries anywhere whose share is between 5% and 95%), "single":
    int (entries anywhere with a total from one judge: no resample can move them, so no share is measured),
    "resamples", "top_n", "entries", "cut_tie" (queries.cut_tie)}. Two queries (the ranking and the sheet values).
    progress(done, total): resamples drawn so far (judging/scoring/jobs.py runs this as a background job)."""
    ranking = round_figures_ranking(round_)  # a closed round's ranks and totals: those it was closed with
    values_by_entry = sheet_values(round_)
    values = [values_by_entry.get(row["entry_id"], []) if row["total"] is not None else [] for row in ranking]
    shares = resample_shares(
        values, round_.top_n, round_.aggregation, resamples, seed=[seed, round_.pk], progress=progress
    )
    rows = [
        Row(
            rank=row["rank"],
            entry_id=row["entry_id"],
            entry_code=row["entry_code"],
            title=row["title"],
            total=row["total"],
            judges=row["judges"],
            share=float(shares[i]),
            selected=row["outcome"] == "selected",
            tie=row["tie"],
        )
        for i, row in enumerate(ranking)
    ]
    near = [r for r in rows if round_.top_n - window < r.rank <= round_.top_n + window]
    return {
        "rows": near,
        "undecided": sum(1 for r in rows if r.verdict == "noise"),
        "single": sum(1 for r in rows if r.verdict == "single"),
        "resamples": resamples,
        "top_n": round_.top_n,
        "entries": len(rows),
        "cut_tie": cut_tie(ranking, round_.top_n),
    }


def _plain(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _row_brief(row):
    return {"rank": row["rank"], "entry_code": row["entry_code"], "total": row["total"]}


def result_to_json(result):
    """cut_certainty's result as JSON data (a background job stores it; result_from_json reads it back)."""
    cut = result["cut_tie"]
    if cut is not None:
        cut = {**cut, "above_row": _row_brief(cut["above_row"]), "below_row": _row_brief(cut["below_row"])}
    return _plain({**result, "rows": [asdict(row) for row in result["rows"]], "cut_tie": cut})


def result_from_json(data):
    return {**data, "rows": [Row(**row) for row in data["rows"]]}
