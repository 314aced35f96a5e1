"""Time limits on the database (issue 19 item 1 and its first Done-when), tried on a real server: gunicorn with
gunicorn.conf.py and 2 workers, against the test database, signed in through the real login page.

A separate connection holds `LOCK TABLE judging_scoresheet IN ACCESS EXCLUSIVE MODE` for longer than the lock
timeout: the judge's save answers within DB_LOCK_TIMEOUT with the "try again" page, the home page and a public
announcement keep answering at their usual speed meanwhile, nothing is written, and the log says it was a lock
wait (not an outage). A statement that runs over DB_STATEMENT_TIMEOUT inside the submit's transaction leaves
nothing either. gunicorn refuses to start with a statement limit that its own timeout would overtake; the task
queue's worker, with the longer command limits, lives through idle periods longer than them.
"""

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from judging.models import Score, ScoreSheet
from kipp.models import AuditEvent
from tests.factories import JudgeFactory
from tests.faults.servers import BASE_DIR, Browser, child_env
from tests.faults.web_process import gunicorn, start_gunicorn, stop, timed
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "kata-sandi-batas-waktu-1"
LOCK_TIMEOUT = 3  # the default of DB_LOCK_TIMEOUT: the test runs the configuration production runs
HOLD_SECONDS = LOCK_TIMEOUT + 5


def holder_connection():
    s = connection.settings_dict
    return psycopg2.connect(dbname=s["NAME"], user=s["USER"], host=s["HOST"] or "localhost", port=s["PORT"] or None)


def judge_with_draft():
    round_ = make_round([("a", 3, 1, 10), ("b", 1, 1, 5)])
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, JudgeFactory(email="panelis.batas@example.org", full_name="Panelis Batas Waktu"))
    judge.password = PBKDF2PasswordHasher().encode(PASSWORD, "garamgaram12", iterations=1000)  # cheap for the server
    judge.save()
    draft = add_sheet(round_, entry, judge, {"a": 2, "b": 1}, state="draft")
    criteria = {c.key: c.pk for c in round_.criteria.all()}
    form = {
        "version": str(draft.version),
        f"score_{criteria['a']}": "9",
        f"score_{criteria['b']}": "4",
        "overall_comment": "Sangat baik",
        "action": "submit",
    }
    return judge, draft, reverse("judging:sheet", args=[draft.assignment_id]), form


def stored():
    """Everything a judge's save could change: the sheets, their scores and the audit log."""
    sheets = list(ScoreSheet.objects.order_by("pk").values_list("pk", "state", "version", "overall_comment"))
    scores = list(Score.objects.order_by("pk").values_list("pk", "sheet_id", "criterion_id", "value"))
    return sheets, scores, AuditEvent.objects.count()


def signed_in(port, judge, sheet_url):
    browser = Browser()
    assert browser.get(port, reverse("kipp:login"))[0] == 200
    status, _, _ = browser.post(port, reverse("kipp:login"), {"username": judge.email, "password": PASSWORD})
    assert status == 302, "login failed"
    assert browser.get(port, sheet_url)[0] == 200
    return browser


def page_times(port, paths, rounds):
    visitor = Browser()
    times = []
    for _ in range(rounds):
        for path in paths:
            seconds, (status, _, _) = timed(visitor.get, port, path)
            assert status == 200, path
            times.append(seconds)
    return times


def test_a_save_waiting_for_a_lock_is_refused_within_the_lock_timeout_other_pages_stay_fast_nothing_written(
    tmp_path,
):
    judge, draft, sheet_url, form = judge_with_draft()
    round_, _next, _entries, _judges = closed_round()
    announcement = published(round_, *organisers())
    public_paths = [reverse("kipp:home"), reverse("judging:public_announcement", args=[announcement.pk])]
    log = tmp_path / "gunicorn.log"
    with gunicorn(child_env(), log) as port:
        browser = signed_in(port, judge, sheet_url)
        page_times(port, public_paths, 3)  # both workers warm: connections open, templates and caches loaded
        usual = page_times(port, public_paths, 5)
        before = stored()

        holder = holder_connection()
        answer = {}
        try:
            with holder.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("LOCK TABLE judging_scoresheet IN ACCESS EXCLUSIVE MODE")
            locked_at = time.monotonic()

            def save():
                answer["seconds"], answer["response"] = timed(browser.post, port, sheet_url, form)

            saving = threading.Thread(target=save)
            saving.start()
            time.sleep(0.3)  # the save is waiting for the lock in one worker
            meanwhile = page_times(port, public_paths, 3)
            saving.join(timeout=HOLD_SECONDS)
            still_locked = time.monotonic() - locked_at < HOLD_SECONDS
            time.sleep(max(0, HOLD_SECONDS - (time.monotonic() - locked_at)))
        finally:
            holder.rollback()
            holder.close()

        assert still_locked, "the save answered only after the lock was released"
        status, headers, body = answer["response"]
        html = body.decode()
        assert status == 503
        assert "coba lagi" in html and "try again" in html
        assert headers["Retry-After"]
        assert LOCK_TIMEOUT - 0.5 < answer["seconds"] < LOCK_TIMEOUT + 2, answer["seconds"]
        slowest_usual = max(usual)
        assert max(meanwhile) < max(1.0, 3 * slowest_usual), (meanwhile, usual)
        assert stored() == before

        # the lock gone, the same form is stored once
        assert browser.post(port, sheet_url, form)[0] == 302
    sheet = ScoreSheet.objects.get(pk=draft.pk)
    assert sheet.state == "final" and sheet.overall_comment == "Sangat baik"
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1

    output = log.read_text(errors="replace")
    assert re.search(
        r"database lock wait over DB_LOCK_TIMEOUT, answered 503: POST /penilaian/\S+: .*lock timeout", output
    )
    assert "judging_scoresheet" in output  # the lock's context names the table
    assert "database unavailable" not in output and "WORKER TIMEOUT" not in output
    assert "Service Unavailable" not in output  # one line of ours, not Django's as well


