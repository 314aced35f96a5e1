"""The live ranking (judging/scoring/queries/live.py) is round_ranking's, however it got there: after every step of a
random sequence of changes (sheets saved, submitted and unlocked, conflicts, rubric changes, deleted assignments,
an operator's UPDATE, an entry's title and agency edited, entries leaving and joining the round, the round's
settings changed, selection rules), live_ranking(round, criteria, previous=<the one before>) gives exactly the rows
round_ranking gives (every field, every float to the bit), and the steps that changed only some entries' totals were
patched into the previous order, not ranked in full.

Each example runs in a transaction that is rolled back."""

import contextlib

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entries.models import Entry
from judging.models import Assignment, Round, RoundEntry, SelectionRule
from judging.scoring import services
from judging.scoring.queries import live, ranking, round_criteria, round_ranking
from judging.scoring.services.errors import JudgingError
from tests.factories import AgencyFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, make_round
from tests.judging.scoring.test_stored_totals import Rollback, World
from tests.judging.scoring.test_stored_totals import actions as total_actions

pytestmark = pytest.mark.django_db

entry_index = st.integers(min_value=0, max_value=2)
methods = st.sampled_from(["mean", "median", "normalised"])
actions = st.one_of(
    total_actions,
    total_actions,
    total_actions,
    st.tuples(st.just("retitle"), entry_index, st.sampled_from(["Sapa Masyarakat Sekitar (SMS)", "Transportation"])),
    st.tuples(st.just("move_agency"), entry_index),
    st.tuples(st.just("leave"), entry_index),
    st.tuples(st.just("join"), entry_index),
    st.tuples(
        st.just("settings"), st.integers(1, 4), st.integers(0, 2), st.sampled_from(["mean", "median", "normalised"])
    ),
    st.tuples(st.just("tie_break"), st.permutations(["criteria", "spread", "submitted_at"])),
    st.tuples(st.just("rule"), st.booleans()),
)


class LiveWorld(World):
    def retitle(self, index, title):
        Entry.objects.filter(pk=self.entries[index].pk).update(title=f"{title} {index}")

    def move_agency(self, index):
        Entry.objects.filter(pk=self.entries[index].pk).update(agency=AgencyFactory())

    def leave(self, index):
        RoundEntry.objects.filter(round=self.round, entry=self.entries[index]).delete()

    def join(self, index):
        RoundEntry.objects.get_or_create(round=self.round, entry=self.entries[index], defaults={"source": "eligible"})

    def settings(self, top_n, reserve_n, method):
        Round.objects.filter(pk=self.round.pk).update(top_n=top_n, reserve_n=reserve_n, aggregation=method)

    def tie_break(self, steps):
        Round.objects.filter(pk=self.round.pk).update(tie_break=list(steps))

    def rule(self, add):
        if add:
            SelectionRule.objects.create(round=self.round, kind="max_per_region", value=1, order=1)
        else:
            SelectionRule.objects.filter(round=self.round).delete()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(actions, min_size=1, max_size=16))
def test_the_live_ranking_is_the_full_ranking_after_every_step(steps):
    try:
        with transaction.atomic():
            world = LiveWorld()
            round_ = Round.objects.get(pk=world.round.pk)
            previous = live.live_ranking(round_, round_criteria(round_))
            for step in steps:
                with contextlib.suppress(JudgingError):
                    world.run(step)
                round_ = Round.objects.get(pk=world.round.pk)
                criteria = round_criteria(round_)
                current = live.live_ranking(round_, criteria, previous=previous)
                assert current.rows == round_ranking(round_, criteria=criteria), step
                previous = current
            raise Rollback
    except Rollback:
        pass


def test_a_submit_is_patched_into_the_previous_order_and_a_title_change_ranks_in_full(monkeypatch):
    world = LiveWorld()
    round_ = Round.objects.get(pk=world.round.pk)
    criteria = round_criteria(round_)
    for index in range(9):
        world.submit(index, [1 + (index * 3 + i) % 4 for i in range(6)])
    first = live.live_ranking(round_, criteria)
    full, real = [], ranking.ranked
    monkeypatch.setattr(live, "ranked", lambda *args: full.append(1) or real(*args))

    world.unlock(4)
    after_unlock = live.live_ranking(round_, criteria, previous=first)
    world.submit(4, [4, 4, 4, 4, 4, 4])
    after_submit = live.live_ranking(round_, criteria, previous=after_unlock)
    assert full == []  # both patched
    assert after_submit.rows == round_ranking(round_, criteria=criteria)
    assert after_submit.rows[0]["entry_id"] == world.assignments[4].entry_id  # all 4s: the top of the ranking

    world.retitle(0, "Transportation Smart")
    retitled = live.live_ranking(round_, criteria, previous=after_submit)
    assert full == [1]  # an entry's own data changed: ranked in full
    assert retitled.rows == round_ranking(round_, criteria=criteria)
    assert "Transportation Smart 0" in [row["title"] for row in retitled.rows]


def test_a_tie_note_follows_the_row_that_is_now_above():
    """Equal totals decided by the first criterion: when the middle row leaves (its sheet unlocked), the row below it
    is now decided against the top row, and its note says so (the top row's mean, not the one that left)."""
    round_ = make_round([("a", 1, 1, 5), ("b", 1, 1, 5)], k=1, top_n=1)
    organiser, judge = OrganiserFactory(), add_judge(round_)
    criteria = round_criteria(round_)
    sheets = {}
    for code, values in (("E1", (5, 1)), ("E2", (3, 3)), ("E3", (1, 5))):
        assignment = Assignment.objects.create(
            round=round_, entry=add_entry(round_, code), judge=judge, source="manual"
        )
        values = {c.pk: (v, "") for c, v in zip(criteria, values, strict=True)}
        sheets[code] = services.submit_sheet(assignment=assignment, judge=judge, values=values, version=0)
    before = live.live_ranking(round_, criteria)
    assert [(row["entry_code"], row["tie"] and row["tie"]["above"]) for row in before.rows] == [
        ("E1", None),
        ("E2", 100.0),
        ("E3", 50.0),
    ]
    services.unlock_sheet(sheet=sheets["E2"], actor=organiser, reason="Salah ketik")
    after = live.live_ranking(round_, criteria, previous=before)
    assert after.labels == before.labels and after.rows is not before.rows  # patched, not ranked in full
    assert after.rows == round_ranking(round_, criteria=criteria)
    assert [(row["entry_code"], row["tie"] and row["tie"]["above"]) for row in after.rows] == [
        ("E1", None),
        ("E3", 100.0),
        ("E2", None),
    ]
    assert [row["rank"] for row in after.rows] == [1, 2, 3] and after.rows[1]["outcome"] == "reserve"
    assert before.rows[1]["entry_code"] == "E2" and before.rows[2]["tie"]["above"] == 50.0  # left as it was
