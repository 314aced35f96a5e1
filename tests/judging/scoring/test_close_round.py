"""Decisions nobody saw (issue 11, item 4; item 12's judge table): closing with sheets missing needs a reason, an
entry scored by fewer than k judges is flagged and acknowledged, approval never changes a later closed round."""

import pytest
from django.urls import reverse

from judging.models import Conflict, RankingSnapshot, RoundEntry
from judging.publication import services as pub
from judging.scoring import queries, services
from kipp.models import AuditEvent
from tests.factories import OrganiserFactory
from tests.judging.publication.helpers import closed_round, organisers, published, text_fields
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 10)]


@pytest.fixture
def open_round():
    """k=2: E1 and E2 scored by both judges, E3 by one (the other's sheet a draft), E4 assigned and not started."""
    round_ = make_round(CRITERIA, k=2, top_n=3, reserve_n=0)
    judges = [add_judge(round_), add_judge(round_)]
    entries = {code: add_entry(round_, code, minutes=i) for i, code in enumerate(["E1", "E2", "E3", "E4"])}
    for code, a in (("E1", 9), ("E2", 7)):
        for judge in judges:
            add_sheet(round_, entries[code], judge, {"a": a, "b": a})
    add_sheet(round_, entries["E3"], judges[0], {"a": 10, "b": 10})
    add_sheet(round_, entries["E3"], judges[1], {"a": 2, "b": None}, state="draft")
    for judge in judges:
        add_sheet(round_, entries["E4"], judge, {}, assign_only=True)
    return round_, judges, entries


def test_missing_sheets_names_the_entries_and_counts(open_round):
    round_, _judges, _entries = open_round
    assert [(m["code"], m["final"], m["missing"]) for m in queries.missing_sheets(round_)] == [
        ("E3", 1, 1),
        ("E4", 0, 2),
    ]


def test_closing_with_sheets_missing_is_refused_without_a_reason_and_nothing_changes(open_round):
    round_, _judges, _entries = open_round
    organiser = OrganiserFactory()
    with pytest.raises(services.JudgingError, match=r"3 lembar nilai belum final \(E3, E4\)"):
        services.close_round(round_=round_, actor=organiser, reason="  ")
    round_.refresh_from_db()
    assert round_.state == "open"
    assert not RankingSnapshot.objects.filter(round=round_).exists()
    assert not AuditEvent.objects.filter(action="judging.round_closed").exists()


def test_closing_with_sheets_missing_and_a_reason_is_audited(open_round):
    round_, _judges, _entries = open_round
    services.close_round(round_=round_, actor=OrganiserFactory(), reason="Panelis sakit, tidak dapat hadir")
    round_.refresh_from_db()
    assert round_.state == "closed"
    event = AuditEvent.objects.get(action="judging.round_closed")
    assert event.details["reason"] == "Panelis sakit, tidak dapat hadir"
    assert event.details["missing"] == {"E3": 1, "E4": 2}
    assert event.details["missing_sheets"] == 3


def test_closing_with_every_sheet_final_needs_no_reason():
    round_ = make_round(CRITERIA, k=1)
    entry = add_entry(round_, "E1")
    judge = add_judge(round_)
    add_sheet(round_, entry, judge, {"a": 5, "b": 5})
    recused = add_judge(round_)
    add_sheet(round_, entry, recused, {}, assign_only=True)  # a recused assignment never counts as missing
    Conflict.objects.create(
        competition=round_.competition, round=round_, judge=recused, entry=entry, source="declared", reason="Kerabat"
    )
    services.close_round(round_=round_, actor=OrganiserFactory())
    round_.refresh_from_db()
    assert round_.state == "closed"
    assert "reason" not in AuditEvent.objects.get(action="judging.round_closed").details


def test_judge_table_adds_up_to_the_progress_figures_with_a_recusal(open_round):
    round_, judges, entries = open_round
    Conflict.objects.create(
        competition=round_.competition, round=round_, judge=judges[0], entry=entries["E1"], source="declared",
        reason="Kerabat",
    )  # fmt: skip
    progress = queries.round_progress(round_)
    table = queries.judge_progress(round_)
    assert sum(row["assigned"] for row in table) == progress["expected"] == 7
    assert sum(row["final"] for row in table) == progress["final"] == 4
    assert sum(row["recused"] for row in table) == progress["recused"] == 1


