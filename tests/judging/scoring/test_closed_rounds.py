"""A closed or published round stays as it was frozen (found by an attacker after issue 11's fixes): no judge
recuses, no organiser adds entries, judges or conflicts to it; an invisible reason is no reason."""

import pytest
from django.urls import reverse

from entries.enums import EntryStatus
from judging.models import Conflict, RoundEntry, RoundJudge
from judging.scoring import queries, services
from tests.factories import JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 10)]


@pytest.fixture
def closed():
    """Two judges scored E1 and E2 (finals); the round is closed, its ranking frozen in a snapshot."""
    round_ = make_round(CRITERIA, k=2, top_n=1, reserve_n=0)
    judges = [add_judge(round_), add_judge(round_)]
    entries = {code: add_entry(round_, code, minutes=i) for i, code in enumerate(["E1", "E2"])}
    for judge, (a1, a2) in zip(judges, [(9, 8), (6, 8)], strict=True):
        add_sheet(round_, entries["E1"], judge, {"a": a1, "b": a1})
        add_sheet(round_, entries["E2"], judge, {"a": a2, "b": a2})
    organiser = OrganiserFactory()
    services.close_round(round_=round_, actor=organiser)
    round_.refresh_from_db()
    return round_, judges, entries, organiser


def _ranking(round_):
    return [(row["entry_code"], row["judges"]) for row in queries.round_ranking(round_)]


def test_a_judge_cannot_recuse_in_a_closed_round(closed):
    round_, judges, entries, _organiser = closed
    before = _ranking(round_)
    assignment = round_.assignments.get(judge=judges[0], entry=entries["E1"])
    with pytest.raises(services.JudgingError, match="sudah ditutup atau diumumkan"):
        services.declare_conflict(assignment=assignment, judge=judges[0], reason="recuse after publication")
    assert not Conflict.objects.exists()
    assert _ranking(round_) == before


def test_the_conflict_page_of_a_closed_round_refuses_and_records_nothing(client, closed):
    round_, judges, entries, _organiser = closed
    assignment = round_.assignments.get(judge=judges[0], entry=entries["E1"])
    client.force_login(judges[0])
    sheet = client.get(reverse("judging:sheet", args=[assignment.pk])).content.decode()
    assert reverse("judging:declare_conflict", args=[assignment.pk]) not in sheet
    response = client.post(reverse("judging:declare_conflict", args=[assignment.pk]), {"reason": "late"})
    assert response.status_code == 403
    assert "sudah ditutup atau diumumkan" in response.content.decode()
    assert not Conflict.objects.exists()


def test_the_organiser_cannot_add_entries_judges_or_conflicts_to_a_closed_round(closed):
    round_, judges, entries, organiser = closed
    late = add_entry(round_, "E9")
    RoundEntry.objects.filter(round=round_, entry=late).delete()
    before = _ranking(round_)
    with pytest.raises(services.JudgingError, match="sudah ditutup atau diumumkan"):
        services.add_round_entry(round_=round_, entry=late, reason="x", actor=organiser)
    with pytest.raises(services.JudgingError, match="sudah ditutup atau diumumkan"):
        services.add_judges(round_=round_, judges=[JudgeFactory()], actor=organiser)
    with pytest.raises(services.JudgingError, match="sudah ditutup atau diumumkan"):
        services.take_eligible_entries(round_=round_, actor=organiser)
    for scope in (round_, None):  # this round, and the whole competition (which reaches this round too)
        with pytest.raises(services.JudgingError, match="sudah ditutup atau diumumkan"):
            services.record_conflict(
                competition=round_.competition,
                judge=judges[1],
                entry=entries["E1"],
                reason="x",
                actor=organiser,
                round_=scope,
            )
    assert not Conflict.objects.exists()
    assert not RoundEntry.objects.filter(round=round_, entry=late).exists()
    assert RoundJudge.objects.filter(round=round_).count() == 2
    assert _ranking(round_) == before


def test_after_reopening_the_organiser_may_change_the_round_again(closed):
    round_, judges, entries, organiser = closed
    services.reopen_round(round_=round_, actor=organiser, reason="Konflik yang baru diketahui")
    round_.refresh_from_db()
    services.record_conflict(
        competition=round_.competition, judge=judges[1], entry=entries["E1"], reason="kerabat", actor=organiser
    )
    assert [row["judges"] for row in queries.round_ranking(round_) if row["entry_code"] == "E1"] == [1]


