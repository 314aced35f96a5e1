"""Properties of the aggregation (judging.scoring.queries.round_ranking), checked with hypothesis on generated panels.

- the order in which sheets are written does not matter (mean, median, normalised);
- adding a draft sheet or a recused sheet changes nothing;
- normalised method, every judge with at least 3 final sheets of different totals: when one judge moves all of
  their scores by the same amount, the order stays;
- ties resolve the same way every time (same data written twice, in different orders).

Each example builds its round inside a transaction that is rolled back, so examples do not see each other.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from judging.models import Conflict
from judging.scoring.queries import round_ranking
from tests.factories import JudgeFactory
from tests.judging.scoring.helpers import add_entry, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("signifikansi", 3, 1, 10), ("kebaruan", 2, 1, 10), ("sumber_daya", 1, 1, 10)]
KEYS = [c[0] for c in CRITERIA]
PROPERTY_SETTINGS = settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

score = st.integers(min_value=1, max_value=10)
sheet_values = st.tuples(score, score, score)


@st.composite
def panels(draw, min_entries=2, max_entries=5, judges=3, values=sheet_values):
    """{entry index: {judge index: (v1, v2, v3)}}: every judge scores every entry (a full panel)."""
    n = draw(st.integers(min_value=min_entries, max_value=max_entries))
    return {e: {j: draw(values) for j in range(judges)} for e in range(n)}


class Rollback(Exception):
    pass


def ranking_of(panel, *, method="mean", order=None, extra=None):
    """Write the panel (in `order` of (entry, judge) pairs), call extra(round, entries, judges) if given, and return
    [(code, total, judges, spread)] in rank order; everything written is rolled back."""
    result = []
    try:
        with transaction.atomic():
            round_ = make_round(CRITERIA, method=method, top_n=2, reserve_n=1)
            entries = {e: add_entry(round_, f"E{e:02d}", minutes=e % 2) for e in panel}
            judge_count = max(len(v) for v in panel.values())
            judges = [JudgeFactory() for _ in range(judge_count)]
            pairs = order or [(e, j) for e in panel for j in panel[e]]
            for e, j in pairs:
                add_sheet(round_, entries[e], judges[j], dict(zip(KEYS, panel[e][j], strict=True)))
            if extra:
                extra(round_, entries, judges)
            result = [
                (r["entry_code"], round(r["total"], 9), r["judges"], round(r["spread"] or 0, 9), r["outcome"])
                for r in round_ranking(round_)
            ]
            raise Rollback
    except Rollback:
        pass
    return result


@PROPERTY_SETTINGS
@given(panel=panels(), method=st.sampled_from(["mean", "median", "normalised"]), seed=st.randoms())
def test_the_order_of_sheets_does_not_matter(panel, method, seed):
    pairs = [(e, j) for e in panel for j in panel[e]]
    shuffled = list(pairs)
    seed.shuffle(shuffled)
    assert ranking_of(panel, method=method, order=pairs) == ranking_of(panel, method=method, order=shuffled)


@PROPERTY_SETTINGS
@given(
    panel=panels(),
    method=st.sampled_from(["mean", "median", "normalised"]),
    extra_values=sheet_values,
    target=st.integers(min_value=0, max_value=10),
    kind=st.sampled_from(["draft", "recused", "both"]),
)
def test_a_draft_or_recused_sheet_changes_nothing(panel, method, extra_values, target, kind):
    def add_uncounted(round_, entries, judges):
        entry = entries[target % len(entries)]
        values = dict(zip(KEYS, extra_values, strict=True))
        if kind in ("draft", "both"):
            add_sheet(round_, entry, JudgeFactory(), values, state="draft")
        if kind in ("recused", "both"):
            recused = JudgeFactory()
            add_sheet(round_, entry, recused, values)
            Conflict.objects.create(
                competition=round_.competition,
                round=round_,
                judge=recused,
                entry=entry,
                source="declared",
                reason="Kerabat pengusul",
            )

    assert ranking_of(panel, method=method, extra=add_uncounted) == ranking_of(panel, method=method)


def _sheet_total(values):
    weights = [c[1] for c in CRITERIA]
    return sum(w * 100 * (v - 1) / 9 for w, v in zip(weights, values, strict=True)) / sum(weights)


@PROPERTY_SETTINGS
@given(
    panel=panels(min_entries=3, max_entries=5, values=st.tuples(*[st.integers(3, 8)] * 3)),
    judge=st.integers(min_value=0, max_value=2),
    shift=st.sampled_from([-2, -1, 1, 2]),
)
def test_normalised_order_stays_when_one_judge_moves_all_scores(panel, judge, shift):
    # every judge holds >= 3 final sheets (3..5 entries, full panel) whose totals are not all equal (sd_p > 0)
    for j in range(3):
        assume(len({round(_sheet_total(panel[e][j]), 9) for e in panel}) > 1)
    moved = {
        e: {j: tuple(v + shift for v in vals) if j == judge else vals for j, vals in sheets.items()}
        for e, sheets in panel.items()
    }
    before = ranking_of(panel, method="normalised")
    after = ranking_of(moved, method="normalised")
    totals = sorted(t for _, t, *_ in before)
    assume(all(b - a > 1e-6 for a, b in zip(totals, totals[1:], strict=False)))  # no ties: tie-breaks use raw means
    assert [code for code, *_ in before] == [code for code, *_ in after]


@PROPERTY_SETTINGS
@given(
    panel=panels(min_entries=3, max_entries=6, values=st.tuples(*[st.integers(1, 2)] * 3)),
    method=st.sampled_from(["mean", "median", "normalised"]),
    seed=st.randoms(),
)
def test_ties_resolve_the_same_way_every_time(panel, method, seed):
    """Scores of 1 or 2 only: many equal totals. Written twice, in two different orders, the ranking is the same,
    complete (every entry once) and strictly ordered (no two rows share a rank)."""
    pairs = [(e, j) for e in panel for j in panel[e]]
    shuffled = list(pairs)
    seed.shuffle(shuffled)
    first = ranking_of(panel, method=method, order=pairs)
    second = ranking_of(panel, method=method, order=list(reversed(shuffled)))
    assert first == second
    assert sorted(code for code, *_ in first) == [f"E{e:02d}" for e in sorted(panel)]