def test_preparing_with_entries_scored_by_fewer_than_k_judges_needs_acknowledgement(open_round):
    round_, _judges, _entries = open_round
    a, _b = organisers()
    services.close_round(round_=round_, actor=a, reason="Waktu habis")
    with pytest.raises(services.JudgingError, match=r"2 proposal dinilai oleh kurang dari 2 juri \(E3, E4\)"):
        pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    assert not round_.announcements.exists()
    announcement = pub.prepare_announcement(round_=round_, actor=a, acknowledge_few_judges=True, **text_fields())
    event = AuditEvent.objects.get(action="publication.prepared")
    assert event.details["few_judges"] == {"E3": 1, "E4": 0}
    assert [r.entry_code for r in queries.rows_short_of_k(list(announcement.rows.order_by("rank")), 2)] == [
        "E3",
        "E4",
    ]


def test_approval_leaves_a_published_next_round_unchanged_and_says_so():
    round_, next_round, entries, judges = closed_round(top_n=2, reserve_n=1)
    a, b = organisers()
    next_round.state = "published"
    next_round.save(update_fields=["state"])
    before = set(RoundEntry.objects.filter(round=next_round).values_list("entry_id", flat=True))
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.submit_for_approval(announcement=announcement, actor=a)
    refusal = pub.advance_refusal(announcement)
    assert refusal and next_round.name in refusal and "diumumkan" in refusal
    pub.approve_announcement(announcement=announcement, actor=b)
    assert set(RoundEntry.objects.filter(round=next_round).values_list("entry_id", flat=True)) == before == set()
    assert pub.advance_selected(announcement=announcement, actor=b) == (0, 0)
    assert AuditEvent.objects.filter(action="publication.advance_skipped").exists()


def test_approval_still_advances_into_a_next_round_in_setup():
    round_, next_round, entries, judges = closed_round(top_n=2, reserve_n=1)
    a, b = organisers()
    published(round_, a, b)
    assert set(RoundEntry.objects.filter(round=next_round).values_list("entry__code", flat=True)) == {"E1", "E2"}


def test_method_note_says_how_many_entries_had_fewer_than_k_judges(client, open_round):
    round_, _judges, _entries = open_round
    a, b = organisers()
    services.close_round(round_=round_, actor=a, reason="Waktu habis")
    announcement = pub.prepare_announcement(round_=round_, actor=a, acknowledge_few_judges=True, **text_fields())
    pub.submit_for_approval(announcement=announcement, actor=a)
    pub.approve_announcement(announcement=announcement, actor=b)
    body = client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode()
    assert "2 proposal dinilai oleh kurang dari 2 juri." in body


# Pages ----------------------------------------------------------------------------------------------------------


def test_close_page_lists_missing_sheets_and_asks_for_a_reason(client, open_round):
    round_, _judges, _entries = open_round
    client.force_login(OrganiserFactory())
    url = reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "close"])
    body = client.post(url).content.decode()
    assert 'data-missing-total="3"' in body and 'data-entry="E3"' in body and 'data-entry="E4"' in body
    assert "1 dari 4 lembar nilai final" not in body and "5 dari 8 lembar nilai final" in body
    response = client.post(url, {"confirm": "1", "reason": " "})
    assert response.status_code == 400 and "Tuliskan alasan menutup babak" in response.content.decode()
    round_.refresh_from_db()
    assert round_.state == "open"
    assert client.post(url, {"confirm": "1", "reason": "Waktu habis"}).status_code == 302
    round_.refresh_from_db()
    assert round_.state == "closed"


def test_dashboard_and_preparation_flag_entries_with_fewer_than_k_judges(client, open_round):
    round_, _judges, _entries = open_round
    organiser = OrganiserFactory()
    services.close_round(round_=round_, actor=organiser, reason="Waktu habis")
    client.force_login(organiser)
    args = [round_.competition.slug, round_.slug]
    dashboard = client.get(reverse("judging:round_dashboard", args=args)).content.decode()
    assert 'data-few-judges="E3"' in dashboard and 'data-few-judges="E4"' in dashboard
    assert 'data-few-judges="E1"' not in dashboard
    assert dashboard.count("short-k-flag") == 2
    prepare_url = reverse("judging:announcement_prepare", args=args)
    page = client.get(prepare_url).content.decode()
    assert 'data-few-judges="E3"' in page and 'name="acknowledge_few_judges"' in page
