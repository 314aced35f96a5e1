"""Reads of scoring: the ranking of a round (the method of shared/DESIGN.md), its ties, progress, queues, export
rows. Callers use the package (`from judging.scoring import queries; queries.round_ranking(round_)`); each name
below is defined in the module of its topic: ranking.py (round_ranking, the one implementation of the method,
shared by the dashboard, the exports and the snapshots), ties.py, progress.py, score_rows.py, tables.py.
"""

from judging.scoring.queries.progress import (
    ROUND_ASSIGNMENTS,
    entries_short_of_k,
    judge_distribution,
    judge_progress,
    judge_queue,
    judge_rounds,
    missing_sheets,
    progress_percent,
    recused_q,
    replacement_candidates,
    round_progress,
    rows_short_of_k,
)
from judging.scoring.queries.ranking import (
    NEAR_CUT,
    OUTLIER_POINTS,
    RANKING_SQL,
    SD_EPSILON,
    assign_outcomes,
    final_results,
    ranking_sql,
    round_criteria,
    round_ranking,
)
from judging.scoring.queries.score_rows import SCORE_COLUMNS, SCORES_SQL, format_weight, iter_score_rows
from judging.scoring.queries.tables import COUNTING_SHEETS, T
from judging.scoring.queries.ties import (
    STEP_CRITERIA,
    STEP_SPREAD,
    STEP_SUBMITTED_AT,
    TIE_DECIMALS,
    cut_tie,
    mark_ties,
    sort_key_factory,
    sort_rows,
    tie_break_criteria,
)

__all__ = [
    "progress_percent",
    "COUNTING_SHEETS",
    "NEAR_CUT",
    "OUTLIER_POINTS",
    "RANKING_SQL",
    "ROUND_ASSIGNMENTS",
    "SCORES_SQL",
    "SCORE_COLUMNS",
    "SD_EPSILON",
    "STEP_CRITERIA",
    "STEP_SPREAD",
    "STEP_SUBMITTED_AT",
    "T",
    "TIE_DECIMALS",
    "assign_outcomes",
    "cut_tie",
    "entries_short_of_k",
    "final_results",
    "format_weight",
    "iter_score_rows",
    "judge_distribution",
    "judge_progress",
    "judge_queue",
    "judge_rounds",
    "mark_ties",
    "missing_sheets",
    "ranking_sql",
    "recused_q",
    "replacement_candidates",
    "round_criteria",
    "round_progress",
    "round_ranking",
    "rows_short_of_k",
    "sort_key_factory",
    "sort_rows",
    "tie_break_criteria",
]
