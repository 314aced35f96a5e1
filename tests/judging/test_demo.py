"""seed_demo with the judging seeder: the 2023 rounds, and the round trip on demo data."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from judging.models import Assignment, Conflict, RankingSnapshot, Round, ScoreSheet
from judging.scoring.queries import judge_distribution, round_ranking
from kipp.demo import DemoContext
from kipp.hooks import seeders
from tests.judging.scoring.reference import rank_key, recompute

pytestmark = pytest.mark.django_db


def _csv(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _seed_up_to_judging():
    """The seeders of kipp, entries and judging only (later layers, e.g. publication, complete the rounds)."""
    ctx = DemoContext(
        options={"entries": 141, "judges": 9, "seed": 2023, "password": "kata-sandi-demo-1"}, stdout=io.StringIO()
    )
    for name, func in seeders():
        with transaction.atomic():
            func(ctx)
        if name == "judging":
            return ctx


def test_seed_demo_judging(media_root, tmp_path):
    _seed_up_to_judging()
    desk = Round.objects.get(competition__slug="kipp-sulsel-2023", slug="penilaian-proposal")
    assert desk.state in ("closed", "published") and (desk.top_n, desk.reserve_n) == (50, 5)
    assert RankingSnapshot.objects.filter(round=desk, reason="close").count() == 1
    ranking = round_ranking(desk)
    outcome = {row["title"]: row["outcome"] for row in ranking}
    assert outcome["Sapa Masyarakat Sekitar (SMS)"] == "selected"
    assert outcome["Transportation Smart"] == "selected"
    assert [r["outcome"] for r in ranking].count("selected") == 50
    assert all(row["judges"] == 3 for row in ranking)
    assert Conflict.objects.filter(round=desk, source="declared").count() == 2
    assert not ScoreSheet.objects.filter(assignment__round=desk, state="draft").exists()
    means = sorted((d["mean"], j) for j, d in judge_distribution(desk).items())
    emails = {a.judge_id: a.judge.email for a in Assignment.objects.filter(round=desk).select_related("judge")}
    assert emails[means[0][1]] == "evaluator4@demo.kipp.id"  # the harsh one
    assert emails[means[-1][1]] == "evaluator7@demo.kipp.id"  # the lenient one

    presentation = Round.objects.get(competition__slug="kipp-sulsel-2023", slug="presentasi-wawancara")
    assert presentation.state == "open"
    assert presentation.round_entries.count() == 50
    states = set(ScoreSheet.objects.filter(assignment__round=presentation).values_list("state", flat=True))
    assert states == {"draft", "final"}
    assert Assignment.objects.filter(round=presentation, judge__email__startswith="panelist").exists()
    assert Round.objects.get(competition__slug="kipp-sulsel-2023", slug="verifikasi-lapangan").state == "setup"

    # the round trip on demo data
    scores = _csv("export_scores", "kipp-sulsel-2023", "penilaian-proposal")
    results = _csv("export_results", "kipp-sulsel-2023", "penilaian-proposal")
    recomputed, by_weight = recompute(scores)
    assert len(results) == len(recomputed)
    for row in results:
        assert float(row["total"]) == pytest.approx(recomputed[row["entry_code"]]["total"], abs=0.01)
        assert float(row["signifikansi"]) == pytest.approx(
            recomputed[row["entry_code"]]["criteria"]["signifikansi"], abs=0.01
        )
    keys = [rank_key(recomputed[r["entry_code"]], by_weight) for r in results]
    assert keys == sorted(keys)

    # idempotent
    before = (Round.objects.count(), Assignment.objects.count(), ScoreSheet.objects.count())
    ctx = _seed_up_to_judging()
    assert (Round.objects.count(), Assignment.objects.count(), ScoreSheet.objects.count()) == before
    assert not any(label.startswith("judging") for label in ctx.created)
