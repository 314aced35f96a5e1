"""Fixes to the discussion from two reviews: the panel is the judges with a final sheet on the entry (a judge who
has not scored it sees none of the others' scores and gets no mail); a round closed inside the window says it ended
when the round closed; the window cannot end after the round's scoring closes and the start page previews the
entries; totals in messages round as in the tables; help texts are the ids the fields point at; a revision of
comments only is audited with what changed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.models import Discussion, DiscussionComment, Score, ScoreSheet
from judging.scoring import services
from judging.scoring.discussion import queries as dq
from judging.scoring.discussion import services as ds
from kipp.models import AuditEvent
from tests.factories import OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.outbox import sent_mail
from tests.pages import page_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    """top 1 of two, one criterion 0..10: E1 90 / 50 and E2 80 / 40 (both listed); Juri Tiga is assigned to both
    but sent a final sheet on E1 only (E2: a draft)."""
    round_ = make_round([("a", 1, 0, 10)], top_n=1, reserve_n=0, k=3)
    satu, dua, tiga = (add_judge(round_, full_name=name) for name in ("Rosmiati Sabir", "Muhammad Akil", "Juri Tiga"))
    e1, e2 = add_entry(round_, "E1", minutes=0), add_entry(round_, "E2", minutes=1)
    for entry, values in ((e1, (9, 5)), (e2, (8, 4))):
        add_sheet(round_, entry, satu, {"a": values[0]})
        add_sheet(round_, entry, dua, {"a": values[1]})
    add_sheet(round_, e1, tiga, {"a": 7})
    add_sheet(round_, e2, tiga, {"a": 3}, state="draft")
    organiser = OrganiserFactory()
    discussion = ds.start_discussion(
        round_=round_, actor=organiser, ends_at=timezone.now() + datetime.timedelta(days=2)
    )
    return round_, (satu, dua, tiga), discussion, organiser


def test_a_judge_without_a_final_sheet_is_not_on_the_panel_and_sees_no_scores(client, scene):
    round_, (satu, dua, tiga), discussion, _organiser = scene
    item = discussion.items.get(entry__code="E2")
    client.force_login(tiga)
    response = client.get(reverse("judging:discussion_thread", args=[item.pk]))
    assert response.status_code == 403
    body = page_body(response)
    assert "Kirim lembar nilai final Anda" in body
    assert "Rosmiati Sabir" not in body and "Muhammad Akil" not in body and "80,00" not in body
    assert client.post(reverse("judging:discussion_comment", args=[item.pk]), {"text": "Saya ikut"}).status_code == 403
    with pytest.raises(services.JudgingError, match="bukan juri"):
        ds.add_comment(item=item, author=tiga, text="Saya ikut")
    assert not DiscussionComment.objects.exists()
    assert [i.entry.code for i in dq.judge_items(tiga)] == ["E1"]
    assert "E2" not in page_body(client.get(reverse("judging:my_discussions")))
    # the others' thread shows the panel's final sheets only, not the draft
    assert [s.assignment.judge.full_name for s in dq.panel_sheets(item)] == ["Muhammad Akil", "Rosmiati Sabir"]
    # once Juri Tiga sends the sheet, they are on the panel (the panel is read when the page is)
    ScoreSheet.objects.filter(assignment__judge=tiga, assignment__entry__code="E2").update(
        state="final", submitted_at=timezone.now()
    )
    response = client.get(reverse("judging:discussion_thread", args=[item.pk]))
    assert response.status_code == 200 and "Rosmiati Sabir" in page_body(response)


def test_the_start_mail_counts_the_entries_the_judge_scored(scene):
    _round, (satu, _dua, tiga), _discussion, _organiser = scene
    mails = {m.to[0]: m.body for m in sent_mail()}
    assert "2 proposal yang Anda nilai" in mails[satu.email]
    assert "1 proposal yang Anda nilai" in mails[tiga.email]  # E1 only: E2 is a draft


def test_a_judge_with_only_drafts_on_the_listed_entries_gets_no_mail():
    round_ = make_round([("a", 1, 0, 10)], top_n=1, reserve_n=0, k=3)
    judges = [add_judge(round_) for _ in range(3)]
    entry = add_entry(round_, "E1")
    add_sheet(round_, entry, judges[0], {"a": 9})
    add_sheet(round_, entry, judges[1], {"a": 3})
    add_sheet(round_, entry, judges[2], {"a": 5}, state="draft")
    ds.start_discussion(round_=round_, actor=OrganiserFactory(), ends_at=timezone.now() + datetime.timedelta(days=1))
    assert {m.to[0] for m in sent_mail()} == {judges[0].email, judges[1].email}


def test_a_round_closed_inside_the_window_says_the_discussion_ended_when_it_closed(client, scene):
    round_, (satu, dua, _tiga), discussion, organiser = scene
    item = discussion.items.get(entry__code="E1")
    services.close_round(round_=round_, actor=organiser, reason="Waktu habis")
    closed = ds.wita(round_.snapshots.get(reason="close").created_at)
    future = ds.wita(discussion.ends_at)
    client.force_login(dua)
    body = page_body(client.get(reverse("judging:discussion_thread", args=[item.pk])))
    assert f"Babak sudah ditutup pada {closed}; diskusi berakhir." in body
    assert future not in body
    mine = page_body(client.get(reverse("judging:my_discussions")))
    assert f"Babak sudah ditutup pada {closed}; diskusi berakhir" in mine
    assert future not in mine
    client.force_login(organiser)
    page = page_body(client.get(reverse("judging:round_discussion", args=[round_.competition.slug, round_.slug])))
    assert f"Babak sudah ditutup pada {closed}; diskusi berakhir." in page and future not in page
    criterion = round_.criteria.get()
    sheet = ScoreSheet.objects.get(assignment__judge=dua, assignment__entry=item.entry)
    with pytest.raises(services.JudgingError) as refused:
        ds.revise_sheet(item=item, judge=dua, values={criterion.pk: (8, "")}, version=sheet.version)
    assert f"Babak sudah ditutup pada {closed}; diskusi berakhir." in str(refused.value)
    assert future not in str(refused.value)


def _open_round_with_disagreement(closes_at=None):
    round_ = make_round([("a", 1, 0, 9)], top_n=1, reserve_n=0, k=2)
    round_.closes_at = closes_at
    round_.save()
    judges = [add_judge(round_, full_name="Juri Satu"), add_judge(round_, full_name="Juri Dua")]
    entry = add_entry(round_, "E1")
    add_sheet(round_, entry, judges[0], {"a": 9})  # 100
    add_sheet(round_, entry, judges[1], {"a": 3})  # 33.33
    return round_, judges


def test_a_window_ending_after_the_round_closes_is_refused_in_the_form_and_the_service(client):
    closes = timezone.make_aware(datetime.datetime(2030, 12, 7, 17, 0))
    round_, _judges = _open_round_with_disagreement(closes)
    organiser = OrganiserFactory()
    client.force_login(organiser)
    url = reverse("judging:discussion_start", args=[round_.competition.slug, round_.slug])
    response = client.post(url, {"starts_at": "", "ends_at": "2031-01-01T09:00"})
    assert response.status_code == 422
    body = page_body(response)
    assert "paling lambat saat penilaian babak ditutup, 7 Des 2030 17:00 WITA" in body
    assert 'value="2031-01-01T09:00"' in body
    with pytest.raises(services.JudgingError, match="7 Des 2030 17:00 WITA"):
        ds.start_discussion(round_=round_, actor=organiser, ends_at=closes + datetime.timedelta(minutes=1))
    assert not Discussion.objects.exists()
    assert client.post(url, {"starts_at": "", "ends_at": "2030-12-07T17:00"}).status_code == 302


def test_the_start_page_previews_the_entries_and_shows_the_settings(client):
    round_, _judges = _open_round_with_disagreement()
    round_.discussion_places = 3
    round_.discussion_spread = 20
    round_.save()
    other = add_entry(round_, "E2", minutes=5)
    for judge in _judges:
        add_sheet(round_, other, judge, {"a": 5})  # 55.56 by both: agree, not listed
    client.force_login(OrganiserFactory())
    body = page_body(client.get(reverse("judging:round_discussion", args=[round_.competition.slug, round_.slug])))
    rows = re.findall(
        r'<tr data-preview-entry="([^"]+)"><td>(\d+)</td>.*?</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)<', body
    )
    assert rows == [("E1", "1", "66,67", "66,67")]
    settings = body[body.index('id="discussion-settings"') :]
    assert "3 peringkat" in settings and "lebih dari 20 poin" in settings
    assert "Selisih tertinggi-terendah" in body


def test_the_revision_message_rounds_the_totals_as_the_table_does(client):
    round_, judges = _open_round_with_disagreement()
    organiser = OrganiserFactory()
    item = ds.start_discussion(
        round_=round_, actor=organiser, ends_at=timezone.now() + datetime.timedelta(days=1)
    ).items.get()
    criterion = round_.criteria.get()
    sheet = ScoreSheet.objects.get(assignment__judge=judges[1])
    client.force_login(judges[1])
    response = client.post(
        reverse("judging:discussion_revise", args=[item.pk]),
        {"version": sheet.version, f"score_{criterion.pk}": 5, f"comment_{criterion.pk}": "", "overall_comment": ""},
        follow=True,
    )
    body = page_body(response)
    message = re.search(r"Revisi tersimpan: total lembar Anda ([^<]*)\.<", body)
    assert message and message.group(1) == "33,33 → 55,56"  # 55.5556, as the table rounds it
    assert "55,56" in body[body.index('id="panel-sheets"') :]


def _described_ids_exist(body):
    ids = set(re.findall(r'\sid="([^"]+)"', body))
    described = [token for value in re.findall(r'aria-describedby="([^"]+)"', body) for token in value.split()]
    return described, [token for token in described if token not in ids]


def test_every_described_by_points_at_an_element_of_the_page(client):
    round_, judges = _open_round_with_disagreement(timezone.now() + datetime.timedelta(days=3))
    organiser = OrganiserFactory()
    client.force_login(organiser)
    url = reverse("judging:round_discussion", args=[round_.competition.slug, round_.slug])
    described, missing = _described_ids_exist(page_body(client.get(url)))
    assert "id_starts_at_helptext" in described and missing == []
    response = client.post(
        reverse("judging:discussion_start", args=[round_.competition.slug, round_.slug]),
        {"starts_at": "", "ends_at": "2020-01-01T09:00"},
    )
    assert _described_ids_exist(page_body(response))[1] == []
    item = ds.start_discussion(round_=round_, actor=organiser, ends_at=timezone.now() + datetime.timedelta(days=1))
    client.force_login(judges[0])
    thread = page_body(client.get(reverse("judging:discussion_thread", args=[item.items.get().pk])))
    assert _described_ids_exist(thread)[1] == []


def test_a_revision_of_comments_only_is_audited_with_the_comments_it_changed(scene):
    round_, (_satu, dua, _tiga), discussion, _organiser = scene
    item = discussion.items.get(entry__code="E1")
    criterion = round_.criteria.get()
    sheet = ScoreSheet.objects.get(assignment__judge=dua, assignment__entry=item.entry)
    ScoreSheet.objects.filter(pk=sheet.pk).update(overall_comment="Cukup.")
    Score.objects.filter(sheet=sheet).update(comment="Lama")
    ds.revise_sheet(
        item=item,
        judge=dua,
        values={criterion.pk: (5, "Indikator dampak sudah terukur.")},
        overall_comment="Layak dibahas lagi.",
        version=sheet.version,
    )
    event = AuditEvent.objects.get(action="judging.discussion_revision")
    assert event.details["before"] == event.details["after"] == {"a": 5}
    assert event.details["comments"] == {
        "a": {"before": "Lama", "after": "Indikator dampak sudah terukur."},
        "overall": {"before": "Cukup.", "after": "Layak dibahas lagi."},
    }
