"""The ranking order (queries/ties.py RankOrder, issue 18): ordering tied totals part by part gives the order of the
whole key, and the step it notes for a tie is the first part where the two rows' whole keys differ; the round's
progress summed from the judges' counts equals its own query."""

import datetime
import random
from datetime import UTC

import pytest

from judging.models import Conflict
from judging.scoring import queries
from judging.scoring.queries.ties import RankOrder
from tests.factories import JudgeFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

KEYS = ["a", "b", "c"]
TIE_BREAKS = [
    ["criteria", "spread", "submitted_at"],
    ["spread", "criteria"],
    ["submitted_at"],
    [],
]


def random_rows(rng, n):
    """Rows as round_ranking makes them, from small sets of values so that totals, means and spreads tie often;
    some totals differ only by floating-point noise, some criteria are missing, some spreads and totals are None."""
    start = datetime.datetime(2023, 3, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        total = rng.choice([None, 50.0, 50.0 + 1e-12, 62.5, 62.5, 70.0, 200 / 3, (2 * 60 + 30) / 3])
        criteria = {k: rng.choice([40.0, 50.0, 50.0 - 1e-13, 60.0]) for k in KEYS if rng.random() > 0.1}
        rows.append(
            {
                "entry_id": i,
                "entry_code": f"E{i:04d}",
                "total": total,
                "criteria": criteria,
                "spread": rng.choice([None, 0.0, 5.0, 5.0 + 1e-12, 10.0]),
                "submitted_at": rng.choice([None, start, start + datetime.timedelta(minutes=rng.randint(1, 3))]),
            }
        )
    rng.shuffle(rows)
    return rows


def first_difference(order, above, below):
    """The step where the two rows' whole keys first differ (the total's part is index 0)."""
    above_key, below_key = order.key(above), order.key(below)
    index = next(i for i, (a, b) in enumerate(zip(above_key, below_key, strict=True)) if a != b)
    return "total" if index == 0 else order.plan[index - 1][0]


@pytest.mark.parametrize("tie_break", TIE_BREAKS)
@pytest.mark.parametrize("seed", range(8))
def test_part_by_part_order_is_the_order_of_the_whole_key(seed, tie_break):
    rng = random.Random(seed)
    rows = random_rows(rng, 400)
    order = RankOrder(tie_break, KEYS)
    whole_key = RankOrder(tie_break, KEYS).key
    expected = sorted(rows, key=whole_key)
    ranked = order.sort(list(rows))
    assert [row["entry_code"] for row in ranked] == [row["entry_code"] for row in expected]
    order.mark_ties(ranked, {k: k.upper() for k in KEYS})
    tied = 0
    for above, below in zip(ranked, ranked[1:], strict=False):
        if below["tie"] is None:
            continue
        tied += 1
        assert below["tie"]["step"] == first_difference(order, above, below)
    assert tied > 50  # the data make ties: the check above ran


def test_tie_notes_are_the_same_when_the_keys_are_compared_again():
    """mark_ties on rows it did not sort (a fresh RankOrder) compares whole keys and names the same steps."""
    rows = RankOrder(TIE_BREAKS[0], KEYS).sort(random_rows(random.Random(99), 300))
    noted = [dict(row["tie"]) if row.get("tie") else None for row in RankOrder(TIE_BREAKS[0], KEYS).mark_ties(rows, {})]
    sorted_by = RankOrder(TIE_BREAKS[0], KEYS)
    again = sorted_by.mark_ties(sorted_by.sort(list(rows)), {})
    assert [row["tie"] for row in again] == noted
    assert sum(1 for tie in noted if tie and tie["step"] == "criteria") > 10


@pytest.mark.django_db
def test_round_progress_summed_from_the_judges_equals_its_own_query():
    round_ = make_round([("a", 2, 0, 10), ("b", 1, 0, 10)], top_n=2, k=2)
    judges = [add_judge(round_, JudgeFactory()) for _ in range(3)]
    entries = [add_entry(round_, f"E{i}") for i in range(4)]
    add_sheet(round_, entries[0], judges[0], {"a": 5, "b": 5})
    add_sheet(round_, entries[0], judges[1], {"a": 6, "b": 4}, state="draft")
    add_sheet(round_, entries[1], judges[1], {"a": 6, "b": 4})
    add_sheet(round_, entries[2], judges[2], {}, assign_only=True)
    add_sheet(round_, entries[3], judges[2], {"a": 1, "b": 2})
    Conflict.objects.create(
        competition=round_.competition, round=round_, judge=judges[2], entry=entries[3], source="declared",
        reason="Kerabat",
    )  # fmt: skip
    table, progress = queries.judge_and_round_progress(round_)
    assert progress == queries.round_progress(round_)
    assert progress == {"expected": 4, "final": 2, "draft": 1, "recused": 1, "percent": progress["percent"]}
    assert table == queries.judge_progress(round_)
    assert {row["judge"].pk: (row["final"], row["recused"]) for row in table} == {
        judges[0].pk: (1, 0),
        judges[1].pk: (1, 0),
        judges[2].pk: (0, 1),
    }
