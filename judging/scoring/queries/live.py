"""The live ranking of a round during scoring, brought up to date from the entries whose stored totals changed.

During live scoring every request to the dashboard after a submit is the first one of a new state. Ranking the
whole round again (round_ranking: every entry's row read, built, ordered and its tie noted) is what a full
recomputation costs; after one submit, one entry's stored totals changed. live_ranking(round_, criteria, previous)
reads which entries changed since `previous` (the LiveRanking this process computed before), reads just their rows,
and moves them to their places in the previous order; the ranks, outcomes and tie notes of the rows around them
follow. The rows are exactly round_ranking's (tests/judging/scoring/test_live_ranking.py compares them after random
sequences of changes).

What tells that an entry changed: its stored entry total (judging/scoring/totals.py) is deleted and inserted again
by every refresh, so its id changes; one statement reads the id of every entry of the round (the entries of the
round too). What the rows show besides the totals (an entry's code, title, agency, region, submission time; the
round's entries, settings, criteria, selection rules) changes through statements that leave a row in
judging_scoringchange (migration 0010) with the table's name: the count of such rows of those tables, read before
the rows, must be the one `previous` was read with, or the round is ranked again. Those counts only grow; a squash
replaces them by a marker row with a new id (ranked again).

Ranked again in full instead of patched: the method "normalised" (every sheet moves every total), a round with
selection rules (judging/scoring/quotas.py: a rule may move any row), more than PATCH_AT_MOST changed entries.
"""

import bisect
from dataclasses import dataclass

from django.db import connection

from judging.scoring.queries.ranking import _rows, assign_outcomes, ranked
from judging.scoring.queries.statement import STORED_TOTAL, _fetch_binary, _without_cycle_collection, ranking_rows_raw
from judging.scoring.queries.tables import T
from judging.scoring.queries.ties import TIE_DECIMALS, RankOrder, tie_break_criteria
from judging.scoring.quotas import round_rules

PATCH_AT_MOST = 200  # changed entries moved into the previous order; more: the round is ranked again
# Tables whose changes can change a ranking row other than through the stored totals (judging_scoringchange.source).
LABEL_SOURCES = (
    "entries_entry",
    "kipp_agency",
    "kipp_region",
    "judging_roundentry",
    "judging_round",
    "judging_criterion",
    "judging_selectionrule",
    "squash",
)


@dataclass(frozen=True)
class LiveRanking:
    rows: list  # round_ranking's rows
    total_ids: dict  # entry id -> id of its stored entry total (None: the entry has none)
    labels: tuple  # the change counts of LABEL_SOURCES when the rows were read
    settings: tuple  # the round's settings and rubric the rows were ranked under


def change_counts():
    """{source: (count, newest id)} of the rows of judging_scoringchange this connection sees now, per table (a
    squash's marker under "squash": its id tells one squash from the next). Counts only grow between squashes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT source, count(*), max(id) FROM judging_scoringchange GROUP BY source")
        return {source: (count, newest) for source, count, newest in cursor.fetchall()}


def state_of(counts, sources):
    """The part of change_counts() that names the state of what `sources` hold."""
    return tuple((source, counts.get(source)) for source in sources)


def _settings(round_, criteria, rules):
    rubric = tuple(
        (c.pk, c.key, c.title, str(c.weight), c.scale_min, c.scale_max, c.order, c.required) for c in criteria
    )
    return (
        round_.pk,
        str(round_.aggregation),
        tuple(str(step) for step in round_.tie_break),
        round_.top_n,
        round_.reserve_n,
        rubric,
        tuple((rule.pk, str(rule.kind), rule.value, rule.category_id, rule.group, rule.order) for rule in rules),
    )


TOTAL_IDS_SQL = f"""
    SELECT re.entry_id, et.id FROM {T["round_entry"]} re
    LEFT JOIN {T["entry_total"]} et ON et.round_id = re.round_id AND et.entry_id = re.entry_id
    WHERE re.round_id = %(round)s
