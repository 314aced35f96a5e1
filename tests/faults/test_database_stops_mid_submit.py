"""The database goes away in the middle of a judge's submit.

A trigger on judging_score (installed for this test only) terminates its own database session when the session
carries the setting kipp.fault = 'kill': the connection dies after the sheet row was updated and while the
scores are being written, inside the submit's transaction. The judge gets the 503 "try again" page; nothing of
the half-done submit stays; the same form sent again (the database "back": a new session, without the setting)
is stored once.
"""

import pytest
from django.db import connection
from django.urls import reverse

from judging.models import ScoreSheet
from kipp.models import AuditEvent
from tests.factories import JudgeFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

KILLER = """
CREATE OR REPLACE FUNCTION kipp_fault_kill() RETURNS trigger AS $$
BEGIN
    IF current_setting('kipp.fault', true) = 'kill' THEN
        PERFORM pg_terminate_backend(pg_backend_pid());
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER kipp_fault_kill BEFORE INSERT OR UPDATE ON judging_score
    FOR EACH ROW EXECUTE FUNCTION kipp_fault_kill();
"""


@pytest.fixture
def killer_trigger():
    with connection.cursor() as cursor:
        cursor.execute(KILLER)
    yield
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS kipp_fault_kill ON judging_score")
        cursor.execute("DROP FUNCTION IF EXISTS kipp_fault_kill()")


def arm():
    with connection.cursor() as cursor:
        cursor.execute("SET kipp.fault = 'kill'")


def test_database_lost_mid_submit_shows_try_again_keeps_nothing_and_the_retry_is_stored_once(client, killer_trigger):
    round_ = make_round([("a", 3, 1, 10), ("b", 1, 1, 5)])
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, JudgeFactory(full_name="Panelis Satu"))
    draft = add_sheet(round_, entry, judge, {"a": 2, "b": 1}, state="draft")
    criteria = {c.key: c.pk for c in round_.criteria.all()}
    url = reverse("judging:sheet", args=[draft.assignment_id])
    form = {
        "version": str(draft.version),
        f"score_{criteria['a']}": "9",
        f"score_{criteria['b']}": "4",
        "overall_comment": "Sangat baik",
        "action": "submit",
    }
    client.force_login(judge)
    arm()
    response = client.post(url, form)

    assert response.status_code == 503
    html = response.content.decode()
    assert "coba lagi" in html and "try again" in html
    assert response["Retry-After"]
    sheet = ScoreSheet.objects.get(assignment=draft.assignment)  # a new session: the database is back
    assert sheet.state == "draft" and sheet.version == draft.version and sheet.overall_comment == ""
    assert {s.criterion_id: s.value for s in sheet.scores.all()} == {criteria["a"]: 2, criteria["b"]: 1}
    assert not AuditEvent.objects.filter(action="judging.sheet_submitted").exists()

    retry = client.post(url, form)
    assert retry.status_code == 302
    sheets = ScoreSheet.objects.filter(assignment=draft.assignment)
    assert sheets.count() == 1
    sheet = sheets.get()
    assert sheet.state == "final" and sheet.overall_comment == "Sangat baik"
    assert {s.criterion_id: s.value for s in sheet.scores.all()} == {criteria["a"]: 9, criteria["b"]: 4}
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1
    # a third send of the same form (a double click after the retry) changes nothing
    again = client.post(url, form)
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1


def test_first_submit_lost_leaves_no_sheet_behind(client, killer_trigger):
    round_ = make_round([("a", 1, 1, 10)])
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, JudgeFactory())
    assignment = add_sheet(round_, entry, judge, {}, assign_only=True)
    criterion = round_.criteria.get()
    url = reverse("judging:sheet", args=[assignment.pk])
    form = {"version": "0", f"score_{criterion.pk}": "7", "overall_comment": "", "action": "submit"}
    client.force_login(judge)
    arm()
    assert client.post(url, form).status_code == 503
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()
    assert client.post(url, form).status_code == 302
    assert ScoreSheet.objects.get(assignment=assignment).scores.get().value == 7
