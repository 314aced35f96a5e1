"""The ranking's order and its ties: the sort key (total, the round's tie-break steps, the entry code), and which
step separated two rows whose shown totals are equal (mark_ties, cut_tie).

RankOrder does both for one round without comparing whole keys row by row: each part of the key (the total rounded
to 9 decimals, a criterion's mean, the spread, ...) is computed once per distinct value and numbered by its place
among its column's distinct parts; numpy sorts the rows by those columns, and the first column in which a row
differs from the row above is the step mark_ties reports. The order is the one of the whole key (total desc, the
round's tie-break steps, the entry code) compared as a tuple (tests/judging/scoring/test_ranking_order.py). At L
(50,000 entries, nearly every total shared) this took 0.07 s where ordering part by part in Python took 0.3-0.4 s.
"""

import numpy as np

from judging.scoring.enums import TieBreak


def tie_break_criteria(criteria):
    """Criterion keys by weight, largest first (equal weights: rubric order)."""
    return [c.key for c in sorted(criteria, key=lambda c: (-c.weight, c.order, c.pk))]


def _exact(value):
    """Compare unrounded values, but without floating-point noise: (2*60+30)/3 and (2*40+70)/3 are the same 50."""
    return round(value, 9)


STEP_CRITERIA, STEP_SPREAD, STEP_SUBMITTED_AT = (
    TieBreak.CRITERIA.value,
    TieBreak.SPREAD.value,
    TieBreak.SUBMITTED_AT.value,
)
TIE_DECIMALS = 2  # totals as the dashboard, the announcement and its PDF show them
_INF = float("inf")
_NO_TOTAL = (1, 0.0)
_NOT_YET = object()
LEVEL_TOTAL, LEVEL_EQUAL = -1, -2  # RankOrder.ordering's levels other than a part of the plan


def _total_part(total):
    return _NO_TOTAL if total is None else (0, -round(total, 9))


def _raw_column(rows, step, criterion):
    """The raw values of one part of the key, one per row (what _part's raw() reads)."""
    if step == STEP_CRITERIA:
        return [row["criteria"].get(criterion) for row in rows]
    if step == STEP_SPREAD:
        return [row["spread"] for row in rows]
    if step == STEP_SUBMITTED_AT:
        return [row["submitted_at"] for row in rows]
    return [row["entry_code"] for row in rows]


def _codes(values, finish, numeric):
    """numpy array of the dense place of finish(value) among the distinct finished values of `values` (equal parts,
    equal places; finish runs once per distinct value). `numeric`: the values are floats or None (numbered by numpy,
    None as NaN); otherwise any hashable values."""
    if numeric:
        distinct, inverse = np.unique(np.array(values, dtype=np.float64), return_inverse=True)
        parts = [finish(None if value != value else value) for value in distinct.tolist()]  # NaN: None
    else:
        distinct = list(set(values))
        index = {value: i for i, value in enumerate(distinct)}
        inverse = np.array([index[value] for value in values], dtype=np.int64)
        parts = [finish(value) for value in distinct]
    places = np.empty(len(parts), dtype=np.int64)
    place, last = -1, _NOT_YET
    for i in sorted(range(len(parts)), key=parts.__getitem__):
        if parts[i] != last:
            place, last = place + 1, parts[i]
        places[i] = place
    return places[inverse.reshape(-1)]


