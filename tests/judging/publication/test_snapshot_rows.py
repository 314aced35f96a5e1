"""A closed or published round's announcement rows come from the ranking snapshot stored when it closed, never from
live sheets (issue 17 finding 1, last sentence): a sheet changed in the database after closing moves nothing."""

import pytest

from judging.models import RankingSnapshot, Score
from judging.publication import services as pub
from judging.publication.enums import AnnouncementKind
from judging.publication.queries import frozen_ranking
from judging.scoring import services as scoring
from tests.judging.publication.helpers import closed_round, listed, organisers, text_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    round_.state = "open"
    round_.save(update_fields=["state"])
    scoring.close_round(round_=round_, actor=a)
    return round_, entries, a, b


def _totals(announcement):
    return {row.entry_code: row.total for row in announcement.rows.all()}


def test_a_sheet_changed_after_closing_does_not_reach_the_announcement(closed):
    round_, entries, a, b = closed
    closing = RankingSnapshot.objects.get(round=round_, reason="close")
    at_close = {row["entry_code"]: row["total"] for row in closing.rows}
    Score.objects.filter(sheet__assignment__entry=entries["E4"]).update(value=10)  # behind the round's back
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    assert _totals(announcement) == at_close
    assert listed(announcement) == [("E1", "selected"), ("E2", "selected"), ("E3", "reserve"), ("E4", "not_selected")]
    final = pub.prepare_announcement(
        round_=round_, actor=a, kind=AnnouncementKind.FINAL, **text_fields(number="065/135/II/B")
    )
    assert _totals(final) == at_close  # the final list of one round: the same closed figures


def test_after_reopening_and_closing_again_the_new_figures_count(closed):
    round_, entries, a, b = closed
    scoring.reopen_round(round_=round_, actor=a, reason="Nilai E4 salah input")
    Score.objects.filter(sheet__assignment__entry=entries["E4"]).update(value=10)
    assert frozen_ranking(round_)[0]["entry_code"] == "E4"  # open again: the live ranking
    scoring.close_round(round_=round_, actor=a)
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    assert listed(announcement)[0] == ("E4", "selected") and _totals(announcement)["E4"] == 100.0


def test_the_publish_snapshot_does_not_replace_the_closing_one(closed):
    """Publishing stores a second snapshot from the sheets as they are then; the rows still come from closing."""
    round_, entries, a, b = closed
    first = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.submit_for_approval(announcement=first, actor=a)
    Score.objects.filter(sheet__assignment__entry=entries["E4"]).update(value=10)
    pub.approve_announcement(announcement=first, actor=b)
    round_.refresh_from_db()
    assert round_.state == "published"
    correction = pub.prepare_correction(announcement=first, actor=b, correction_note="Uji ulang tanpa perubahan.")
    assert listed(correction) == listed(first) and _totals(correction) == _totals(first)
