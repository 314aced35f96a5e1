"""The ranking's order and its ties: the sort key (total, the round's tie-break steps, the entry code), and which
step separated two rows whose shown totals are equal (mark_ties, cut_tie).

RankOrder does both for one round without comparing whole keys: rows are grouped by their unrounded total, and only
rows that still tie get their next part computed (a criterion's mean, the spread, ...), once per row; the part at
which a row parted from the row above is noted as it is found, and that is the step mark_ties reports. The order is
the one of the whole key (total desc, the round's tie-break steps, the entry code) compared as a tuple.
"""

from collections import defaultdict

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
_MISSING = object()


def _total_part(total):
    return _NO_TOTAL if total is None else (0, -round(total, 9))


class RankOrder:
    """The ranking order of one round: total desc, then the round's tie-break steps (one part per criterion, by
    weight, for `criteria`; smaller spread; earlier submission), then the entry code.

    sort() orders rows whose unrounded totals tie part by part: it computes a row's next part only while the row is
    still tied with another (most rows part from their neighbours at the first criterion or two), and notes for each
    row the part that put it below its neighbour above; mark_ties() reads those notes."""

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

    def sort(self, rows):
        """Rows in ranking order."""
        groups = defaultdict(list)
        for row in rows:
            groups[_total_part(row["total"])].append(row)
        ordered = []
        parts = [(*self._part(step, criterion), {}) for step, criterion in self.plan]
        for total in sorted(groups):
            self._order(groups[total], 0, parts, ordered)
        return ordered

    def _order(self, group, level, parts, ordered):
        """Append `group` (rows equal on every part before `level`) to `ordered` in key order. parts: (raw, finish,
        {raw value: part}) per level."""
        if len(group) == 1 or level == len(parts):
            ordered.extend(group)  # one row, or equal whole keys (never: entry codes are unique): as they came
            return
        raw, finish, finished = parts[level]
        buckets = defaultdict(list)
        for row in group:
            value = raw(row)
            part = finished.get(value, _MISSING)
            if part is _MISSING:
                part = finished[value] = finish(value)
            buckets[part].append(row)
        if len(buckets) == 1:
            self._order(group, level + 1, parts, ordered)
            return
        for i, part in enumerate(sorted(buckets)):
            first = len(ordered)
            self._order(buckets[part], level + 1, parts, ordered)
            if i:  # the bucket's first row in order parted from the row above it at this part
                self._decided[id(ordered[first])] = level

    def mark_ties(self, rows, titles):
        previous = shown_above = None
        for row in rows:
            row["tie"] = None
            total = row["total"]
            shown = None if total is None else round(total, TIE_DECIMALS)
            if shown is not None and shown == shown_above:
                row["tie"] = self._deciding_step(previous, row, titles)
            previous, shown_above = row, shown
        return rows

    def _deciding_step(self, above, below, titles):
        if round(above["total"], 9) != round(below["total"], 9):
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