def test_an_ineligible_entry_is_not_added_to_an_open_round():
    round_ = make_round(CRITERIA, k=1)
    entry = add_entry(round_, "E5")
    RoundEntry.objects.filter(round=round_, entry=entry).delete()
    entry.status, entry.decision_reason = EntryStatus.INELIGIBLE, "out_of_scope"
    entry.save(update_fields=["status", "decision_reason"])
    with pytest.raises(services.JudgingError, match="tidak dapat ditambahkan"):
        services.add_round_entry(round_=round_, entry=entry, reason="tambahan", actor=OrganiserFactory())
    assert not RoundEntry.objects.filter(round=round_, entry=entry).exists()


@pytest.mark.parametrize("reason", ["\u200b", "\u00a0\u2060", " \u200e\t", "\u3164", "\u2800", "\u034f"])
def test_an_invisible_reason_does_not_close_a_round_with_sheets_missing(reason):
    round_ = make_round(CRITERIA, k=1)
    entry = add_entry(round_, "E1")
    add_sheet(round_, entry, add_judge(round_), {}, assign_only=True)
    with pytest.raises(services.JudgingError, match="belum final"):
        services.close_round(round_=round_, actor=OrganiserFactory(), reason=reason)
    round_.refresh_from_db()
    assert round_.state == "open"


def test_a_page_number_in_other_digits_shows_the_dashboard(client, closed):
    round_, _judges, _entries, organiser = closed
    client.force_login(organiser)
    url = reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])
    assert client.get(url, {"halaman": "²"}).status_code == 200
    assert client.get(url, {"halaman": "9" * 40}).status_code == 200


def test_progress_says_100_percent_only_when_every_sheet_is_final():
    assert [queries.progress_percent(part, 300) for part in (0, 1, 150, 299, 300)] == [0, 1, 50, 99, 100]


def test_the_close_confirmation_names_every_entry_left_with_fewer_than_k_judges(client):
    """E1 has one sheet missing (1 of 2 final); E2 was assigned to one judge only and has nothing missing: both end
    with fewer than k=2 final sheets, and the confirmation says 2 (it said 1: only entries with sheets missing)."""
    round_ = make_round(CRITERIA, k=2)
    judges = [add_judge(round_), add_judge(round_)]
    e1, e2 = add_entry(round_, "E1"), add_entry(round_, "E2", minutes=1)
    add_sheet(round_, e1, judges[0], {"a": 5, "b": 5})
    add_sheet(round_, e1, judges[1], {}, assign_only=True)
    add_sheet(round_, e2, judges[0], {"a": 6, "b": 6})
    organiser = OrganiserFactory()
    client.force_login(organiser)
    response = client.post(reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "close"]))
    assert response.status_code == 200
    assert sorted(row["entry_code"] for row in response.context["short"]) == ["E1", "E2"]
    assert "2 proposal akan dinilai oleh kurang dari 2 juri" in response.content.decode()


def test_the_setup_page_of_a_closed_round_offers_no_forms_that_would_be_refused(client, closed):
    round_, _judges, _entries, organiser = closed
    client.force_login(organiser)
    page = client.get(reverse("judging:round_setup", args=[round_.competition.slug, round_.slug])).content.decode()
    for action in ("judges", "auto-assign", "assign", "entry", "conflict"):
        assert reverse("judging:round_action", args=[round_.competition.slug, round_.slug, action]) not in page
    assert "Babak sudah ditutup: buka kembali" in page
    assert reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "reopen"]) in page


def test_one_organiser_cannot_publish_a_round_without_an_announcement(client, closed):
    """The setup page's 'Umumkan hasil babak' let one person mark a round published, with no announcement and no
    second person: a round is published only when another organiser approves its announcement."""
    round_, _judges, _entries, organiser = closed
    client.force_login(organiser)
    setup = reverse("judging:round_setup", args=[round_.competition.slug, round_.slug])
    page = client.get(setup).content.decode()
    assert reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "publish"]) not in page
    assert reverse("judging:announcement_prepare", args=[round_.competition.slug, round_.slug]) in page
    response = client.post(reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "publish"]))
    assert response.status_code == 404
    round_.refresh_from_db()
    assert round_.state == "closed"
