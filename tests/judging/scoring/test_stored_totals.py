"""The stored totals (judging/scoring/totals.py) always equal a recomputation from the scores: the sheet totals, and
the entry totals kept from them (per entry: judges, mean, median and spread of T_p, outlying judges, mean n_pc per
criterion).

A hypothesis state test: random sequences of draft saves, submits, unlocks, declared / recorded / withdrawn
conflicts, rubric changes (weights, scales, criteria added and removed, their order) and deleted assignments, through
the services where there is one. After every step the round's SheetTotal rows are compared with the method of
shared/DESIGN.md computed here in plain Python from the scores, sheets and conflicts the database holds: a sheet
counts when it is final and no conflict applies (same competition, judge and entry; for the whole competition or
this round) and it has a score; T_p = sum_c w_c * n_pc / sum_c w_c over its scored criteria,
n_pc = 100 * (s_pc - min_c) / (max_c - min_c), in rubric order ("order", id).

Each example runs in a transaction that is rolled back."""

import contextlib
import math
import statistics
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.models import Assignment, Conflict, Criterion, EntryTotal, Round, Score, ScoreSheet, SheetTotal
from judging.scoring import services
from judging.scoring.queries import OUTLIER_POINTS, round_ranking
from judging.scoring.services.errors import JudgingError
from judging.scoring.totals import refresh_round_totals, refresh_sheets_totals
from kipp.models import AuditEvent
from tests.factories import JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 2, 1, 5), ("c", 1, 0, 4, False)]
ENTRIES, JUDGES = 3, 3
PAIRS = ENTRIES * JUDGES

pair = st.integers(min_value=0, max_value=4)  # a few pairs, so that steps meet on the same sheets
criterion_index = st.integers(min_value=0, max_value=5)
# 1..4 fits every scale of CRITERIA (and of the criteria added); None leaves a criterion empty; 11 is refused
values = st.lists(st.sampled_from([1, 2, 3, 4, 3, 2, None, 11]), min_size=6, max_size=6)

actions = st.one_of(
    st.tuples(st.just("save"), pair, values),
    st.tuples(st.just("submit"), pair, values),
    st.tuples(st.just("submit"), pair, values),
    st.tuples(st.just("unlock"), pair),
    st.tuples(st.just("declare"), pair),
    st.tuples(st.just("record"), pair, st.booleans()),
    st.tuples(st.just("withdraw"), pair),
    st.tuples(st.just("weight"), criterion_index, st.integers(min_value=1, max_value=9)),
    st.tuples(st.just("scale"), criterion_index, st.integers(min_value=0, max_value=2), st.integers(5, 12)),
    st.tuples(st.just("order"), criterion_index, st.integers(min_value=0, max_value=9)),
    st.tuples(st.just("add_criterion"), st.integers(min_value=1, max_value=5)),
    st.tuples(st.just("delete_criterion"), criterion_index),
    st.tuples(st.just("delete_assignment"), pair),
    st.tuples(st.just("raw_update"), pair, st.integers(min_value=0, max_value=10)),
)


class Rollback(Exception):
    pass


def expected_totals(round_):
    """{sheet_id: (entry_id, judge_id, T_p, [n_pc or None per criterion in rubric order])}, from the contract."""
    criteria = sorted(Criterion.objects.filter(round=round_), key=lambda c: (c.order, c.pk))
    conflicts = set(
        Conflict.objects.filter(competition_id=round_.competition_id).values_list("round_id", "judge_id", "entry_id")
    )
    scores = {}
    for sheet_id, criterion_id, value in Score.objects.filter(sheet__assignment__round=round_).values_list(
        "sheet_id", "criterion_id", "value"
    ):
        scores.setdefault(sheet_id, {})[criterion_id] = value
    expected = {}
    for sheet in ScoreSheet.objects.filter(assignment__round=round_).select_related("assignment"):
        judge, entry = sheet.assignment.judge_id, sheet.assignment.entry_id
        if sheet.state != "final" or (None, judge, entry) in conflicts or (round_.pk, judge, entry) in conflicts:
            continue
        own = scores.get(sheet.pk, {})
        n = [100 * (own[c.pk] - c.scale_min) / (c.scale_max - c.scale_min) if c.pk in own else None for c in criteria]
        scored = [(float(c.weight), value) for c, value in zip(criteria, n, strict=True) if value is not None]
        if not scored:
            continue
        total = sum(w * value for w, value in scored) / sum(w for w, _ in scored)
        expected[sheet.pk] = (entry, judge, total, n)
    return expected


