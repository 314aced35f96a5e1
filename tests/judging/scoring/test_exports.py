"""Round trip: the ranking recomputed in plain Python from export_scores alone equals export_results."""

import csv
import json
import random

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from judging.models import Conflict
from tests.factories import JudgeFactory
from tests.judging.scoring.helpers import add_entry, add_sheet, make_round
from tests.judging.scoring.reference import rank_key, recompute

pytestmark = pytest.mark.django_db


def random_round(seed, method):
    rng = random.Random(seed)
    n_criteria = rng.randint(2, 7)
    criteria = []
    for i in range(n_criteria):
        low = rng.choice([0, 1, 1, 1])
        criteria.append(
            (f"k{i}", rng.choice([5, 10, 15, 20, 30, 2.5]), low, low + rng.choice([4, 9, 10, 99]), rng.random() > 0.2)
        )
    round_ = make_round(criteria, method=method, top_n=rng.randint(3, 8), reserve_n=rng.randint(0, 3))
    judges = [JudgeFactory() for _ in range(rng.randint(3, 7))]
    bias = {j.pk: rng.uniform(-0.3, 0.3) for j in judges}
    for e in range(rng.randint(12, 30)):
        entry = add_entry(round_, f"R{seed}-{e:03d}", minutes=rng.randint(0, 5000))
        quality = rng.random()
        for judge in rng.sample(judges, 3):
            values = {}
            for key, _w, low, high, required in criteria:
                if not required and rng.random() < 0.3:
                    continue
                x = min(1, max(0, quality + bias[judge.pk] + rng.gauss(0, 0.15)))
                values[key] = low + round(x * (high - low))
            state = "draft" if rng.random() < 0.1 else "final"
            add_sheet(round_, entry, judge, values, state=state)
            if rng.random() < 0.05:
                Conflict.objects.create(
                    competition=round_.competition,
                    round=round_,
                    judge=judge,
                    entry=entry,
                    source="declared",
                    reason="Recusal",
                )
    return round_


def export(tmp_path, name, command, round_, fmt):
    path = tmp_path / f"{name}.{fmt}"
    call_command(command, round_.competition.slug, round_.slug, format=fmt, output=str(path))
    return path


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def check_round_trip(round_, scores, results):
    recomputed, by_weight = recompute(scores, method=round_.aggregation)
    criteria_keys = [c.key for c in round_.criteria.order_by("order", "id")]
    assert list(results[0].keys()) == [
        "rank",
        "entry_code",
        "title",
        "agency",
        "region",
        "total",
        "judges",
        "spread",
        *criteria_keys,
        "outcome",
    ]
    ranked = [r for r in results if r["total"] not in ("", None)]
    assert {r["entry_code"] for r in ranked} == set(recomputed)
    for row in ranked:
        mine = recomputed[row["entry_code"]]
        assert float(row["total"]) == pytest.approx(mine["total"], abs=0.01)
        assert float(row["spread"]) == pytest.approx(mine["spread"], abs=0.01)
        assert int(row["judges"]) == mine["judges"]
        for key in criteria_keys:
            if key in mine["criteria"]:
                assert float(row[key]) == pytest.approx(mine["criteria"][key], abs=0.01)
    # same order under the tie-break (the submission time, not in export_scores, only orders exact ties)
    keys = [rank_key(recomputed[r["entry_code"]], by_weight) for r in ranked]
    assert keys == sorted(keys)
    assert [int(r["rank"]) for r in results] == list(range(1, len(results) + 1))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("method", ["mean", "median", "normalised"])
def test_round_trip_csv_on_random_data(tmp_path, seed, method):
    round_ = random_round(seed, method)
    scores = read_csv(export(tmp_path, "scores", "export_scores", round_, "csv"))
    results = read_csv(export(tmp_path, "results", "export_results", round_, "csv"))
    check_round_trip(round_, scores, results)
    # 4 decimals
    assert all(len(r["total"].split(".")[1]) == 4 for r in results if r["total"])
    outcomes = [r["outcome"] for r in results]
    selected = outcomes.count("selected")
    assert selected == min(round_.top_n, sum(1 for r in results if r["total"]))
    assert outcomes[:selected] == ["selected"] * selected


def test_round_trip_json_and_xlsx(tmp_path):
    round_ = random_round(7, "mean")
    scores = json.loads(export(tmp_path, "scores", "export_scores", round_, "json").read_text())
    scores = [{k: ("" if v is None else v) for k, v in row.items()} for row in scores]
    results = json.loads(export(tmp_path, "results", "export_results", round_, "json").read_text())
    check_round_trip(round_, scores, results)
    workbook = load_workbook(export(tmp_path, "results", "export_results", round_, "xlsx"), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    header = list(rows[0])
    assert [dict(zip(header, r, strict=True))["entry_code"] for r in rows[1:]] == [r["entry_code"] for r in results]
    assert dict(zip(header, rows[1], strict=True))["total"] == pytest.approx(results[0]["total"], abs=1e-4)


def test_export_scores_has_one_row_per_entry_judge_criterion(tmp_path):
    round_ = make_round([("a", 1, 1, 10), ("b", 2, 1, 5)])
    entry = add_entry(round_, "E1")
    judge, other = JudgeFactory(email="juri@example.org"), JudgeFactory()
    add_sheet(round_, entry, judge, {"a": 7, "b": 3})
    add_sheet(round_, entry, other, {}, assign_only=True)
    rows = read_csv(export(tmp_path, "scores", "export_scores", round_, "csv"))
    assert len(rows) == 4
    mine = [r for r in rows if r["judge"] == "juri@example.org"]
    assert [
        (r["criterion"], r["weight"], r["min"], r["max"], r["value"], r["sheet_state"], r["recused"]) for r in mine
    ] == [("a", "1", "1", "10", "7", "final", "false"), ("b", "2", "1", "5", "3", "final", "false")]
    assert {r["sheet_state"] for r in rows if r["judge"] != "juri@example.org"} == {"not_started"}


@pytest.mark.parametrize("seed", [1, 2])
def test_copy_csv_is_byte_for_byte_the_python_csv(seed):
    """export_scores writes the CSV through PostgreSQL's COPY: the same bytes as the csv.writer path (iter_scores),
    also for titles with commas, quotes, newlines and non-ASCII text and for fractional weights."""
    import io

    from judging.models import Criterion
    from judging.scoring.exports import copy_scores_csv, iter_scores

    round_ = random_round(seed, "mean")
    Criterion.objects.filter(round=round_, key="k0").update(weight="12.250")
    awkward = ['Koma, "kutip" dan\nbaris baru', "Sulawesi Selatan: inovasi ✓", "akhir\r\nbaris", "  spasi  "]
    for entry, title in zip(round_.competition.entries.order_by("code"), awkward, strict=False):
        entry.title = title
        entry.save(update_fields=["title"])
    out = io.StringIO(newline="")
    copy_scores_csv(round_, out)
    assert out.getvalue() == "".join(iter_scores(round_, "csv"))
    assert "12.25," in out.getvalue() and "\r\n" in out.getvalue()
