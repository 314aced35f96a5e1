"""Stored totals: what the ranking reads instead of every score (issue 18).

One row of SheetTotal per counting sheet (final, and no conflict applies: the rule of judging/scoring/conflicts.py):
its total T_p = sum_c w_c * n_pc / sum_c w_c and its normalised scores n_pc (an array in rubric order, "order" then
id; null where the sheet has no score for the criterion). A sheet that does not count (a draft, an unlocked sheet, a
recused judge, a sheet without any score) has no row. The ranking (queries/ranking.py) reads one row per counting
sheet; the entry's per-criterion mean is the mean of those rows' n_pc, the normalised method's mean_p and sd_p are
over the judge's rows.

Who keeps them: database triggers (migration judging 0016_sheet_totals), in the transaction of the statement that
changes what they are computed from, whoever runs it (the services, the admin, the demo and bench seeding with their
bulk inserts, raw SQL):
- judging_score: a score added, changed or removed: that sheet;
- judging_scoresheet: a sheet made final, unlocked (back to draft), moved or deleted: that sheet;
- judging_assignment: an assignment moved to another round, entry or judge: its sheet (deleting one deletes its
  sheet, above);
- judging_conflict: a conflict declared, recorded, changed or withdrawn: the sheets it applies to;
- judging_criterion: a criterion added or removed, its weight, scale or place in the rubric changed: every sheet of
  its round (positions in the array and the weights change).
The triggers are statement-level with transition tables: one bulk insert of 100,000 scores is one refresh of the
sheets it touched, not one per row.

The functions below run the same SQL functions by hand: to repair (e.g. after a restore of only some tables) and
for the audit of a rubric change. The property test (tests/judging/scoring/test_stored_totals.py) checks after
random sequences of changes that the stored rows equal a recomputation from the scores.
"""

from django.db import connection

from kipp.services import record_event


def refresh_sheet_totals(sheet):
    """Recompute the stored total of one sheet (a ScoreSheet or its id). Returns 1 if it counts, else 0."""
    return refresh_sheets_totals([getattr(sheet, "pk", sheet)])


def refresh_sheets_totals(sheet_ids):
    """Recompute the stored totals of the given sheets. Returns how many of them count."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT judging_refresh_sheet_totals(%s::bigint[])", [list(sheet_ids)])
        return cursor.fetchone()[0]


def refresh_round_totals(round_, *, actor=None, reason=""):
    """Recompute every stored total of a round (a Round or its id). With `actor`, audited: one event
    "judging.rubric_recompute" on the round, with the number of counting sheets and the reason (the rubric change).
    Returns the number of counting sheets."""
    round_id = getattr(round_, "pk", round_)
    with connection.cursor() as cursor:
        cursor.execute("SELECT judging_refresh_round_totals(%s)", [round_id])
        counted = cursor.fetchone()[0]
    if actor is not None:
        record_event(
            actor=actor,
            action="judging.rubric_recompute",
            obj=round_,
            details={"sheets_counted": counted, "reason": reason},
        )
    return counted


TOTAL_FIELDS = {"weight", "scale_min", "scale_max", "order"}  # the criterion's fields the stored totals depend on


def record_rubric_recompute(*, round_, actor, criterion, changed):
    """Audit the recomputation a rubric change made (the criterion trigger recomputed the round's stored totals in
    the statement that changed the criterion): one event "judging.rubric_recompute" on the round, with the criterion,
    what changed and the number of counting sheets now. `changed`: the criterion's changed fields, or ["added"] /
    ["removed"]; a change of nothing the totals depend on (a title, guidance, bands) records nothing."""
    changed = sorted(set(changed))
    if not (set(changed) & (TOTAL_FIELDS | {"added", "removed"})):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM judging_sheettotal WHERE round_id = %s", [round_.pk])
        counted = cursor.fetchone()[0]
    return record_event(
        actor=actor,
        action="judging.rubric_recompute",
        obj=round_,
        details={"criterion": criterion, "changed": changed, "sheets_counted": counted},
    )


def refresh_all_totals():
    """Recompute the stored totals of every sheet of every round (operators: after restoring some tables only).
    Returns the number of counting sheets."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM judging_sheettotal")
        cursor.execute("SELECT judging_refresh_sheet_totals(ARRAY(SELECT id FROM judging_scoresheet))")
        return cursor.fetchone()[0]
