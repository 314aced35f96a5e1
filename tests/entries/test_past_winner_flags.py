"""Past winners at administrative selection (issue 16): the flag on the selection page and the entry page, and the
organiser's decision with its reason (entries.services.decide_past_winner), stored and audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entries.enums import EntryStatus
from entries.models import Entry, PastWinnerDecision
from kipp.models import AuditEvent, Competition
from tests.factories import AgencyFactory, InnovatorFactory, OrganiserFactory, UserFactory
from tests.judging.records.past_winner_helpers import SMS, current_competition, earlier_list, forwarded_entry
from tests.pages import page_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    earlier = earlier_list(year=2026, number="061/2026/FINAL")
    sms = earlier["entries"]["E1"]
    current = current_competition(years=1)
    flagged = forwarded_entry(current, sms.agency, SMS + " Jilid 2")
    other = forwarded_entry(current, AgencyFactory(name="Dinas Lain"), SMS)
    return {"earlier": earlier, "current": current, "flagged": flagged, "other": other, "organiser": OrganiserFactory()}


def _row(body, code):
    start = body.index(f'data-entry-code="{code}"')
    return body[start : body.index("</tr>", start)]


def test_the_selection_page_flags_last_years_winner_with_the_earlier_announcement(client, world):
    client.force_login(world["organiser"])
    body = page_body(client.get(reverse("entries:selection")))
    announcement = world["earlier"]["announcement"]
    row = _row(body, world["flagged"].code)
    assert 'data-check="past_winner"' in row
    assert "061/2026/FINAL" in row
    assert f'href="{reverse("judging:public_announcement", args=[announcement.pk])}"' in row
    assert announcement.round.competition.name in row
    assert "peringkat 1 (E1)" in row
    # the same title from another agency is not the same innovation
    assert 'data-check="past_winner"' not in _row(body, world["other"].code)


def test_the_entry_page_offers_the_decision_to_the_organiser_only(client, world):
    url = reverse("entries:detail", args=[world["flagged"].pk])
    client.force_login(world["organiser"])
    body = page_body(client.get(url))
    assert 'id="past-winner-form"' in body
    assert "061/2026/FINAL" in body
    client.force_login(InnovatorFactory(agency=world["flagged"].agency))
    body = page_body(client.get(url))
    assert 'id="past-winner-form"' not in body
    assert "061/2026/FINAL" not in body


def test_keeping_the_entry_records_the_reason_and_audits_it(client, world):
    entry = world["flagged"]
    client.force_login(world["organiser"])
    reason = "Bukan inovasi yang sama: sasaran dan layanannya berbeda."
    response = client.post(reverse("entries:past_winner", args=[entry.pk]), {"answer": "other", "reason": reason})
    assert response.status_code == 302
    decision = PastWinnerDecision.objects.get(entry=entry)
    assert decision.same_innovation is False
    assert decision.reason == reason
    assert decision.actor == world["organiser"]
    assert decision.earlier[0]["number"] == "061/2026/FINAL"
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.FORWARDED  # still in selection
    event = AuditEvent.objects.get(action="entries.past_winner", object_id=str(entry.pk))
    assert event.details["same_innovation"] is False
    assert event.details["reason"] == reason
    assert event.details["earlier"] == ["061/2026/FINAL #1"]
    body = page_body(client.get(reverse("entries:selection")))
    row = _row(body, entry.code)
    assert 'data-past-winner-decision="other"' in row
    assert reason in row


def test_the_same_innovation_makes_the_entry_ineligible_with_the_reason(client, world):
    entry = world["flagged"]
    client.force_login(world["organiser"])
    reason = "Inovasi yang sama dengan peringkat 1 tahun 2026."
    client.post(reverse("entries:past_winner", args=[entry.pk]), {"answer": "same", "reason": reason})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.INELIGIBLE
    assert entry.decision_reason == "past_winner"
    assert entry.decision_note == reason
    assert PastWinnerDecision.objects.get(entry=entry).same_innovation is True
    assert AuditEvent.objects.filter(action="entries.past_winner", object_id=str(entry.pk)).exists()
    assert AuditEvent.objects.filter(action="entries.decide", object_id=str(entry.pk)).exists()


def test_a_decision_without_a_reason_is_refused(client, world):
    entry = world["flagged"]
    client.force_login(world["organiser"])
    client.post(reverse("entries:past_winner", args=[entry.pk]), {"answer": "other", "reason": "   "})
    assert not PastWinnerDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="entries.past_winner").exists()


@pytest.mark.parametrize("who", ["innovator", "anonymous"])
def test_only_an_organiser_decides(client, world, who):
    entry = world["flagged"]
    if who == "innovator":
        client.force_login(InnovatorFactory(agency=entry.agency))
    response = client.post(reverse("entries:past_winner", args=[entry.pk]), {"answer": "other", "reason": "x"})
    assert response.status_code == (302 if who == "anonymous" else 403)  # anonymous: to the sign-in page
    assert not PastWinnerDecision.objects.exists()


def test_a_rule_of_zero_years_shows_no_flag(client, world):
    world["current"].past_winner_years = 0
    world["current"].save(update_fields=["past_winner_years"])
    client.force_login(world["organiser"])
    body = page_body(client.get(reverse("entries:selection")))
    assert 'data-check="past_winner"' not in body


def _selection_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("entries:selection"))
    assert response.status_code == 200
    return len(queries)


def test_the_selection_page_query_count_does_not_grow_with_flagged_entries(client, world):
    client.force_login(world["organiser"])
    sms = world["earlier"]["entries"]["E1"]
    PastWinnerDecision.objects.create(
        entry=world["flagged"], same_innovation=False, reason="x", actor=world["organiser"]
    )
    few = _selection_queries(client)
    for n in range(5):
        forwarded_entry(world["current"], sms.agency, f"{SMS} Jilid {n + 3}")
    many = _selection_queries(client)
    assert page_body(client.get(reverse("entries:selection"))).count('data-check="past_winner"') == 6
    assert many == few


def test_the_organiser_sets_the_rule_on_the_competition_form(client):
    from tests.kipp.test_competitions import _page_post

    client.force_login(OrganiserFactory())
    client.post(
        reverse("kipp:competition_create"), _page_post(past_winner_years="2", past_winner_stage="round"), follow=True
    )
    competition = Competition.objects.get(slug="kipp-sulsel-2030")
    assert (competition.past_winner_years, competition.past_winner_stage) == (2, "round")
    client.post(reverse("kipp:competition_create"), _page_post(slug="kipp-x-2031", code_prefix="X-2031"))
    off = Competition.objects.get(slug="kipp-x-2031")  # a form posted without the rule keeps it off
    assert (off.past_winner_years, off.past_winner_stage) == (0, "final")


def test_the_admin_edits_the_rule(client, world):
    competition = world["current"]
    client.force_login(UserFactory(role="organiser", agency=None, is_staff=True, is_superuser=True))
    body = page_body(client.get(reverse("admin:kipp_competition_change", args=[competition.pk])))
    assert 'name="past_winner_years"' in body
    assert 'name="past_winner_stage"' in body
