"""The table names and the statement part shared by the ranking and the progress figures: which sheets count."""

from entries.models import Entry
from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    EntryTotal,
    Round,
    RoundEntry,
    Score,
    ScoreSheet,
    SheetTotal,
)
from judging.scoring.conflicts import conflict_applies_sql
from kipp.models import Agency, Region, User

T = {
    "criterion": Criterion._meta.db_table,
    "sheet": ScoreSheet._meta.db_table,
    "assignment": Assignment._meta.db_table,
    "score": Score._meta.db_table,
    "sheet_total": SheetTotal._meta.db_table,
    "entry_total": EntryTotal._meta.db_table,
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
      AND NOT EXISTS (SELECT 1 FROM {conflict} c WHERE {conflict_applies})
""".replace("{conflict_applies}", conflict_applies_sql("c"))  # the rule's fragment: the placeholders stay named