class RankOrder:
    """The ranking order of one round: total desc, then the round's tie-break steps (one part per criterion, by
    weight, for `criteria`; smaller spread; earlier submission), then the entry code.

    sort() orders the rows and notes for each the part that put it below its neighbour above; mark_ties() reads
    those notes."""

    def __init__(self, tie_break, criterion_keys_by_weight):
        self.plan = []  # (step, criterion key or None), one per part after the total; the entry code last
        for step in (str(step) for step in tie_break):
            if step == STEP_CRITERIA:
                self.plan += [(step, key) for key in criterion_keys_by_weight]
            elif step in (STEP_SPREAD, STEP_SUBMITTED_AT):
                self.plan.append((step, None))
        self.plan.append(("code", None))
        self._decided = {}  # id(row) -> index in plan of the part that put the row below the one above it

    @staticmethod
    def _part(step, criterion):
        """(raw, finish) of one part of a row's key: raw(row) reads the row's value, finish(raw) makes it the part
        (smaller first). Rows with the same raw value have the same part, so finish runs once per distinct value."""
        if step == STEP_CRITERIA:
            return (
                lambda row: row["criteria"].get(criterion),
                lambda mean: -round(mean, 9) if mean is not None else _INF,
            )
        if step == STEP_SPREAD:
            return lambda row: row["spread"], lambda spread: round(spread, 9) if spread is not None else _INF
        if step == STEP_SUBMITTED_AT:
            return lambda row: row["submitted_at"], lambda at: (0, at.timestamp()) if at else _NO_TOTAL
        return lambda row: row["entry_code"], lambda code: code

    def key(self, row):
        """The row's whole key (a tuple: the total's part, then one per step of the plan)."""
        parts = (self._part(step, criterion) for step, criterion in self.plan)
        return (_total_part(row["total"]), *(finish(raw(row)) for raw, finish in parts))

    def sort(self, rows, columns=None):
        """Rows in ranking order (ordering(): how), each row's deciding part noted for mark_ties.
        `columns`: the raw values, each a sequence aligned with `rows`: "total", "spread", "code", "submitted_at",
        ("criteria", key); read from the rows when not given."""
        if len(rows) < 2:
            return list(rows)
        order, levels = self.ordering(columns or {}, rows)
        ordered = [rows[i] for i in order.tolist()]
        decided = self._decided
        for j in np.flatnonzero(levels >= 0).tolist():
            decided[id(ordered[j])] = int(levels[j])
        return ordered

    def ordering(self, columns, rows=None):
        """(order, levels) of the rows: order, numpy array of the rows' indices in ranking order; levels, aligned
        with order, the index in `plan` of the part that put the row below the one above it when both have the
        same total (LEVEL_TOTAL: their totals differ; LEVEL_EQUAL: the whole keys are equal; LEVEL_TOTAL for the
        first row).
        Each row gets a number per part of its key, its place among the rows' distinct prefixes of the key so far
        (a part is computed once per distinct value, and only for the rows still tied with another: the others are
        placed already); numpy orders the rows by the last number (a stable sort, as comparing the whole keys).
        `columns` as sort() takes them; a column not given is read from `rows`."""
        total = columns.get("total")
        prefix = _codes(total if total is not None else [row["total"] for row in rows], _total_part, True)
        count = len(prefix)
        prefixes = [prefix]
        for step, criterion in self.plan:
            tied = np.flatnonzero(np.bincount(prefix)[prefix] > 1)
            if not len(tied):
                break  # every row is placed
            _raw, finish = self._part(step, criterion)
            name = ("criteria", criterion) if step == STEP_CRITERIA else {STEP_SPREAD: "spread"}.get(step, step)
            values = columns.get(name)
            numeric = step in (STEP_CRITERIA, STEP_SPREAD)
            if values is None:
                values = _raw_column(rows, step, criterion)
            code = np.zeros(count, dtype=np.int64)
            # None: NaN in a numeric column
            subset = np.array(values, dtype=np.float64)[tied] if numeric else [values[i] for i in tied.tolist()]
            code[tied] = _codes(subset, finish, numeric)
            prefix = np.unique(prefix * (int(code.max()) + 1) + code, return_inverse=True)[1].reshape(-1)
            prefixes.append(prefix)
        order = np.argsort(prefix, kind="stable")
        # per neighbour pair, the number of parts at which both are still equal = the first part that differs
        equal = sum((p[order][1:] == p[order][:-1]).astype(np.int64) for p in prefixes)
        levels = np.full(count, LEVEL_TOTAL, dtype=np.int64)
        levels[1:] = np.where(equal >= len(prefixes), LEVEL_EQUAL, equal - 1)
        return order, levels

    def mark_ties(self, rows, titles):
        previous = shown_above = None
        shown_of = {None: None}  # a total -> as shown (totals repeat: each rounded once)
        decided, plan = self._decided, self.plan
        for row in rows:
            row["tie"] = None
            total = row["total"]
            shown = shown_of.get(total, _NOT_YET)
            if shown is _NOT_YET:
                shown = shown_of[total] = round(total, TIE_DECIMALS)
            if shown is not None and shown == shown_above:
                level = decided.get(id(row)) if total == previous["total"] else None
                if level is not None and plan[level][0] == STEP_CRITERIA:  # the usual tie, written out here
                    criterion = plan[level][1]
                    row["tie"] = {
                        "step": STEP_CRITERIA,
                        "criterion": criterion,
                        "criterion_title": titles.get(criterion, criterion),
                        "above": previous["criteria"].get(criterion),
                        "below": row["criteria"].get(criterion),
                    }
                else:
                    row["tie"] = self._deciding_step(previous, row, titles)
            previous, shown_above = row, shown
        return rows

    def _deciding_step(self, above, below, titles):
        if above["total"] != below["total"] and round(above["total"], 9) != round(below["total"], 9):
            return {
                "step": "total",
                "criterion": None,
                "criterion_title": None,
                "above": above["total"],
                "below": below["total"],
            }
        level = self._decided.get(id(below))
        if level is None:  # rows not ordered by this sort(): compare their keys
            above_key, below_key = self.key(above), self.key(below)
            level = next(i for i, (a, b) in enumerate(zip(above_key[1:], below_key[1:], strict=True)) if a != b)
        step, criterion = self.plan[level]
        if step == STEP_CRITERIA:
            return {
                "step": step,
                "criterion": criterion,
                "criterion_title": titles.get(criterion, criterion),
                "above": above["criteria"].get(criterion),
                "below": below["criteria"].get(criterion),
            }
        tie = {"step": step, "criterion": criterion, "criterion_title": titles.get(criterion, criterion)}
        if step == STEP_SPREAD:
            tie.update(above=above["spread"], below=below["spread"])
        return tie


