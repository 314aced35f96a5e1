"""Publication services: frozen lists, two-person rule, corrections, advancing, replacement, objections, emails."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from judging.models import Announcement, RoundEntry, Score
from judging.publication import services as pub
from judging.publication.queries import visible_announcements
from judging.scoring.services import JudgingError, close_round, reopen_round
from kipp.models import AuditEvent
from tests.factories import InnovatorFactory, OrganiserFactory
from tests.judging.publication.helpers import closed_round, listed, organisers, published, text_fields
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    round_, next_round, entries, judges = closed_round()
    a, b = organisers()
    return round_, next_round, entries, a, b


def test_preparation_freezes_the_ranking_into_the_lists(scene):
    round_, _next, entries, a, b = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    assert listed(announcement) == [
        ("E1", "selected"),
        ("E2", "selected"),
        ("E3", "reserve"),
        ("E4", "not_selected"),
    ]
    assert announcement.state == "draft" and announcement.prepared_by == a
    assert AuditEvent.objects.filter(action="publication.prepared").count() == 1


def test_preparation_of_an_open_round_is_refused(scene):
    round_, _next, entries, a, b = scene
    round_.state = "open"
    round_.save()
    with pytest.raises(JudgingError, match="Tutup babak"):
        pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    assert not Announcement.objects.exists()


def test_the_preparer_cannot_approve_with_a_clear_message_and_nothing_changes(scene):
    round_, _next, entries, a, b = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.submit_for_approval(announcement=announcement, actor=a)
    with pytest.raises(JudgingError, match="tidak dapat menyetujuinya sendiri"):
        pub.approve_announcement(announcement=announcement, actor=a)
    announcement.refresh_from_db()
    assert announcement.state == "awaiting" and announcement.approved_by is None
    round_.refresh_from_db()
    assert round_.state == "closed"


def test_the_database_refuses_approval_by_the_preparer(scene):
    round_, _next, entries, a, b = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(approved_by=a)


def test_approval_publishes_the_round_and_advances_the_selected(scene):
    round_, next_round, entries, a, b = scene
    announcement = published(round_, a, b)
    assert announcement.state == "published" and announcement.approved_by == b and announcement.published_at
    round_.refresh_from_db()
    assert round_.state == "published"
    advanced = RoundEntry.objects.filter(round=next_round).order_by("position")
    assert [(re.entry.code, re.source) for re in advanced] == [("E1", "previous_round"), ("E2", "previous_round")]


def test_publishing_twice_with_unchanged_scores_gives_the_same_lists(scene):
    round_, _next, entries, a, b = scene
    first = published(round_, a, b)
    second = pub.prepare_correction(announcement=first, actor=a, correction_note="Uji ulang: tanpa perubahan nilai.")
    assert listed(second) == listed(first)
    assert [r.total for r in second.rows.order_by("rank")] == [r.total for r in first.rows.order_by("rank")]


def test_a_later_score_change_alters_nothing_until_a_correction_is_published(scene):
    round_, _next, entries, a, b = scene
    first = published(round_, a, b)
    before = listed(first)
    # E4's sheets become the best of the round after publication (written past the services): the round's figures
    # stay those it was closed with, and so does a correction prepared now.
    Score.objects.filter(sheet__assignment__entry=entries["E4"]).update(value=10)
    first.refresh_from_db()
    assert listed(first) == before
    assert listed(pub.prepare_correction(announcement=first, actor=b, correction_note="Uji."))[0] == ("E1", "selected")
    Announcement.objects.filter(previous=first).update(state="withdrawn", withdrawn_reason="uji")
    # The real way: the organiser reopens the round with a reason and closes it again (a new snapshot).
    reopen_round(round_=round_, actor=a, reason="Nilai E4 salah input.")
    close_round(round_=round_, actor=a, reason="Nilai E4 diperbaiki.")
    assert list(visible_announcements()) == [first]
    correction = pub.prepare_correction(announcement=first, actor=b, correction_note="Nilai E4 salah input.")
    assert listed(correction)[0] == ("E4", "selected")
    assert list(visible_announcements()) == [first]  # the draft correction is not public
    for code in ("E4", "E1", "E2", "E3"):  # every entry that came in, went out or moved needs its reason
        pub.explain_difference(announcement=correction, entry=entries[code], reason="Nilai E4 salah input.", actor=b)
    pub.submit_for_approval(announcement=correction, actor=b)
    pub.approve_announcement(announcement=correction, actor=a)
    assert set(visible_announcements()) == {first, correction}  # the first version stays readable
    assert listed(first) == before
    assert correction.version == 2 and correction.previous == first


def test_a_change_needs_a_reason_and_is_recorded(scene):
    round_, _next, entries, a, b = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    with pytest.raises(JudgingError, match="alasan"):
        pub.change_outcome(announcement=announcement, entry=entries["E3"], to_outcome="selected", reason=" ", actor=a)
    change = pub.change_outcome(
        announcement=announcement,
        entry=entries["E3"],
        to_outcome="selected",
        reason="Proporsionalitas daerah.",
        actor=a,
    )
    assert change.from_outcome == "reserve"
    assert ("E3", "selected") in listed(announcement)
    assert AuditEvent.objects.filter(action="publication.outcome_changed").exists()
    pub.submit_for_approval(announcement=announcement, actor=a)
    with pytest.raises(JudgingError, match="draf"):
        pub.change_outcome(announcement=announcement, entry=entries["E4"], to_outcome="selected", reason="x", actor=a)


def test_a_withdrawn_selected_entry_is_replaced_by_the_first_reserve(scene):
    round_, next_round, entries, a, b = scene
    first = published(round_, a, b)
    e2 = entries["E2"]
    e2.status = "withdrawn"
    e2.save()
    correction = pub.replace_withdrawn(announcement=first, entry=e2, actor=a)
    assert dict(listed(correction))["E2"] == "not_selected"
    assert dict(listed(correction))["E3"] == "selected"
    assert "E2" in correction.correction_note and "E3" in correction.correction_note
    assert correction.changes.count() == 2
    pub.submit_for_approval(announcement=correction, actor=a)
    pub.approve_announcement(announcement=correction, actor=b)
    codes = set(RoundEntry.objects.filter(round=next_round).values_list("entry__code", flat=True))
    assert codes == {"E1", "E3"}


def test_objection_inside_and_after_the_window(scene):
    round_, _next, entries, a, b = scene
    announcement = published(round_, a, b, objection_days=5)
    objection = pub.file_objection(
        announcement=announcement,
        entry=entries["E1"],
        reason="Inovasi belum berjalan 2 tahun.",
        name="Warga",
        email="w@example.org",
    )
    assert objection.filed_by is None
    later = timezone.now() + datetime.timedelta(days=6)
    with pytest.raises(JudgingError, match="Masa sanggah sudah ditutup pada"):
        pub.file_objection(
            announcement=announcement, entry=entries["E1"], reason="x", name="W", email="w@example.org", now=later
        )
    pub.answer_objection(objection=objection, actor=b, answer="Sudah diverifikasi: mulai 2019.")
    objection.refresh_from_db()
    assert objection.answered_by == b and objection.answer.startswith("Sudah")
    assert sent_mail()[-1].to == ["w@example.org"]


def test_objection_before_publication_is_refused(scene):
    round_, _next, entries, a, b = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    with pytest.raises(JudgingError, match="belum terbit"):
        pub.file_objection(announcement=announcement, entry=entries["E1"], reason="x", name="W", email="w@example.org")


def test_innovators_get_their_outcome_once_the_announcement_is_visible(scene):
    round_, _next, entries, a, b = scene
    innovator = InnovatorFactory(agency=entries["E1"].agency)
    later = timezone.now() + datetime.timedelta(hours=2)
    announcement = published(round_, a, b, embargo_until=later)
    assert not [m for m in sent_mail() if innovator.email in m.to]
    assert pub.send_due_notifications(now=timezone.now()) == 0
    assert pub.send_due_notifications(now=later + datetime.timedelta(minutes=1)) >= 1
    message = next(m for m in sent_mail() if innovator.email in m.to)
    assert "Terpilih" in message.body and announcement.number in message.body
    assert pub.send_due_notifications(now=later + datetime.timedelta(minutes=2)) == 0


def test_feedback_is_anonymous(scene):
    round_, _next, entries, a, b = scene
    announcement = published(round_, a, b)
    Score.objects.filter(sheet__assignment__entry=entries["E1"]).update(comment="Data dampak kuat.")
    pub.release_feedback(announcement=announcement, actor=a)
    feedback = pub.entry_feedback(entries["E1"], round_)
    assert [c["title"] for c in feedback["criteria"]] == ["A", "B"]
    assert feedback["criteria"][0]["comments"] == ["Data dampak kuat.", "Data dampak kuat."]
    text = repr(feedback)
    for judge in round_.round_judges.select_related("judge"):
        assert judge.judge.full_name not in text and judge.judge.email not in text


def test_two_preparations_from_unchanged_scores_give_identical_lists(scene):
    round_, _next, entries, a, b = scene
    first = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    second = pub.prepare_announcement(round_=round_, actor=b, **text_fields(number="065/135/II/B"))
    fields = ("entry_code", "rank", "total", "judges", "outcome")
    assert list(first.rows.order_by("rank").values_list(*fields)) == list(
        second.rows.order_by("rank").values_list(*fields)
    )


def test_a_published_announcement_is_never_edited_or_withdrawn_silently(scene):
    round_, _next, entries, a, b = scene
    announcement = published(round_, a, b)
    with pytest.raises(JudgingError, match="dikoreksi"):
        pub.update_announcement(announcement=announcement, actor=a, title="Diam-diam")
    with pytest.raises(JudgingError, match="koreksi"):
        pub.withdraw_announcement(announcement=announcement, actor=a, reason="Salah")
    announcement.refresh_from_db()
    assert announcement.state == "published" and announcement.title == "Top 2"


@pytest.mark.parametrize("change", ["outcome", "text"])
def test_whoever_changed_the_draft_cannot_approve_it(scene, change):
    """A prepares; B moves E4 into the list (or rewrites the title) and submits: neither B (who changed it) nor A
    (who prepared it) may approve it; a third organiser may."""
    round_, _next, entries, a, b = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    if change == "outcome":
        pub.change_outcome(announcement=announcement, entry=entries["E4"], to_outcome="selected", reason="x", actor=b)
    else:
        pub.update_announcement(announcement=announcement, actor=b, title="Judul lain")
    pub.submit_for_approval(announcement=announcement, actor=b)
    for editor in (b, a):
        with pytest.raises(JudgingError, match="tidak dapat menyetujuinya sendiri"):
            pub.approve_announcement(announcement=announcement, actor=editor)
    announcement.refresh_from_db()
    assert announcement.state == "awaiting" and announcement.prepared_by == b
    assert set(announcement.editor_ids) == {a.pk, b.pk}
    c = OrganiserFactory(full_name="Organiser C")
    pub.approve_announcement(announcement=announcement, actor=c)
    announcement.refresh_from_db()
    assert announcement.state == "published" and announcement.approved_by == c


def test_the_few_judges_refusal_counts_in_english_singular_and_plural():
    from django.utils import translation

    from judging.models import Round

    round_ = Round(judges_per_entry=3)
    one = [{"judges": 1, "entry_code": "E1"}]
    with translation.override("en"):
        with pytest.raises(JudgingError, match=r"^\['1 entry was scored by fewer than 3 judges \(E1\)"):
            pub.few_judges_refusal(round_, one, acknowledged=False)
        with pytest.raises(JudgingError, match=r"^\['2 entries were scored by fewer than 3 judges \(E1, E2\)"):
            pub.few_judges_refusal(round_, [*one, {"judges": 2, "entry_code": "E2"}], acknowledged=False)
    assert pub.few_judges_refusal(round_, one, acknowledged=True) == one


def test_saving_a_draft_unchanged_makes_nobody_its_preparer(scene):
    """The second look's way round: B returns A's draft and saves the form as loaded; A may still not approve."""
    round_, _next, entries, a, b = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    fields = {name: getattr(announcement, name) for name in ("title", "body", "embargo_until", "place")}
    pub.update_announcement(announcement=announcement, actor=b, **fields)
    announcement.refresh_from_db()
    assert announcement.prepared_by == a
    pub.submit_for_approval(announcement=announcement, actor=a)
    with pytest.raises(JudgingError, match="tidak dapat menyetujuinya sendiri"):
        pub.approve_announcement(announcement=announcement, actor=a)


@pytest.mark.parametrize("reason", ["\u200b", "\u3164", "\u2800", "\u115f\u034f", " \u00a0 "])
def test_invisible_reasons_are_no_reasons(scene, reason):
    round_, _next, entries, a, b = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    with pytest.raises(JudgingError, match="Tuliskan alasan"):
        pub.change_outcome(
            announcement=announcement, entry=entries["E4"], to_outcome="selected", reason=reason, actor=b
        )
    with pytest.raises(JudgingError, match="Tuliskan alasan"):
        pub.withdraw_announcement(announcement=announcement, actor=b, reason=reason)
    pub.submit_for_approval(announcement=announcement, actor=a)
    with pytest.raises(JudgingError, match="Tuliskan alasan"):
        pub.return_to_draft(announcement=announcement, actor=b, reason=reason)
    announcement.refresh_from_db()
    assert announcement.state == "awaiting" and listed(announcement)[-1] == ("E4", "not_selected")
