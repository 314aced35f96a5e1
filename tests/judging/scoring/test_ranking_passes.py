"""round_ranking builds its rows in one pass (queries/ranking.py _ranked_rows: the statement's rows read, ordered,
ranked and their ties noted at once, the criteria means decoded from the arrays PostgreSQL sends). After every step
of a random sequence of changes (drafts, submits, unlocks, conflicts, an optional criterion left empty, rubric
changes: weights, scales, order, criteria added and removed), its rows are those of the plain way, computed here
from the same statement: each row built on its own, the rows sorted by their whole keys (RankOrder.key), ranked by
place, and each tie's step found by comparing the two keys again. The criteria in another order than the rubric's,
or only some of them, read the same means.

Each example runs in a transaction that is rolled back."""

import contextlib

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.models import Round
from judging.scoring.queries import ranking, round_criteria, round_ranking, statement
from judging.scoring.queries.ties import RankOrder, tie_break_criteria
from judging.scoring.services.errors import JudgingError
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.judging.scoring.test_stored_totals import Rollback, World
from tests.judging.scoring.test_stored_totals import actions as total_actions

pytestmark = pytest.mark.django_db

actions = st.one_of(
    total_actions,
    st.tuples(st.just("tie_break"), st.permutations(["criteria", "spread", "submitted_at"])),
    st.tuples(st.just("settings"), st.integers(1, 3), st.integers(0, 2), st.sampled_from(["mean", "median"])),
)


class PassesWorld(World):
    def tie_break(self, steps):
        Round.objects.filter(pk=self.round.pk).update(tie_break=list(steps))

    def settings(self, top_n, reserve_n, method):
        Round.objects.filter(pk=self.round.pk).update(top_n=top_n, reserve_n=reserve_n, aggregation=method)


def plain_ranking(round_, criteria):
    """The ranking the plain way, from the same statement's rows."""
    keys = [c.key for c in criteria]
    raw = statement.ranking_rows_raw(round_, criteria)
    order = RankOrder(round_.tie_break, tie_break_criteria(criteria))
    rows = sorted(ranking._rows(raw, keys), key=order.key)
    rows = ranking.assign_outcomes(rows, round_.top_n, round_.reserve_n)
    # a new RankOrder has noted nothing: every tie's step is found by comparing the two rows' keys
    fresh = RankOrder(round_.tie_break, tie_break_criteria(criteria))
    return fresh.mark_ties(rows, {c.key: c.title for c in criteria})


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(actions, min_size=1, max_size=14))
def test_the_one_pass_rows_are_the_plain_ones_after_every_step(steps):
    try:
        with transaction.atomic():
            world = PassesWorld()
            for step in steps:
                with contextlib.suppress(JudgingError):
                    world.run(step)
                round_ = Round.objects.get(pk=world.round.pk)
                criteria = round_criteria(round_)
                rows = round_ranking(round_, criteria=criteria)
                assert rows == plain_ranking(round_, criteria), step
                assert [list(row) for row in rows] == [list(row) for row in plain_ranking(round_, criteria)]
                if len(criteria) > 1:  # another order, and all but the first: the same means
                    means = {row["entry_id"]: row["criteria"] for row in rows}
                    for others in (criteria[::-1], criteria[1:]):
                        keys = {c.key for c in others}
                        again = round_ranking(round_, criteria=others)
                        assert {row["entry_id"]: row["criteria"] for row in again} == {
                            entry_id: {k: v for k, v in found.items() if k in keys} for entry_id, found in means.items()
                        }, step
            raise Rollback
    except Rollback:
        pass


def test_an_optional_criterion_left_empty_is_missing_from_the_row_not_zero():
    world = PassesWorld()
    world.submit(0, [4, 3, None, 1, 1, 1])  # entry 0, first judge: criterion "c" (optional) left empty
    world.submit(3, [2, 2, 2, 1, 1, 1])  # entry 1, first judge: every criterion
    round_ = Round.objects.get(pk=world.round.pk)
    rows = {row["entry_code"]: row for row in round_ranking(round_)}
    assert set(rows["E0"]["criteria"]) == {"a", "b"}
    assert rows["E0"]["criteria"]["a"] == pytest.approx(100 * 3 / 9)
    assert rows["E1"]["criteria"] == pytest.approx({"a": 100 / 9, "b": 25.0, "c": 50.0})
    assert rows["E2"]["criteria"] == {} and rows["E2"]["total"] is None
    assert list(rows) == ["E0", "E1", "E2"]


def test_a_mean_of_zero_ranks_above_a_criterion_left_empty_and_both_tie_notes_say_so():
    """Equal totals decided by the criteria in rubric order (equal weights); at the last step one entry's mean of
    "c" is 0 and the other's is missing: the 0 ranks above (whatever the submission times), the note says 0 and
    nothing."""
    round_ = make_round([("a", 1, 1, 5), ("b", 1, 1, 5), ("c", 1, 1, 5, False)], k=1, top_n=2, reserve_n=1)
    judge = add_judge(round_)
    for code, minutes, values in (
        ("E1", 5, {"a": 5, "b": 1}),  # 100, 0: total 50
        ("E2", 4, {"a": 3, "b": 3, "c": 3}),  # 50, 50, 50: total 50
        ("E3", 3, {"a": 1, "b": 5}),  # 0, 100: total 50
        ("E4", 1, {"a": 1, "b": 1}),  # 0, 0: total 0, submitted first
        ("E5", 2, {"a": 1, "b": 1, "c": 1}),  # 0, 0, 0: total 0
    ):
        add_sheet(round_, add_entry(round_, code, minutes=minutes), judge, values)
    rows = round_ranking(Round.objects.get(pk=round_.pk))
    notes = [
        (row["entry_code"], row["tie"] and (row["tie"]["criterion"], row["tie"]["above"], row["tie"]["below"]))
        for row in rows
    ]
    assert notes == [
        ("E1", None),
        ("E2", ("a", 100.0, 50.0)),
        ("E3", ("a", 50.0, 0.0)),
        ("E5", None),
        ("E4", ("c", 0.0, None)),
    ]
    assert [(row["rank"], row["outcome"]) for row in rows] == [
        (1, "selected"),
        (2, "selected"),
        (3, "reserve"),
        (4, "not_selected"),
        (5, "not_selected"),
    ]
    assert rows == plain_ranking(Round.objects.get(pk=round_.pk), round_criteria(round_))


def test_a_criterion_scale_as_wide_as_its_fields_allow_is_stored_and_ranked():
    """The span of a scale from -32,768 to 32,767 does not fit the scale's own smallint: the stored totals compute
    it in float8 (migration judging 0025), and the sheet counts."""
    round_ = make_round([("lebar", 1, -32768, 32767), ("biasa", 1, 1, 5)], k=1)
    judge = add_judge(round_)
    add_sheet(round_, add_entry(round_, "E1"), judge, {"lebar": 32767, "biasa": 1})  # 100 and 0
    add_sheet(round_, add_entry(round_, "E2"), judge, {"lebar": -32768, "biasa": 5})  # 0 and 100
    rows = round_ranking(Round.objects.get(pk=round_.pk))
    assert [(row["entry_code"], row["total"], row["criteria"]) for row in rows] == [
        ("E1", 50.0, {"lebar": 100.0, "biasa": 0.0}),
        ("E2", 50.0, {"lebar": 0.0, "biasa": 100.0}),
    ]
