import random

import pytest
from django.urls import reverse

from judging.scoring.certainty import cut_certainty, resample_shares, sheet_values
from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory
from tests.judging.publication.helpers import CRITERIA, closed_round
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db


def _noisy_round(method="mean"):
    """Top 2 of 4: A is sure, D is out, B and C split their judges (one high, one low sheet each)."""
    round_ = make_round(CRITERIA, top_n=2, reserve_n=0, state="closed", k=2, method=method)
    judges = [add_judge(round_), add_judge(round_), add_judge(round_)]
    sheets = {
        "A": [(10, 10), (9, 9), (10, 9)],
        "B": [(9, 9), (3, 3), (6, 6)],
        "C": [(8, 8), (4, 4), (6, 6)],
        "D": [(1, 1), (2, 2), (1, 2)],
    }
    for minutes, (code, values) in enumerate(sheets.items()):
        entry = add_entry(round_, code, minutes=minutes)
        for judge, (a, b) in zip(judges, values, strict=True):
            add_sheet(round_, entry, judge, {"a": a, "b": b})
    return round_


def _shares(result):
    return {row.entry_code: row.share for row in result["rows"]}


def test_clear_places_are_certain_and_shared_ones_are_not():
    round_ = _noisy_round()
    shares = _shares(cut_certainty(round_, resamples=400))
    assert shares["A"] == 1.0
    assert shares["D"] == 0.0
    assert 0.1 < shares["B"] < 0.9 and 0.1 < shares["C"] < 0.9
    assert shares["B"] + shares["C"] == pytest.approx(1.0)  # exactly one of them takes the second place


def test_the_same_round_gives_the_same_shares():
    round_ = _noisy_round()
    assert _shares(cut_certainty(round_)) == _shares(cut_certainty(round_))


def test_a_decided_ranking_has_no_undecided_places():
    round_, _next, _entries, _judges = closed_round(top_n=2, reserve_n=1)
    result = cut_certainty(round_)
    assert result["undecided"] == 0
    assert {row.entry_code: row.verdict for row in result["rows"]} == {"E1": "in", "E2": "in", "E3": "out", "E4": "out"}


def test_normalised_rounds_resample_the_normalised_values():
    round_ = _noisy_round(method="normalised")
    values = sheet_values(round_)
    assert sum(len(v) for v in values.values()) == 12
    shares = _shares(cut_certainty(round_))
    assert shares["A"] == 1.0 and shares["D"] == 0.0


def test_median_method():
    round_ = _noisy_round(method="median")
    shares = _shares(cut_certainty(round_))
    assert shares["A"] == 1.0 and shares["D"] == 0.0


def _queries(round_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        cut_certainty(round_)
    return len(ctx.captured_queries)


def test_the_same_queries_whatever_the_size():
    small = _noisy_round()
    large = make_round(CRITERIA, top_n=5, reserve_n=0, state="closed", k=2, slug="besar")
    judges = [add_judge(large), add_judge(large)]
    for n in range(30):
        entry = add_entry(large, f"L{n:02d}", minutes=n)
        for judge in judges:
            add_sheet(large, entry, judge, {"a": 1 + n % 10, "b": 1 + (n * 7) % 10})
    assert _queries(small) == _queries(large)


def test_5000_entries_every_resample_fills_the_top_n_exactly():
    # The time at this size is a benchmark figure (make bench), not a test assertion.
    rng = random.Random(5)
    values = [[rng.uniform(40, 90) for _ in range(rng.choice([3, 3, 3, 2, 4]))] for _ in range(5000)]
    shares = resample_shares(values, top_n=50, resamples=200, seed=1)
    assert len(shares) == 5000 and abs(shares.sum() - 50) < 1e-9
    assert (shares >= 0).all() and (shares <= 1).all()


def test_page_for_organisers_only(client):
    round_ = _noisy_round()
    url = reverse("judging:round_certainty", args=[round_.competition.slug, round_.slug])
    assert client.get(url).status_code == 302
    for user in (InnovatorFactory(), JudgeFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(OrganiserFactory())
    html = client.get(url).content.decode()
    assert 'id="certainty-table"' in html and "pengambilan ulang" in html
    assert 'data-entry="B"' in html


def test_an_entry_scored_by_one_judge_is_not_called_certain(client):
    """One sheet resampled is always the same sheet: its share would read 100% or 0%. The page says instead that
    its certainty cannot be measured yet, and how many such entries there are."""
    round_ = make_round(CRITERIA, top_n=1, reserve_n=0, state="closed", k=2)
    judges = [add_judge(round_), add_judge(round_)]
    for minutes, (code, sheets) in enumerate({"A": [(9, 9)], "B": [(8, 8), (6, 6)], "C": [(5, 5), (4, 4)]}.items()):
        entry = add_entry(round_, code, minutes=minutes)
        for judge, (a, b) in zip(judges, sheets, strict=False):
            add_sheet(round_, entry, judge, {"a": a, "b": b})
    result = cut_certainty(round_)
    assert {row.entry_code: (row.judges, row.verdict) for row in result["rows"]} == {
        "A": (1, "single"),
        "B": (2, "out"),
        "C": (2, "out"),
    }
    assert result["single"] == 1 and result["undecided"] == 0
    client.force_login(OrganiserFactory())
    html = client.get(reverse("judging:round_certainty", args=[round_.competition.slug, round_.slug])).content.decode()
    assert "Belum dapat diukur: dinilai oleh satu juri saja" in html
    assert "1 proposal dinilai oleh satu juri saja" in html
    assert "Hampir pasti masuk" not in html
    row_a = html.split('data-entry="A"')[1].split("</tr>")[0]
    assert '<td class="text-end">–</td>' in row_a and "%" not in row_a  # no share shown for A