def stored_totals(round_):
    return {
        row.sheet_id: (row.entry_id, row.judge_id, row.total, row.n) for row in SheetTotal.objects.filter(round=round_)
    }


def expected_entry_totals(expected):
    """{entry_id: (judges, mean, median, spread, outlying judge ids, [mean n_pc or None per criterion])}, from the
    expected sheet totals (the method of shared/DESIGN.md: population sd, outliers over 20 points from the mean)."""
    by_entry = {}
    for entry, judge, total, n in expected.values():
        by_entry.setdefault(entry, []).append((judge, total, n))
    out = {}
    for entry, sheets in by_entry.items():
        totals = [total for _judge, total, _n in sheets]
        mean = statistics.fmean(totals)
        means = []
        for i in range(len(sheets[0][2])):
            values = [n[i] for _judge, _total, n in sheets if n[i] is not None]
            means.append(statistics.fmean(values) if values else None)
        outliers = sorted(judge for judge, total, _n in sheets if abs(total - mean) > OUTLIER_POINTS)
        out[entry] = (len(sheets), mean, statistics.median(totals), statistics.pstdev(totals), outliers, means)
    return out


def stored_entry_totals(round_):
    return {
        row.entry_id: (row.judges, row.mean, row.median, row.spread, row.outliers or [], row.means)
        for row in EntryTotal.objects.filter(round=round_)
    }


def close(a, b):
    return (a is None) == (b is None) and (a is None or math.isclose(a, b, abs_tol=1e-9))


def same_entries(expected, stored):
    if expected.keys() != stored.keys():
        return False
    for entry, (judges, mean, median, spread, outliers, means) in expected.items():
        s_judges, s_mean, s_median, s_spread, s_outliers, s_means = stored[entry]
        if (judges, outliers, len(means)) != (s_judges, s_outliers, len(s_means)):
            return False
        if not all(close(a, b) for a, b in zip((mean, median, spread, *means), (s_mean, s_median, s_spread, *s_means))):  # noqa: B905
            return False
    return True


def same(expected, stored):
    if expected.keys() != stored.keys():
        return False
    for sheet_id, (entry, judge, total, n) in expected.items():
        s_entry, s_judge, s_total, s_n = stored[sheet_id]
        if (entry, judge) != (s_entry, s_judge) or not math.isclose(total, s_total, abs_tol=1e-9):
            return False
        if len(n) != len(s_n):
            return False
        for a, b in zip(n, s_n, strict=True):
            if (a is None) != (b is None) or (a is not None and not math.isclose(a, b, abs_tol=1e-9)):
                return False
    return True


