"""Reads of judging: the ranking of a round (the method of shared/DESIGN.md), progress, queues, export rows.

round_ranking(round) is the one implementation of the method, shared by the dashboard, the exports and the
snapshots. It runs one SQL statement for the whole round (queries/statement.py), plus one for the criteria and one
for the agencies, and builds the rows from it in one pass.

Choices where DESIGN.md is silent (documented in docs/judging.md):
- A sheet's total T_p sums over the criteria scored on that sheet (a final sheet has every required criterion;
  an optional criterion left empty is left out of both sums).
- An entry without any counting sheet has no total; it ranks after every entry with a total, and is never
  selected or reserve.
"""

import datetime
from collections import defaultdict

from django.db import connection

from judging.models import Criterion, RankingSnapshot
from judging.scoring.enums import Outcome, RoundState
from judging.scoring.queries.statement import _means, _without_cycle_collection, ranking_rows_raw
from judging.scoring.queries.tables import T
from judging.scoring.queries.ties import (
    _NOT_YET,
    LEVEL_EQUAL,
    LEVEL_TOTAL,
    STEP_CRITERIA,
    STEP_SPREAD,
    TIE_DECIMALS,
    RankOrder,
    tie_break_criteria,
)
from judging.scoring.quotas import apply_rules, round_rules
from kipp.db import execute_prepared

NEAR_CUT = 3  # ranks either side of the cut line highlighted on the dashboard


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


def _criteria(keys, means):
    """A row's criteria {key: mean} from its means (None: the entry has no total, so none)."""
    if means is None:
        return {}
    if None in means:
        return {key: m for key, m in zip(keys, means) if m is not None}  # noqa: B905 - as many as keys
    return dict(zip(keys, means))  # noqa: B905 - dict(zip()) runs in C


def _rows(raw, keys):
    """round_ranking's row dicts from the statement's rows (one pass; the agencies and their regions read once)."""
    agencies = _agencies({row[4] for row in raw})
    means_of = _means(raw, len(keys))[0]
    rows = []
    append = rows.append
    for values, means in zip(raw, means_of, strict=True):
        entry_id, code, title, agency_id, submitted_at, total, judges, spread, outliers = values[1:10]
        agency, region = agencies[agency_id]
        append(
            {
                "entry_id": entry_id,
                "entry_code": code,
                "title": title,
                "agency": agency,
                "region": region,
                "submitted_at": submitted_at,
                "total": total,
                "judges": judges,
                "spread": spread,
                "outlier": bool(outliers),
                "outlier_judge_ids": list(outliers or []),
                "criteria": _criteria(keys, means),
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


def _columns(raw, keys, matrix):
    """The statement's columns that order the ranking (RankOrder.ordering's `columns`), read off its rows at once;
    the criteria means from `matrix` (_means)."""
    if not raw:
        return None
    columns = list(zip(*(row[:10] for row in raw)))  # noqa: B905 - rows of one length
    found = {"code": columns[2], "submitted_at": columns[5], "total": columns[6], "spread": columns[8]}
    found.update({("criteria", key): matrix[:, i] for i, key in enumerate(keys)})
    return found


def ranked(round_, criteria, raw, rules):
    """round_ranking's rows from the statement's rows `raw` and the round's selection rules."""
    with _without_cycle_collection():
        keys = [c.key for c in criteria]
        titles = {c.key: c.title for c in criteria}
        order = RankOrder(round_.tie_break, tie_break_criteria(criteria))
        if not rules and raw:
            return _ranked_rows(raw, keys, order, titles, round_.top_n, round_.reserve_n)
        rows = _rows(raw, keys)
        rows = assign_outcomes(order.sort(rows), round_.top_n, round_.reserve_n, rules)
        return order.mark_ties(rows, titles)


def _tie_notes(plan, titles):
    """Per level of RankOrder.ordering (a part of the plan, or LEVEL_TOTAL): (step, criterion, its title), the
    first three values of mark_ties' note."""
    notes = {LEVEL_TOTAL: ("total", None, None)}
    for level, (step, criterion) in enumerate(plan):
        notes[level] = (step, criterion, titles.get(criterion, criterion))
    return notes


def _ranked_rows(raw, keys, order, titles, top_n, reserve_n):
    """round_ranking's rows of a round without selection rules, built in rank order in one pass: what _rows,
    RankOrder.sort, assign_outcomes and RankOrder.mark_ties do one after the other (the same rows, the same keys in
    the same order), each row's dict written once. At L (50,000 rows) the passes cost more than the ordering."""
    means_of, matrix = _means(raw, len(keys))
    positions, levels = order.ordering(_columns(raw, keys, matrix))
    notes = _tie_notes(order.plan, titles)
    agencies = _agencies({row[4] for row in raw})
    selected, reserve, not_selected = Outcome.SELECTED.value, Outcome.RESERVE.value, Outcome.NOT_SELECTED.value
    last_reserve, near_from, near_to = top_n + reserve_n, top_n - NEAR_CUT, top_n + NEAR_CUT
    step_criteria, step_spread, step_total = STEP_CRITERIA, STEP_SPREAD, "total"
    shown_of = {None: None}  # a total -> as shown (totals repeat: each rounded once)
    rows = []
    append = rows.append
    above = shown_above = None
    for rank, (i, level) in enumerate(zip(positions.tolist(), levels.tolist(), strict=True), start=1):
        entry_id, code, title, agency_id, submitted_at, total, judges, spread, outliers = raw[i][1:10]
        agency, region = agencies[agency_id]
        criteria = _criteria(keys, means_of[i])
        shown = shown_of.get(total, _NOT_YET)
        if shown is _NOT_YET:
            shown = shown_of[total] = round(total, TIE_DECIMALS)
        tie = None
        if shown is not None and shown == shown_above:
            if level == LEVEL_EQUAL:  # equal whole keys (entry codes differ, so never): mark_ties' way, below
                tie = _NOT_YET
            else:
                step, criterion, criterion_title = notes[level]
                if step == step_criteria:
                    tie = {
                        "step": step,
                        "criterion": criterion,
                        "criterion_title": criterion_title,
                        "above": above["criteria"].get(criterion),
                        "below": criteria.get(criterion),
                    }
                elif step == step_total:
                    tie = {
                        "step": step,
                        "criterion": None,
                        "criterion_title": None,
                        "above": above["total"],
                        "below": total,
                    }
                elif step == step_spread:
                    tie = {
                        "step": step,
                        "criterion": criterion,
                        "criterion_title": criterion_title,
                        "above": above["spread"],
                        "below": spread,
                    }
                else:
                    tie = {"step": step, "criterion": criterion, "criterion_title": criterion_title}
        if total is None or rank > last_reserve:
            outcome = not_selected
        elif rank <= top_n:
            outcome = selected
        else:
            outcome = reserve
        row = {
            "entry_id": entry_id,
            "entry_code": code,
            "title": title,
            "agency": agency,
            "region": region,
            "submitted_at": submitted_at,
            "total": total,
            "judges": judges,
            "spread": spread,
            "outlier": bool(outliers),
            "outlier_judge_ids": list(outliers or []),
            "criteria": criteria,
            "rank": rank,
            "outcome": outcome,
            "near_cut": near_from < rank <= near_to,
            "tie": tie,
        }
        if tie is _NOT_YET:
            row["tie"] = order._deciding_step(above, row, titles)
        append(row)
        above, shown_above = row, shown
    return rows


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