"""  # noqa: S608 - table names from model meta


def _total_ids(round_):
    """{entry id: id of its stored entry total or None} of the round's entries."""
    return dict(_fetch_binary(TOTAL_IDS_SQL, {"round": round_.pk}))


def live_ranking(round_, criteria, previous=None, counts=None):
    """A LiveRanking of the round now: `previous` brought up to date when it can be, else ranked in full.
    `counts`: change_counts(), read by the caller before anything else of the round."""
    # before the rows: a change committed meanwhile makes the next call rank in full
    labels = state_of(counts if counts is not None else change_counts(), LABEL_SOURCES)
    rules = round_rules(round_)
    settings = _settings(round_, criteria, rules)
    patchable = str(round_.aggregation) in STORED_TOTAL and not rules
    if previous is not None and patchable and previous.settings == settings and previous.labels == labels:
        patched = _patched(round_, criteria, previous)
        if patched is not None:
            return patched
    raw = ranking_rows_raw(round_, criteria)
    rows = ranked(round_, criteria, raw, rules)
    return LiveRanking(rows, {row[1]: row[0] for row in raw}, labels, settings)


def _patched(round_, criteria, previous):
    total_ids = _total_ids(round_)
    if total_ids.keys() != previous.total_ids.keys():
        return None  # the round's entries changed
    changed = [entry_id for entry_id, total_id in total_ids.items() if previous.total_ids[entry_id] != total_id]
    if not changed:
        return LiveRanking(previous.rows, total_ids, previous.labels, previous.settings)
    if len(changed) > PATCH_AT_MOST:
        return None
    raw = ranking_rows_raw(round_, criteria, only=changed)
    for row in raw:
        total_ids[row[1]] = row[0]  # what was read (a change committed since the ids were read is newer)
    if {row[1] for row in raw} != set(changed):
        return None  # an entry left the round meanwhile
    with _without_cycle_collection():
        rows = _moved(round_, criteria, previous.rows, _rows(raw, [c.key for c in criteria]))
    return LiveRanking(rows, total_ids, previous.labels, previous.settings)


def _moved(round_, criteria, before, changed_rows):
    """round_ranking's rows: `before` (rows in rank order, not modified) with the rows of the changed entries
    replaced by `changed_rows` at their places. The rows between the first and the last place that holds another
    row than before (and the row just below) get their rank and outcome again, and their tie note where the row
    above them is another one; the rows outside are where they were, under the same row, and are kept as they are."""
    order = RankOrder(round_.tie_break, tie_break_criteria(criteria))
    changed = {row["entry_id"]: row for row in changed_rows}
    rows = [row for row in before if row["entry_id"] not in changed]
    for row in changed_rows:
        bisect.insort(rows, row, key=order.key)
    count = len(rows)  # as many as before: the same entries
    start = next(i for i in range(count) if rows[i] is not before[i])
    stop = min(next(i for i in range(count - 1, -1, -1) if rows[i] is not before[i]) + 2, count)
    for i in range(start, stop):
        if rows[i]["entry_id"] not in changed:
            rows[i] = {**rows[i]}  # `before` stays as it was
    assign_outcomes(rows, round_.top_n, round_.reserve_n, span=(start, stop))
    place_before = {row["entry_id"]: i for i, row in enumerate(before)}
    titles = {c.key: c.title for c in criteria}
    for i in range(start, stop):
        row, above = rows[i], rows[i - 1] if i else None
        was = place_before[row["entry_id"]]
        above_before = before[was - 1]["entry_id"] if was else None
        above_id = None if above is None else above["entry_id"]
        if row["entry_id"] in changed or above_id in changed or above_id != above_before:
            row["tie"] = _tie(order, above, row, titles)
    return rows


def _tie(order, above, below, titles):
    """The tie note of `below` under `above` (RankOrder.mark_ties for one row)."""
    if above is None or below["total"] is None or above["total"] is None:
        return None
    if round(below["total"], TIE_DECIMALS) != round(above["total"], TIE_DECIMALS):
        return None
    return order._deciding_step(above, below, titles)
