"""Scoring pages. Thin function views: load through a permission helper, call one service, redirect with a message.
Each view is defined in the module of its page; judging/urls.py reads them from here by name."""

from judging.scoring.views.dashboard import (
    entry_sheets,
    round_dashboard,
    round_download,
    sheet_unlock,
    snapshot_detail,
)
from judging.scoring.views.judges import judge_queue, my_rounds
from judging.scoring.views.rounds import round_create, round_index
from judging.scoring.views.setup import round_action, round_setup
from judging.scoring.views.sheets import declare_conflict, sheet

__all__ = [
    "declare_conflict",
    "entry_sheets",
    "judge_queue",
    "my_rounds",
    "round_action",
    "round_create",
    "round_dashboard",
    "round_download",
    "round_index",
    "round_setup",
    "sheet",
    "sheet_unlock",
    "snapshot_detail",
]
