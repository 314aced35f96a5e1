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


def test_copy_csv_neutralises_formulas_like_the_python_csv():
    """Titles, codes, judges' addresses and criterion keys that a spreadsheet would run as formulas are quoted by
    PostgreSQL (kipp.exports.safe_sql) exactly as by the export writer: the same bytes, no cell starts a formula."""
    import io

    from judging.models import Criterion
    from judging.scoring.exports import copy_scores_csv, iter_scores
    from tests.kipp.test_exports import DANGEROUS, FORMULA, HARMLESS, opens_formula

    round_ = random_round(3, "mean")
    Criterion.objects.filter(round=round_, key="k0").update(key="-k0")
    entries = list(round_.competition.entries.order_by("code"))
    for entry, title in zip(entries, DANGEROUS + HARMLESS, strict=False):
        entry.title = title
        entry.save(update_fields=["title"])
    entries[-1].code = "@KODE-1"
    entries[-1].save(update_fields=["code"])
    judge = round_.assignments.order_by("id").first().judge
    judge.email = "+juri@example.org"
    judge.save(update_fields=["email"])
    out = io.StringIO(newline="")
    copy_scores_csv(round_, out)
    assert out.getvalue() == "".join(iter_scores(round_, "csv"))
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert not [cell for row in rows for cell in row if opens_formula(cell)]
    cells = {cell for row in rows for cell in row}
    assert {"'" + FORMULA, "'@KODE-1", "'+juri@example.org", "'-k0", "'\t=1+1"} <= cells
    assert {"12", "1", "true", "false"} & cells  # numbers and flags are written as they were


def _closed_round_with_a_clear_winner():
    from judging.scoring.services import close_round
    from tests.factories import OrganiserFactory

    round_ = make_round([("a", 3, 1, 10), ("b", 1, 1, 10)], top_n=1, reserve_n=0)
    judges = [JudgeFactory(), JudgeFactory()]
    first, second = add_entry(round_, "E1"), add_entry(round_, "E2", minutes=1)
    for judge, (x, y) in zip(judges, [(9, 8), (8, 6)], strict=True):
        add_sheet(round_, first, judge, {"a": x, "b": x})
        add_sheet(round_, second, judge, {"a": y, "b": y})
    organiser = OrganiserFactory()
    return close_round(round_=round_, actor=organiser), organiser, second


def test_a_closed_rounds_results_come_from_its_snapshot_not_from_live_sheets(tmp_path, client):
    """A sheet changed after the round closed (behind the services' back, in the database) moves the live ranking
    but not the closed round's results: hasil.csv/xlsx and export_results read the snapshot stored at closing."""
    from django.urls import reverse

    from judging.models import Round, Score
    from judging.scoring.exports import results_bytes
    from judging.scoring.queries import round_ranking
    from judging.scoring.services import reopen_round

    round_, organiser, second = _closed_round_with_a_clear_winner()
    before = {fmt: results_bytes(round_, fmt) for fmt in ("csv", "json")}
    people = load_workbook(io_bytes(results_bytes(round_, "xlsx", for_people=True)), read_only=True)
    before_people = list(people.active.iter_rows(values_only=True))
    assert [r["entry_code"] for r in json.loads(before["json"])] == ["E1", "E2"]

    Score.objects.filter(sheet__assignment__entry=second).update(value=10)
    assert [r["entry_code"] for r in round_ranking(round_)] == ["E2", "E1"]  # the live figures did move

    round_.refresh_from_db()
    assert results_bytes(round_, "csv") == before["csv"]
    assert results_bytes(round_, "json") == before["json"]
    people = load_workbook(io_bytes(results_bytes(round_, "xlsx", for_people=True)), read_only=True)
    assert list(people.active.iter_rows(values_only=True)) == before_people
    assert [r["entry_code"] for r in read_csv(export(tmp_path, "results", "export_results", round_, "csv"))] == [
        "E1",
        "E2",
    ]
    rows = list(
        load_workbook(export(tmp_path, "r", "export_results", round_, "xlsx")).active.iter_rows(values_only=True)
    )
    assert [r[1] for r in rows[1:]] == ["E1", "E2"]
    client.force_login(organiser)
    url = reverse("judging:round_download", args=[round_.competition.slug, round_.slug, "hasil", "csv"])
    assert client.get(url).content == before["csv"]

    Round.objects.filter(pk=round_.pk).update(state="published")  # a published round: its latest snapshot too
    round_.refresh_from_db()
    assert results_bytes(round_, "csv") == before["csv"]

    reopen_round(round_=round_, actor=organiser, reason="Nilai dikoreksi setelah klarifikasi juri.")
    round_.refresh_from_db()
    assert [r["entry_code"] for r in json.loads(results_bytes(round_, "json"))] == ["E2", "E1"]  # open: live


def io_bytes(data):
    import io

    return io.BytesIO(data)
