"""The ranking (judging.scoring.queries.round_ranking) against hand-computed values of the method in DESIGN.md."""

import statistics

import pytest

from judging.scoring.queries import final_results, round_ranking
from tests.factories import JudgeFactory
from tests.judging.scoring.helpers import add_entry, add_sheet, make_round

pytestmark = pytest.mark.django_db

# a: weight 3, scale 1..10; b: weight 1, scale 0..4
CRITERIA = [("a", 3, 1, 10), ("b", 1, 0, 4)]


def T(a, b):
    """Hand formula: n_a = 100(a-1)/9, n_b = 100 b/4, T = (3 n_a + n_b)/4."""
    return (3 * 100 * (a - 1) / 9 + 100 * b / 4) / 4


def by_code(rows):
    return {row["entry_code"]: row for row in rows}


def test_mean_median_spread_and_criterion_means():
    round_ = make_round(CRITERIA, top_n=1, reserve_n=1)
    e1, e2 = add_entry(round_, "E1"), add_entry(round_, "E2")
    j1, j2, j3 = JudgeFactory(), JudgeFactory(), JudgeFactory()
    add_sheet(round_, e1, j1, {"a": 10, "b": 2})  # 87.5
    add_sheet(round_, e1, j2, {"a": 7, "b": 4})  # 75
    add_sheet(round_, e1, j3, {"a": 1, "b": 0})  # 0
    add_sheet(round_, e2, j1, {"a": 5, "b": 1})
    rows = by_code(round_ranking(round_))
    assert T(10, 2) == pytest.approx(87.5)
    assert rows["E1"]["total"] == pytest.approx((87.5 + 75 + 0) / 3)
    assert rows["E1"]["judges"] == 3
    assert rows["E1"]["spread"] == pytest.approx(statistics.pstdev([87.5, 75, 0]))
    assert rows["E1"]["criteria"]["a"] == pytest.approx((100 + 100 * 6 / 9 + 0) / 3)
    assert rows["E1"]["criteria"]["b"] == pytest.approx((50 + 100 + 0) / 3)
    # panel mean 54.17: 87.5 and 0 are more than 20 points away, 75 is not (20.83 > 20 too)
    assert rows["E1"]["outlier"] is True
    assert len(rows["E1"]["outlier_judge_ids"]) == 3
    assert rows["E2"]["total"] == pytest.approx(T(5, 1))
    assert rows["E2"]["spread"] == 0
    assert [r["entry_code"] for r in round_ranking(round_)] == ["E1", "E2"]
    assert rows["E1"]["outcome"] == "selected" and rows["E2"]["outcome"] == "reserve"

    round_.aggregation = "median"
    rows = by_code(round_ranking(round_))
    assert rows["E1"]["total"] == pytest.approx(75)


def test_drafts_and_recused_sheets_never_count():
    round_ = make_round(CRITERIA)
    e1 = add_entry(round_, "E1")
    j1, j2, j3 = JudgeFactory(), JudgeFactory(), JudgeFactory()
    add_sheet(round_, e1, j1, {"a": 10, "b": 4})
    add_sheet(round_, e1, j2, {"a": 1, "b": 0}, state="draft")
    add_sheet(round_, e1, j3, {"a": 1, "b": 0})
    from judging.models import Conflict

    Conflict.objects.create(
        competition=round_.competition,
        round=round_,
        judge=j3,
        entry=e1,
        source="declared",
        reason="Saudara kandung kepala dinas",
    )
    row = round_ranking(round_)[0]
    assert row["total"] == pytest.approx(100)
    assert row["judges"] == 1
    assert row["outlier"] is False


def test_entries_without_sheets_rank_last_and_are_never_selected():
    round_ = make_round(CRITERIA, top_n=5)
    add_entry(round_, "E0")
    e1 = add_entry(round_, "E1")
    add_sheet(round_, e1, JudgeFactory(), {"a": 2, "b": 0})
    rows = round_ranking(round_)
    assert [r["entry_code"] for r in rows] == ["E1", "E0"]
    assert rows[1]["total"] is None and rows[1]["outcome"] == "not_selected"
    assert rows[0]["outcome"] == "selected"