class World:
    def __init__(self):
        self.round = make_round(CRITERIA, k=JUDGES)
        Round.objects.filter(pk=self.round.pk).update(reopened_at=timezone.now())  # the rubric stays editable
        self.round.refresh_from_db()
        self.organiser = OrganiserFactory()
        self.entries = [add_entry(self.round, f"E{i}", minutes=i) for i in range(ENTRIES)]
        self.judges = [add_judge(self.round, JudgeFactory()) for _ in range(JUDGES)]
        self.assignments = [
            Assignment.objects.create(round=self.round, entry=entry, judge=judge, source="manual")
            for entry in self.entries
            for judge in self.judges
        ]
        self.added = 0

    def assignment(self, index):
        assignment = self.assignments[index]
        return assignment if Assignment.objects.filter(pk=assignment.pk).exists() else None

    def criteria(self):
        return sorted(Criterion.objects.filter(round=self.round), key=lambda c: (c.order, c.pk))

    def criterion(self, index):
        criteria = self.criteria()
        return criteria[index % len(criteria)] if criteria else None

    def sheet_values(self, raw):
        return {c.pk: (value, "") for c, value in zip(self.criteria(), raw, strict=False)}

    def run(self, action):
        kind, *args = action
        # refused (a final sheet, a value out of scale, a conflict already there...): nothing changed
        with contextlib.suppress(JudgingError):
            getattr(self, kind)(*args)

    def save(self, index, raw, final=False):
        assignment = self.assignment(index)
        if assignment is None:
            return
        sheet = ScoreSheet.objects.filter(assignment=assignment).first()
        call = services.submit_sheet if final else services.save_sheet
        call(
            assignment=assignment,
            judge=assignment.judge,
            values=self.sheet_values(raw),
            version=sheet.version if sheet else 0,
        )

    def submit(self, index, raw):
        self.save(index, raw, final=True)

    def unlock(self, index):
        sheet = ScoreSheet.objects.filter(assignment_id=self.assignments[index].pk).first()
        if sheet is not None:
            services.unlock_sheet(sheet=sheet, actor=self.organiser, reason="Salah ketik")

    def declare(self, index):
        assignment = self.assignment(index)
        if assignment is not None:
            services.declare_conflict(assignment=assignment, judge=assignment.judge, reason="Kerabat pengusul")

    def record(self, index, whole_competition):
        assignment = self.assignments[index]
        services.record_conflict(
            competition=self.round.competition,
            judge=assignment.judge,
            entry=assignment.entry,
            reason="Satu kantor",
            actor=self.organiser,
            round_=None if whole_competition else self.round,
        )

    def withdraw(self, index):
        assignment = self.assignments[index]
        Conflict.objects.filter(judge=assignment.judge, entry=assignment.entry).delete()

    def _change(self, index, **fields):
        criterion = self.criterion(index)
        if criterion is not None:
            services.save_criterion(round_=self.round, actor=self.organiser, criterion=criterion, **fields)

    def weight(self, index, weight):
        self._change(index, weight=Decimal(weight))

    def scale(self, index, low, high):
        self._change(index, scale_min=low, scale_max=high)

    def order(self, index, order):
        self._change(index, order=order)

    def add_criterion(self, weight):
        self.added += 1
        services.save_criterion(
            round_=self.round,
            actor=self.organiser,
            key=f"baru-{self.added}",
            title=f"Baru {self.added}",
            weight=Decimal(weight),
            scale_min=1,
            scale_max=10,
            required=False,
            order=self.added,
        )

    def delete_criterion(self, index):
        criterion = self.criterion(index)
        if criterion is not None and len(self.criteria()) > 1:
            services.delete_criterion(criterion=criterion, actor=self.organiser)

    def delete_assignment(self, index):
        assignment = self.assignment(index)
        if assignment is not None:
            assignment.delete()  # the admin's way: the sheet and its scores go with it

    def raw_update(self, index, value):
        """A change behind the services' back (an operator's UPDATE): the triggers keep the totals all the same."""
        with transaction.atomic():
            for score in Score.objects.filter(sheet__assignment_id=self.assignments[index].pk):
                criterion = score.criterion
                if criterion.scale_min <= value <= criterion.scale_max:
                    Score.objects.filter(pk=score.pk).update(value=value)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(actions, min_size=1, max_size=14))
def test_stored_totals_equal_a_recomputation_after_every_step(steps):
    try:
        with transaction.atomic():
            world = World()
            for step in steps:
                world.run(step)
                expected, stored = expected_totals(world.round), stored_totals(world.round)
                assert same(expected, stored), (step, expected, stored)
                entries, stored_entries = expected_entry_totals(expected), stored_entry_totals(world.round)
                assert same_entries(entries, stored_entries), (step, entries, stored_entries)
            raise Rollback
    except Rollback:
        pass


