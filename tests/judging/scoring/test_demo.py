"""The demo's open round (judging/scoring/demo.py, issue 15 item 7): kipp-jeneponto-2027's presentation round is open
now, panelist1 has every entry to score and none final, others have some final; seeding again creates nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from judging.models import Assignment, Round, ScheduleSlot, ScoreSheet
from judging.scoring.demo import ROUND_SLUG, SLUG

pytestmark = pytest.mark.django_db


def _seed():
    out = io.StringIO()
    call_command("seed_demo", entries=5, judges=3, password="kata-sandi-demo-1", stdout=out)
    return out.getvalue()


def test_the_demo_holds_an_open_presentation_round_with_sheets_for_panelist1(media_root):
    _seed()
    round_ = Round.objects.get(competition__slug=SLUG, slug=ROUND_SLUG)
    now = timezone.now()
    assert (round_.kind, round_.state) == ("presentation", "open")
    assert round_.opens_at < now < round_.closes_at
    assert not round_.competition.is_open(now)  # its registration has closed; the 2027 provincial call is open
    assert round_.round_entries.count() == 10
    assert set(round_.round_entries.values_list("entry__agency__region__name", flat=True)) == {"Jeneponto"}

    mine = Assignment.objects.filter(round=round_, judge__email="panelist1@demo.kipp.id")
    assert mine.count() == 10
    states = sorted(ScoreSheet.objects.filter(assignment__in=mine).values_list("state", flat=True))
    assert states == ["draft", "draft"]  # two drafts, eight not started: ten not final
    assert all(s.scores.exists() for s in ScoreSheet.objects.filter(assignment__in=mine))
    others = ScoreSheet.objects.filter(assignment__round=round_).exclude(
        assignment__judge__email="panelist1@demo.kipp.id"
    )
    assert others.filter(state="final").count() == 6
    assert ScheduleSlot.objects.filter(round=round_, kind="presentation").count() == 10
    assert {s.date for s in ScheduleSlot.objects.filter(round=round_)} == {timezone.localdate()}

    # the 2023 history stays as it was: every round of kipp-sulsel-2023 closed or published
    assert set(Round.objects.filter(competition__slug="kipp-sulsel-2023").values_list("state", flat=True)) <= {
        "closed",
        "published",
    }

    before = (Round.objects.count(), Assignment.objects.count(), ScoreSheet.objects.count())
    assert "Nothing to create" in _seed()
    assert (Round.objects.count(), Assignment.objects.count(), ScoreSheet.objects.count()) == before