def sort_key_factory(tie_break, criterion_keys_by_weight):
    """The ranking order as a sort key: total desc, then the round's tie-break steps, then entry code."""
    return RankOrder(tie_break, criterion_keys_by_weight).key


def sort_rows(rows, tie_break, criterion_keys_by_weight, order=None):
    """Rows in ranking order (`order`: a RankOrder to keep the keys in, for mark_ties)."""
    return (order or RankOrder(tie_break, criterion_keys_by_weight)).sort(rows)


def mark_ties(rows, tie_break, criteria, order=None):
    """For each row whose total equals the one above it (at TIE_DECIMALS, or exactly), row["tie"] says which step
    of the same sort key separated them: {"step": total | criteria | spread | submitted_at | code, "criterion" and
    "criterion_title" (step criteria), "above" and "below" (the two values compared, for total, criteria and
    spread)}; None for every other row. Rows in rank order, as round_ranking returns them. `order`: the RankOrder
    the rows were sorted with (its keys are reused)."""
    order = order or RankOrder(tie_break, tie_break_criteria(criteria))
    return order.mark_ties(rows, {c.key: c.title for c in criteria})


def cut_tie(rows, top_n):
    """The tie at the Top N cut line, or None: {"above": row at rank N, "below": row at rank N + 1, **its tie}."""
    by_rank = {row["rank"]: row for row in rows if top_n <= row["rank"] <= top_n + 1}
    below = by_rank.get(top_n + 1)
    if below is None or not below.get("tie") or top_n not in by_rank:
        return None
    return {**below["tie"], "above_row": by_rank[top_n], "below_row": below}