def test_a_rubric_change_is_audited_and_a_repair_changes_nothing():
    from tests.judging.scoring.helpers import add_sheet

    round_ = make_round(CRITERIA)
    Round.objects.filter(pk=round_.pk).update(reopened_at=timezone.now())
    round_.refresh_from_db()
    organiser = OrganiserFactory()
    entry = add_entry(round_, "E1")
    add_sheet(round_, entry, add_judge(round_), {"a": 7, "b": 3, "c": None})
    before = stored_totals(round_)
    assert same(expected_totals(round_), before) and len(before) == 1
    ranked = round_ranking(round_)

    criterion = Criterion.objects.get(round=round_, key="a")
    services.save_criterion(round_=round_, actor=organiser, criterion=criterion, weight=Decimal("5"))
    events = AuditEvent.objects.filter(action="judging.rubric_recompute")
    assert [(e.details["criterion"], e.details["changed"], e.details["sheets_counted"]) for e in events] == [
        ("a", ["weight"], 1)
    ]
    assert same(expected_totals(round_), stored_totals(round_))
    assert round_ranking(round_)[0]["total"] != ranked[0]["total"]  # the weight moved the total at once

    services.save_criterion(round_=round_, actor=organiser, criterion=criterion, title="Judul lain")
    assert events.count() == 1  # a title moves no total: nothing to audit

    stored, stored_entries = stored_totals(round_), stored_entry_totals(round_)
    assert same_entries(expected_entry_totals(expected_totals(round_)), stored_entries)
    assert refresh_round_totals(round_) == 1
    assert stored_totals(round_) == stored  # the triggers left nothing to repair
    assert stored_entry_totals(round_) == stored_entries


@pytest.mark.django_db(transaction=True)
def test_two_judges_submitting_sheets_of_one_entry_at_once_both_count():
    """Two judges submit their sheets of the same entry while a third judge's sheet of it is being refreshed in an
    open transaction: both wait for it (the entry's lock in the entry totals' function), then both are stored, and
    the entry's stored total is that of all three sheets (no duplicate row, no sheet missed)."""
    round_ = make_round(CRITERIA, k=3)
    entry = add_entry(round_, "E1")
    judges = [add_judge(round_) for _ in range(3)]
    assignments = [
        Assignment.objects.create(round=round_, entry=entry, judge=judge, source="manual") for judge in judges
    ]
    criteria = sorted(Criterion.objects.filter(round=round_), key=lambda c: (c.order, c.pk))
    services.submit_sheet(
        assignment=assignments[0], judge=judges[0], values={c.pk: (4, "") for c in criteria}, version=0
    )
    first = ScoreSheet.objects.get(assignment=assignments[0])
    holding, release = threading.Event(), threading.Event()
    failures = []

    def hold_the_entry():
        try:
            with transaction.atomic():
                refresh_sheets_totals([first.pk])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def submit(index, value):
        try:
            services.submit_sheet(
                assignment=assignments[index],
                judge=judges[index],
                values={c.pk: (value, "") for c in criteria},
                version=0,
            )
        except Exception as error:  # noqa: BLE001 - the failure is what the test reports
            failures.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_entry)
    holder.start()
    assert holding.wait(10)
    submitting = [threading.Thread(target=submit, args=(1, 2)), threading.Thread(target=submit, args=(2, 3))]
    for thread in submitting:
        thread.start()
    time.sleep(0.5)  # both are waiting for the entry now
    release.set()
    for thread in (holder, *submitting):
        thread.join(20)
    assert failures == []
    expected = expected_totals(round_)
    assert len(expected) == 3
    assert same_entries(expected_entry_totals(expected), stored_entry_totals(round_))
    assert EntryTotal.objects.filter(round=round_, entry=entry).get().judges == 3
