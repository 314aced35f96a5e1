"""Saving and submitting a score sheet through the page: the assignee's path, its refusals and its cost."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from judging.models import Conflict, ScoreSheet
from judging.scoring import services
from judging.scoring.forms import ScoreSheetForm
from kipp.models import AuditEvent
from tests.factories import OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 5), ("c", 1, 1, 5, False)]


@pytest.fixture
def world():
    round_ = make_round(CRITERIA)
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, full_name="Juri Satu")
    assignment = services.assign(round_=round_, entry=entry, judge=judge)
    ids = {c.key: c.pk for c in round_.criteria.all()}
    return round_, entry, judge, assignment, ids


def post(client, assignment, scores, version=0, action="submit"):
    data = {"version": version, "action": action, "overall_comment": ""}
    data.update({f"score_{pk}": value for pk, value in scores.items()})
    return client.post(reverse("judging:sheet", args=[assignment.pk]), data)


def test_submit_stores_the_sheet_final_audits_it_and_sends_the_judge_to_the_queue(client, world):
    round_, entry, judge, assignment, ids = world
    client.force_login(judge)
    response = post(client, assignment, {ids["a"]: 7, ids["b"]: 4})
    assert response.status_code == 302
    assert response["Location"] == reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version) == ("final", 1) and sheet.submitted_at is not None
    assert dict(sheet.scores.values_list("criterion__key", "value")) == {"a": 7, "b": 4}
    event = AuditEvent.objects.get(action="judging.sheet_submitted")
    assert event.details == {"round": round_.slug, "entry": "E1"}
    assert "E1" in event.object_repr and "Juri Satu" in event.object_repr
    assert "Nilai dikirim final" in client.get(response["Location"]).content.decode()


def test_submit_after_a_draft_updates_deletes_and_adds_scores(client, world):
    round_, entry, judge, assignment, ids = world
    client.force_login(judge)
    assert post(client, assignment, {ids["a"]: 7, ids["c"]: 2}, action="save").status_code == 302
    response = post(client, assignment, {ids["a"]: 8, ids["b"]: 3, ids["c"]: ""}, version=1)
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version) == ("final", 2)
    assert dict(sheet.scores.values_list("criterion__key", "value")) == {"a": 8, "b": 3}


def test_submit_refused_for_a_missing_required_score_keeps_the_draft(client, world):
    round_, entry, judge, assignment, ids = world
    client.force_login(judge)
    post(client, assignment, {ids["a"]: 7, ids["b"]: 3}, action="save")
    response = post(client, assignment, {ids["a"]: 7, ids["b"]: ""}, version=1)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Belum dinilai: B" in page and "Kirim final" in page
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version) == ("draft", 1)
    assert dict(sheet.scores.values_list("criterion__key", "value")) == {"a": 7, "b": 3}


@pytest.mark.parametrize("valid", [True, False])
def test_a_conflicted_judge_posting_gets_the_refusal_and_nothing_is_saved(client, world, valid):
    round_, entry, judge, assignment, ids = world
    Conflict.objects.create(
        competition=round_.competition, judge=judge, entry=entry, source="organiser", reason="Kerabat"
    )
    client.force_login(judge)
    response = post(client, assignment, {ids["a"]: 7 if valid else 99, ids["b"]: 4})
    assert response.status_code == 403
    page = response.content.decode()
    assert "konflik kepentingan" in page and entry.title not in page
    assert not ScoreSheet.objects.exists()


def test_an_organiser_posting_is_refused(client, world):
    round_, entry, judge, assignment, ids = world
    client.force_login(OrganiserFactory())
    response = post(client, assignment, {ids["a"]: 7, ids["b"]: 4})
    assert response.status_code == 403
    assert "Hanya juri yang ditugaskan" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_submit_in_a_closed_round_is_refused_with_the_page(client, world):
    round_, entry, judge, assignment, ids = world
    services.close_round(round_=round_, actor=OrganiserFactory(), reason="Waktu habis")  # the sheet is not started
    client.force_login(judge)
    response = post(client, assignment, {ids["a"]: 7, ids["b"]: 4})
    assert response.status_code == 400
    assert "tidak sedang dibuka" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_a_submit_reads_only_what_it_needs(client, world, django_assert_max_num_queries):
    """Session, user, assignment, criteria for the form; then in one transaction: the locks, the sheet and
    conflicts, the criteria, the sheet, the scores, the audit event (the content type may be read once)."""
    round_, entry, judge, assignment, ids = world
    client.force_login(judge)
    with django_assert_max_num_queries(14):
        response = post(client, assignment, {ids["a"]: 7, ids["b"]: 4})
    assert response.status_code == 302


def test_the_sheet_page_offers_each_value_of_a_small_scale_as_a_radio_button(client, world):
    round_, entry, judge, assignment, ids = world
    client.force_login(judge)
    page = client.get(reverse("judging:sheet", args=[assignment.pk])).content.decode()
    radios = re.findall(rf'type="radio" name="score_{ids["b"]}" value="(\d+)"', page)
    assert radios == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize(("value", "valid"), [("3", True), ("5", True), ("6", False), ("0", False), ("x", False)])
def test_the_score_form_accepts_only_values_of_the_scale(world, value, valid):
    round_, entry, judge, assignment, ids = world
    criteria = list(round_.criteria.order_by("order", "id"))
    form = ScoreSheetForm({"version": 0, f"score_{ids['b']}": value}, criteria=criteria)
    assert form.is_valid() is valid
    if valid:
        assert form.values()[ids["b"]] == (int(value), "")


@pytest.mark.parametrize(("scope", "blocks"), [("competition", True), ("this round", True), ("another round", False)])
def test_the_submit_applies_the_conflicts_of_the_competition_and_of_its_round_only(world, scope, blocks):
    round_, entry, judge, assignment, ids = world
    other_round = make_round(CRITERIA, competition=round_.competition, slug="presentasi", order=2)
    conflict_round = {"competition": None, "this round": round_, "another round": other_round}[scope]
    Conflict.objects.create(
        competition=round_.competition, round=conflict_round, judge=judge, entry=entry, source="organiser", reason="x"
    )
    assert services.conflicted(round_=round_, judge_id=judge.pk, entry_id=entry.pk) is blocks
    values = {ids["a"]: (7, ""), ids["b"]: (4, "")}
    if blocks:
        with pytest.raises(services.ConflictOfInterestError):
            services.submit_sheet(assignment=assignment, judge=judge, values=values, version=0)
        assert not ScoreSheet.objects.exists()
    else:
        sheet = services.submit_sheet(assignment=assignment, judge=judge, values=values, version=0)
        assert sheet.state == "final"


def _wait_until_blocked_on_a_lock(pid, attempts=500):
    """Until the session `pid` waits for a lock (what the second submit does while the first holds the row)."""
    for _attempt in range(attempts):
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
        if row and row[0] == "Lock":
            return True
        threading.Event().wait(0.01)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_second_submit_waiting_on_the_first_sees_its_sheet_and_is_refused_as_stale():
    """Two tabs submit the same sheet. The second waits on the assignment's lock while the first writes; once the
    first commits, the second reads the sheet the first wrote (a read after the lock, not before it) and is refused
    as stale, instead of inserting a second sheet."""
    round_ = make_round(CRITERIA)
    entry = add_entry(round_, "E1")
    judge = add_judge(round_)
    assignment = services.assign(round_=round_, entry=entry, judge=judge)
    ids = {c.key: c.pk for c in round_.criteria.all()}
    with transaction.atomic():
        services.submit_sheet(
            assignment=assignment, judge=judge, values={ids["a"]: (7, ""), ids["b"]: (4, "")}, version=0
        )
        thread, outcome = _in_a_thread_blocked_by_this_transaction(
            lambda: services.submit_sheet(
                assignment=assignment, judge=judge, values={ids["a"]: (2, ""), ids["b"]: (2, "")}, version=0
            )
        )
    thread.join()
    assert len(outcome) == 1 and isinstance(outcome[0], services.StaleSheetError)
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.version == 1 and dict(sheet.scores.values_list("criterion__key", "value")) == {"a": 7, "b": 4}


def _in_a_thread_blocked_by_this_transaction(action):
    """Start `action` in its own thread (own connection), wait until it waits on a lock this transaction holds;
    returns (thread, outcome list)."""
    pid, outcome = [], []

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            outcome.append(action())
        except Exception as error:  # noqa: BLE001 - asserted by the caller
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    while not pid and thread.is_alive():
        threading.Event().wait(0.01)
    assert pid and _wait_until_blocked_on_a_lock(pid[0])
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_closing_the_round_and_a_submit_wait_for_each_other():
    round_ = make_round(CRITERIA)
    judges = [add_judge(round_) for _ in range(2)]
    assignments = [
        services.assign(round_=round_, entry=add_entry(round_, f"E{i}"), judge=j) for i, j in enumerate(judges)
    ]
    ids = {c.key: c.pk for c in round_.criteria.all()}
    values = {ids["a"]: (7, ""), ids["b"]: (4, "")}
    organiser = OrganiserFactory()

    # a submit in progress (the round locked FOR SHARE): closing waits for it, then counts its sheet
    with transaction.atomic():
        services.submit_sheet(assignment=assignments[0], judge=judges[0], values=values, version=0)
        thread, outcome = _in_a_thread_blocked_by_this_transaction(
            lambda: services.close_round(round_=round_, actor=organiser, reason="Satu juri tidak mengirim")
        )
    thread.join()
    assert outcome[0].state == "closed"
    assert ScoreSheet.objects.get(assignment=assignments[0]).state == "final"

    # closing in progress (the round locked FOR UPDATE): a submit waits for it, then finds the round closed
    services.reopen_round(round_=round_, actor=organiser, reason="Satu juri belum mengirim")
    with transaction.atomic():
        services.close_round(round_=round_, actor=organiser, reason="Waktu habis")
        thread, outcome = _in_a_thread_blocked_by_this_transaction(
            lambda: services.submit_sheet(assignment=assignments[1], judge=judges[1], values=values, version=0)
        )
    thread.join()
    assert isinstance(outcome[0], services.JudgingError) and "sudah ditutup atau diumumkan" in outcome[0].messages[0]
    assert not ScoreSheet.objects.filter(assignment=assignments[1]).exists()
