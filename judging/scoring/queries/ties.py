"""The ranking's order and its ties: the sort key (total, the round's tie-break steps, the entry code), and which
step separated two rows whose shown totals are equal (mark_ties, cut_tie)."""

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


def _key_steps(tie_break, criterion_keys_by_weight):
    """The ranking order as labelled parts: parts(row) yields (step, criterion key or None, part of the sort key), in
    order: the total, each of the round's tie-break steps (one part per criterion for `criteria`), then the entry
    code."""
    steps = [str(step) for step in tie_break]
    keys = list(criterion_keys_by_weight)
    inf = float("inf")

    def parts(row):
        """The labelled parts of the row's key, one at a time (a generator): comparing two rows stops at the first
        part that differs, which is nearly always the first (the total)."""
        total = row["total"]
        yield ("total", None, (0, -round(total, 9)) if total is not None else (1, 0.0))
        for step in steps:
            if step == STEP_CRITERIA:
                crit = row["criteria"]
                for k in keys:
                    yield (step, k, (-round(crit[k], 9) if k in crit else inf,))
            elif step == STEP_SPREAD:
                spread = row["spread"]
                yield (step, None, (round(spread, 9) if spread is not None else inf,))
            elif step == STEP_SUBMITTED_AT:
                at = row["submitted_at"]
                yield (step, None, (0, at.timestamp()) if at else (1, 0.0))
        yield ("code", None, (row["entry_code"],))

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