def test_normalised_evens_out_a_harsh_judge():
    round_ = make_round([("a", 1, 0, 10)], method="normalised")
    harsh, fair = JudgeFactory(), JudgeFactory()
    entries = [add_entry(round_, f"E{i}") for i in range(4)]
    # harsh: 10, 20, 30 on E0..E2; fair: 50, 60, 70 on E1..E3
    for entry, value in zip(entries[:3], [1, 2, 3], strict=True):
        add_sheet(round_, entry, harsh, {"a": value})
    for entry, value in zip(entries[1:], [5, 6, 7], strict=True):
        add_sheet(round_, entry, fair, {"a": value})
    all_t = [10, 20, 30, 50, 60, 70]
    mean_all, sd_all = statistics.fmean(all_t), statistics.pstdev(all_t)
    sd_p = statistics.pstdev([10, 20, 30])  # same for both judges

    def v(t, mean_p):
        return mean_all + sd_all * (t - mean_p) / sd_p

    rows = by_code(round_ranking(round_))
    assert rows["E0"]["total"] == pytest.approx(v(10, 20))
    assert rows["E1"]["total"] == pytest.approx((v(20, 20) + v(50, 60)) / 2)
    assert rows["E3"]["total"] == pytest.approx(v(70, 60))
    assert rows["E0"]["spread"] == 0  # spread is always of T_p


def test_normalised_keeps_raw_totals_for_judges_with_few_sheets_or_no_spread():
    round_ = make_round([("a", 1, 0, 10)], method="normalised")
    few, flat, other = JudgeFactory(), JudgeFactory(), JudgeFactory()
    entries = [add_entry(round_, f"E{i}") for i in range(3)]
    add_sheet(round_, entries[0], few, {"a": 9})  # 1 sheet: keeps 90
    for entry in entries:
        add_sheet(round_, entry, flat, {"a": 4})  # sd_p = 0: keeps 40
    add_sheet(round_, entries[1], other, {"a": 2})
    add_sheet(round_, entries[2], other, {"a": 8})
    rows = by_code(round_ranking(round_))
    assert rows["E0"]["total"] == pytest.approx((90 + 40) / 2)
    assert rows["E1"]["total"] == pytest.approx((40 + 20) / 2)


def test_tie_break_steps_in_order():
    # equal totals: E_crit wins on the heaviest criterion, E_spread vs E_spread2 on spread,
    # E_early vs E_late on submission time, E_code_a vs E_code_b on code.
    round_ = make_round([("a", 2, 0, 10), ("b", 1, 0, 10)], top_n=10)
    j1, j2 = JudgeFactory(), JudgeFactory()
    # T = (2a + b)/3 * 10. a=6,b=3 -> 50; a=5,b=5 -> 50; a=4,b=7 -> 50
    high_a = add_entry(round_, "X1", minutes=50)
    add_sheet(round_, high_a, j1, {"a": 6, "b": 3})
    low_a = add_entry(round_, "X2", minutes=1)
    add_sheet(round_, low_a, j1, {"a": 4, "b": 7})
    # Same totals and criterion means (a=b=50), different spread of T_p: (50, 50) vs (60, 40)
    narrow = add_entry(round_, "X3", minutes=40)
    add_sheet(round_, narrow, j1, {"a": 5, "b": 5})
    add_sheet(round_, narrow, j2, {"a": 5, "b": 5})
    wide = add_entry(round_, "X4", minutes=2)
    add_sheet(round_, wide, j1, {"a": 6, "b": 6})
    add_sheet(round_, wide, j2, {"a": 4, "b": 4})
    # same everything, different submission time
    early, late = add_entry(round_, "X6", minutes=3), add_entry(round_, "X5", minutes=30)
    for e in (early, late):
        add_sheet(round_, e, j2, {"a": 5, "b": 5})
    rows = round_ranking(round_)
    totals = {r["entry_code"]: r["total"] for r in rows}
    assert all(t == pytest.approx(50) for t in totals.values())
    order = [r["entry_code"] for r in rows]
    assert order.index("X1") < order.index("X3") < order.index("X2")  # mean n on a: 60 > 50 > 40
    assert next(r for r in rows if r["entry_code"] == "X4")["spread"] == pytest.approx(10)
    assert order.index("X3") < order.index("X4")  # same means, smaller spread
    assert order.index("X6") < order.index("X5")  # earlier submission
    assert order == ["X1", "X6", "X5", "X3", "X4", "X2"]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5, 6]

    # the tie-break order is data: without the criteria step, spread then time decide
    round_.tie_break = ["spread", "submitted_at"]
    order = [r["entry_code"] for r in round_ranking(round_)]
    assert order == ["X2", "X6", "X5", "X3", "X1", "X4"]


def test_final_result_across_rounds_is_weighted():
    from decimal import Decimal

    r1 = make_round([("a", 1, 0, 10)])
    r2 = make_round([("a", 1, 0, 10)], competition=r1.competition, slug="presentasi", order=2)
    r1.weight, r2.weight = Decimal("70"), Decimal("30")
    e = add_entry(r1, "E1")
    from judging.models import RoundEntry

    RoundEntry.objects.create(round=r2, entry=e, source="previous_round")
    j = JudgeFactory()
    add_sheet(r1, e, j, {"a": 8})
    add_sheet(r2, e, j, {"a": 5})
    assert final_results([r1, r2])[e.pk] == pytest.approx((70 * 80 + 30 * 50) / 100)