SLOW_SCORES = """
CREATE OR REPLACE FUNCTION kipp_fault_slow() RETURNS trigger AS $$
BEGIN
    PERFORM pg_sleep(6);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER kipp_fault_slow BEFORE INSERT OR UPDATE ON judging_score
    FOR EACH ROW EXECUTE FUNCTION kipp_fault_slow();
"""


@pytest.fixture
def slow_scores():
    with connection.cursor() as cursor:
        cursor.execute(SLOW_SCORES)
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS kipp_fault_slow ON judging_score")
        cursor.execute("DROP FUNCTION IF EXISTS kipp_fault_slow()")


def test_a_statement_over_the_statement_timeout_inside_the_submit_leaves_nothing(tmp_path, slow_scores):
    """The submit updates the sheet, then writes the scores: the scores' statement is canceled after
    DB_STATEMENT_TIMEOUT (2 s here) and the sheet's update is rolled back with it."""
    judge, draft, sheet_url, form = judge_with_draft()
    log = tmp_path / "gunicorn.log"
    with gunicorn(child_env(DB_STATEMENT_TIMEOUT=2), log) as port:
        browser = signed_in(port, judge, sheet_url)
        before = stored()
        seconds, (status, headers, body) = timed(browser.post, port, sheet_url, form)
        assert status == 503 and "coba lagi" in body.decode()
        assert 1.5 < seconds < 4, seconds
        assert stored() == before
    sheet = ScoreSheet.objects.get(pk=draft.pk)
    assert sheet.state == "draft" and sheet.version == draft.version and sheet.overall_comment == ""
    output = log.read_text(errors="replace")
    assert "database statement canceled (DB_STATEMENT_TIMEOUT or an operator), answered 503: POST" in output
    assert "statement timeout" in output and "database unavailable" not in output


def test_gunicorn_refuses_a_statement_limit_that_its_own_timeout_would_overtake(tmp_path):
    log = tmp_path / "gunicorn.log"
    proc = start_gunicorn(child_env(DB_STATEMENT_TIMEOUT=45), log)
    try:
        proc.wait(timeout=60)
    finally:
        stop(proc)
    assert proc.returncode != 0
    output = log.read_text(errors="replace")
    assert "statement_timeout (45 s) must be above 0 and below gunicorn's timeout (30 s)" in output


def session_limits(env, code):
    result = subprocess.run(
        [sys.executable, *code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


SHOW = (
    "from django.db import connection\n"
    "with connection.cursor() as c:\n"
    "    for name in ('lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout', 'jit'):\n"
    "        c.execute('SHOW ' + name); print(c.fetchone()[0])\n"
)


def test_commands_have_the_longer_limits_and_every_wsgi_server_the_web_limits():
    env = child_env()
    env.pop("KIPP_DB_LIMITS", None)
    command = session_limits(env, [str(BASE_DIR / "manage.py"), "shell", "-v", "0", "-c", SHOW])
    assert command == ["1min", "1h", "10min", "off"]
    web = session_limits(env, ["-c", "import kipp.wsgi\n" + SHOW])  # what gunicorn, uwsgi or mod_wsgi import
    assert web == ["3s", "20s", "20s", "off"]


def test_the_task_queue_worker_lives_through_idle_periods_longer_than_its_limits(tmp_path):
    """`manage.py procrastinate worker` with 1-second command limits: its LISTEN connection and its pool sit idle
    for longer than that (never idle inside a transaction), and a job deferred afterwards is still fetched and
    finished (a job of an unknown task: it fails, which is a finish like any other)."""
    from procrastinate.contrib.django import app as queue

    env = child_env(DB_COMMAND_STATEMENT_TIMEOUT=1, DB_COMMAND_IDLE_IN_TRANSACTION_TIMEOUT=1, DB_COMMAND_LOCK_TIMEOUT=1)
    env.pop("KIPP_DB_LIMITS", None)
    log_path = tmp_path / "worker.log"
    with Path(log_path).open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, str(BASE_DIR / "manage.py"), "procrastinate", "worker"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(5)  # idle: well past the 1 s limits
            assert worker.poll() is None, log_path.read_text(errors="replace")
            job_id = queue.configure_task(name="tests.no_such_task").defer()
            deadline = time.monotonic() + 30
            status = None
            while time.monotonic() < deadline:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
                    status = cursor.fetchone()[0]
                if status in ("failed", "succeeded"):
                    break
                time.sleep(0.3)
            assert status == "failed", (status, log_path.read_text(errors="replace"))
            assert worker.poll() is None
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    output = log_path.read_text(errors="replace")
    assert "idle-in-transaction" not in output and "statement timeout" not in output
