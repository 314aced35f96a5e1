"""The discussion phase (issue 16, item 5): which entries are listed, revisions within the window (audited, before
and after totals), refusals after the window, for conflicted and unassigned judges, the early close, the closing
snapshot and the announcement's method note holding the figures after the discussion."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from judging.models import Conflict, Discussion, DiscussionComment, DiscussionRevision, ScoreSheet, SheetTotal
from judging.publication.queries import method_note
from judging.scoring import services
from judging.scoring.discussion import queries as dq
from judging.scoring.discussion import services as ds
from kipp.models import AuditEvent
from tests.factories import JudgeFactory, OrganiserFactory
from tests.judging.publication.helpers import organisers, published
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

# one criterion on 0..10, weight 1: a sheet's total T_p is 10 x its value
SHEETS = {"E1": (9, 9, 8), "E2": (9, 5, 7), "E3": (6, 6, 6), "E4": (8, 2, 5)}
# totals (means): E1 86.67 (spread 10), E2 70 (40), E3 60 (0), E4 50 (60); top_n=2: the cut is after E2


@pytest.fixture
def scene():
    round_ = make_round([("a", 1, 0, 10)], top_n=2, reserve_n=0, k=3)
    judges = [add_judge(round_, full_name=name) for name in ("Juri Satu", "Juri Dua", "Juri Tiga")]
    entries = {}
    for minutes, (code, values) in enumerate(SHEETS.items()):
        entries[code] = add_entry(round_, code, minutes=minutes)
        for judge, value in zip(judges, values, strict=True):
            add_sheet(round_, entries[code], judge, {"a": value})
    return round_, judges, entries, OrganiserFactory()


def _start(round_, organiser, hours=24):
    return ds.start_discussion(round_=round_, actor=organiser, ends_at=timezone.now() + datetime.timedelta(hours=hours))


def _item(discussion, code):
    return discussion.items.get(entry__code=code)


def _revise(item, judge, value, version=None):
    sheet = ScoreSheet.objects.get(
        assignment__round=item.discussion.round, assignment__entry=item.entry, assignment__judge=judge
    )
    criterion = item.discussion.round.criteria.get()
    return ds.revise_sheet(
        item=item,
        judge=judge,
        values={criterion.pk: (value, "")},
        version=sheet.version if version is None else version,
    )


def _total(round_, code, judge):
    return SheetTotal.objects.get(round=round_, entry__code=code, judge=judge).total


def test_start_lists_entries_near_the_cut_whose_judges_disagree_by_more_than_the_spread(scene):
    round_, _judges, _entries, organiser = scene
    discussion = _start(round_, organiser)
    # E1 (spread 10) and E3 (spread 0) agree; E2 (40) and E4 (60) are within 5 places of the cut
    assert list(discussion.items.values_list("entry__code", "rank", "judges")) == [("E2", 2, 3), ("E4", 4, 3)]
    assert _item(discussion, "E4").spread == pytest.approx(60.0)
    event = AuditEvent.objects.get(action="judging.discussion_started")
    assert event.details["entries"] == ["E2", "E4"]
    assert event.details["spread"] == "15.00"


def test_the_near_cut_window_and_the_spread_are_the_rounds_settings(scene):
    round_, _judges, _entries, organiser = scene
    round_.discussion_places = 1  # ranks 2 and 3 only
    round_.discussion_spread = 45  # E2 (40) agrees enough now; E4 is too far from the cut anyway
    round_.save()
    with pytest.raises(services.JudgingError, match="Tidak ada proposal dalam 1 peringkat"):
        _start(round_, organiser)
    assert not Discussion.objects.exists()
    round_.discussion_spread = 30
    round_.save()
    assert list(_start(round_, organiser).items.values_list("entry__code", flat=True)) == ["E2"]


def test_start_is_refused_for_a_closed_round_a_second_time_and_for_a_window_in_the_past(scene):
    round_, _judges, _entries, organiser = scene
    with pytest.raises(services.JudgingError, match="sesudah awalnya"):
        ds.start_discussion(round_=round_, actor=organiser, ends_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.JudgingError, match="penyelenggara"):
        ds.start_discussion(round_=round_, actor=JudgeFactory(), ends_at=timezone.now() + datetime.timedelta(hours=1))
    _start(round_, organiser)
    with pytest.raises(services.JudgingError, match="sudah memiliki diskusi"):
        _start(round_, organiser)
    services.close_round(round_=round_, actor=organiser)
    Discussion.objects.all().delete()
    with pytest.raises(services.JudgingError, match="selagi babak dibuka"):
        _start(round_, organiser)


def test_the_database_refuses_a_window_that_ends_before_it_starts(scene):
    round_, _judges, _entries, organiser = scene
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Discussion.objects.create(
            round=round_,
            starts_at=now,
            ends_at=now - datetime.timedelta(seconds=1),
            spread=15,
            places=5,
            started_by=organiser,
        )


def test_a_revision_within_the_window_changes_the_total_keeps_the_sheet_final_and_is_audited(scene):
    round_, judges, _entries, organiser = scene
    discussion = _start(round_, organiser)
    item = _item(discussion, "E2")
    sheet = ScoreSheet.objects.get(assignment__entry__code="E2", assignment__judge=judges[1])
    revision = _revise(item, judges[1], 8)
    assert (revision.before_total, revision.after_total) == (pytest.approx(50.0), pytest.approx(80.0))
    assert _total(round_, "E2", judges[1]) == pytest.approx(80.0)
    sheet_after = ScoreSheet.objects.get(pk=sheet.pk)
    assert sheet_after.state == "final" and sheet_after.version == sheet.version + 1
    event = AuditEvent.objects.get(action="judging.discussion_revision")
    assert event.actor == judges[1]
    assert event.details["entry"] == "E2"
    assert (event.details["before_total"], event.details["after_total"]) == (50.0, 80.0)
    assert (event.details["before"], event.details["after"]) == ({"a": 5}, {"a": 8})


def test_the_closing_snapshot_holds_the_totals_after_the_discussion(scene):
    round_, judges, _entries, organiser = scene
    discussion = _start(round_, organiser)
    _revise(_item(discussion, "E4"), judges[0], 10)  # E4: 100, 20, 50 -> mean 56.67
    _revise(_item(discussion, "E4"), judges[1], 9)  # E4: 100, 90, 50 -> mean 80: above E2 (70)
    services.close_round(round_=round_, actor=organiser)
    rows = {row["entry_code"]: row for row in round_.snapshots.get().rows}
    assert rows["E4"]["total"] == pytest.approx(80.0)
    assert rows["E4"]["rank"] == 2 and rows["E4"]["outcome"] == "selected"
    assert rows["E2"]["outcome"] == "not_selected"


def test_a_revision_after_the_window_ends_is_refused_with_the_end_time(scene):
    round_, judges, _entries, organiser = scene
    discussion = _start(round_, organiser)
    ended = timezone.make_aware(datetime.datetime(2023, 2, 1, 17, 30))  # WITA (settings.TIME_ZONE)
    Discussion.objects.filter(pk=discussion.pk).update(starts_at=ended - datetime.timedelta(days=1), ends_at=ended)
    item = _item(discussion, "E2")
    with pytest.raises(services.JudgingError, match=r"berakhir pada 1 Feb 2023 17:30 WITA"):
        _revise(item, judges[1], 8)
    assert _total(round_, "E2", judges[1]) == pytest.approx(50.0)
    assert not DiscussionRevision.objects.exists()
    assert not AuditEvent.objects.filter(action="judging.discussion_revision").exists()
    with pytest.raises(services.JudgingError, match="berakhir"):
        ds.add_comment(item=item, author=judges[1], text="Terlambat")


def test_a_revision_is_refused_once_the_round_is_closed(scene):
    round_, judges, _entries, organiser = scene
    item = _item(_start(round_, organiser), "E2")
    services.close_round(round_=round_, actor=organiser)
    with pytest.raises(services.JudgingError, match="berakhir"):
        _revise(item, judges[1], 8)


def test_conflicted_and_unassigned_judges_neither_revise_nor_comment_nor_are_on_the_panel(scene):
    round_, judges, entries, organiser = scene
    item = _item(_start(round_, organiser), "E2")
    Conflict.objects.create(
        competition=round_.competition,
        round=round_,
        judge=judges[2],
        entry=entries["E2"],
        source="declared",
        reason="Kerabat",
    )
    outsider = add_judge(round_, full_name="Juri Lain")
    with pytest.raises(services.ConflictOfInterestError):
        _revise_as(item, judges[2], 9)
    with pytest.raises(services.JudgingError, match="tidak ditugaskan"):
        _revise_as(item, outsider, 9)
    for judge in (judges[2], outsider):
        with pytest.raises(services.JudgingError, match="bukan juri"):
            ds.add_comment(item=item, author=judge, text="Saya ikut")
    assert not DiscussionComment.objects.exists()
    assert [s.assignment.judge.full_name for s in dq.panel_sheets(item)] == ["Juri Dua", "Juri Satu"]
    assert [i.entry.code for i in dq.judge_items(judges[0])] == ["E2", "E4"]
    assert [i.entry.code for i in dq.judge_items(judges[2])] == ["E4"]
    assert list(dq.judge_items(outsider)) == []


def _revise_as(item, judge, value):
    criterion = item.discussion.round.criteria.get()
    return ds.revise_sheet(item=item, judge=judge, values={criterion.pk: (value, "")}, version=1)


def test_a_stale_form_and_an_unchanged_sheet_are_refused(scene):
    round_, judges, _entries, organiser = scene
    item = _item(_start(round_, organiser), "E2")
    with pytest.raises(services.StaleSheetError):
        _revise(item, judges[1], 8, version=99)
    with pytest.raises(services.JudgingError, match="Tidak ada yang berubah"):
        _revise(item, judges[1], 5)
    assert not DiscussionRevision.objects.exists()


def test_comments_are_kept_in_the_thread_and_audited(scene):
    round_, judges, _entries, organiser = scene
    item = _item(_start(round_, organiser), "E2")
    ds.add_comment(item=item, author=judges[1], text="  Data dampaknya belum diverifikasi.  ")
    with pytest.raises(services.JudgingError, match="Tuliskan komentar"):
        ds.add_comment(item=item, author=judges[0], text=" \u200b ")
    assert list(dq.thread_comments(item).values_list("author__full_name", "text")) == [
        ("Juri Dua", "Data dampaknya belum diverifikasi.")
    ]
    assert AuditEvent.objects.filter(action="judging.discussion_comment").count() == 1


def test_the_organiser_closes_the_discussion_early_and_revisions_stop(scene):
    round_, judges, _entries, organiser = scene
    discussion = _start(round_, organiser)
    _revise(_item(discussion, "E2"), judges[1], 8)
    with pytest.raises(services.JudgingError, match="penyelenggara"):
        ds.close_discussion(discussion=discussion, actor=judges[0])
    ds.close_discussion(discussion=discussion, actor=organiser)
    discussion.refresh_from_db()
    assert discussion.closed_by == organiser and discussion.closed_at is not None
    event = AuditEvent.objects.get(action="judging.discussion_closed")
    assert event.details["totals_changed"] == 1
    with pytest.raises(services.JudgingError, match="berakhir pada"):
        _revise(_item(discussion, "E2"), judges[0], 5)
    with pytest.raises(services.JudgingError, match="sudah berakhir"):
        ds.close_discussion(discussion=discussion, actor=organiser)


def test_changed_totals_count_each_sheet_once_and_not_a_revision_taken_back(scene):
    round_, judges, _entries, organiser = scene
    discussion = _start(round_, organiser)
    assert dq.changed_totals([round_]) == {round_.pk: 0}
    item = _item(discussion, "E2")
    _revise(item, judges[1], 8)
    _revise(item, judges[1], 7)  # still changed: 50 -> 70
    _revise(item, judges[0], 8)
    _revise(item, judges[0], 9)  # taken back: 90 -> 90
    assert dq.changed_totals([round_]) == {round_.pk: 1}


def test_the_method_note_counts_the_totals_changed_in_discussion(scene):
    round_, judges, _entries, organiser = scene
    discussion = _start(round_, organiser)
    _revise(_item(discussion, "E2"), judges[1], 8)
    _revise(_item(discussion, "E4"), judges[1], 6)
    services.close_round(round_=round_, actor=organiser)
    a, b = organisers()
    announcement = published(round_, a, b, acknowledge_few_judges=True)
    note = method_note(announcement)
    assert note["rounds"][0]["discussion_changed"] == 2
    # reopened with a reason, the window still open: a later revision is not the announcement's
    services.reopen_round(round_=round_, actor=organiser, reason="Sanggahan diterima")
    _revise(_item(discussion, "E2"), judges[0], 6)
    assert dq.changed_totals([round_]) == {round_.pk: 3}
    assert method_note(announcement)["rounds"][0]["discussion_changed"] == 2


def test_the_method_note_of_a_round_without_discussion_says_nothing_about_it(scene):
    round_, _judges, _entries, organiser = scene
    services.close_round(round_=round_, actor=organiser)
    a, b = organisers()
    announcement = published(round_, a, b, acknowledge_few_judges=True)
    assert method_note(announcement)["rounds"][0]["discussion_changed"] is None


def test_the_panels_are_told_once_in_their_language_and_conflicted_judges_are_not(scene, mailoutbox):
    from tests.outbox import sent_mail

    round_, judges, entries, organiser = scene
    Conflict.objects.create(
        competition=round_.competition,
        round=round_,
        judge=judges[2],
        entry=entries["E2"],
        source="declared",
        reason="Kerabat",
    )
    judges[0].language = "en"
    judges[0].save()
    _start(round_, organiser)  # E2 and E4 listed
    mails = {m.to[0]: m for m in sent_mail()}
    assert set(mails) == {j.email for j in judges}
    assert "2 proposal yang Anda nilai" in mails[judges[1].email].body
    assert "1 proposal yang Anda nilai" in mails[judges[2].email].body  # E4 only: recused on E2
    assert "/penilaian/diskusi/" in mails[judges[1].email].body and "WITA" in mails[judges[1].email].body
    assert "2 entries you scored" in mails[judges[0].email].body
