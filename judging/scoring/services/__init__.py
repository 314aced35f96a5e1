"""Business writes of scoring: rounds, rubrics, judges, assignments, conflicts, score sheets.

Every function validates, writes inside one transaction, records an audit event. A refusal raises JudgingError
(a kipp.errors.Refused; StaleSheetError is a kipp.errors.Stale) with a message meant for the user, and nothing is
changed. Callers use the package (`from judging.scoring import services; services.close_round(...)`); each name
below is defined in the module of its topic.
"""

from judging.scoring.services.assignment import (
    add_judges,
    assign,
    assign_replacement,
    auto_assign,
    bulk_assign,
    unassign,
)
from judging.scoring.services.conflicts import (
    conflict_pairs,
    conflicted,
    declare_conflict,
    record_conflict,
    refresh_automatic_conflicts,
)
from judging.scoring.services.errors import (
    ConflictOfInterestError,
    JudgingError,
    StaleSheetError,
    require_round_not_closed,
)
from judging.scoring.services.rounds import (
    add_round_entry,
    close_round,
    create_round,
    open_round,
    previous_round,
    publish_round,
    reopen_round,
    store_snapshot,
    take_eligible_entries,
    take_selected_entries,
)
from judging.scoring.services.rubric import (
    RESERVED_KEYS,
    check_rubric_editable,
    delete_criterion,
    rubric_editable,
    save_criterion,
)
from judging.scoring.services.selection import save_selection_rules
from judging.scoring.services.sheets import save_sheet, submit_sheet, unlock_sheet

__all__ = [
    "RESERVED_KEYS",
    "ConflictOfInterestError",
    "JudgingError",
    "StaleSheetError",
    "add_judges",
    "add_round_entry",
    "assign",
    "assign_replacement",
    "auto_assign",
    "bulk_assign",
    "check_rubric_editable",
    "close_round",
    "conflict_pairs",
    "conflicted",
    "create_round",
    "declare_conflict",
    "delete_criterion",
    "open_round",
    "previous_round",
    "publish_round",
    "record_conflict",
    "refresh_automatic_conflicts",
    "reopen_round",
    "require_round_not_closed",
    "rubric_editable",
    "save_criterion",
    "save_selection_rules",
    "save_sheet",
    "store_snapshot",
    "submit_sheet",
    "take_eligible_entries",
    "take_selected_entries",
    "unassign",
    "unlock_sheet",
]
