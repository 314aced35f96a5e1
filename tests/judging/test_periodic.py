"""The periodic jobs of judging (judging/tasks.py) and of the base (kipp/periodic.py), called as the worker calls
them, at frozen moments: embargoed announcements go public, records are built, judges are reminded before a round
closes, expired sessions are cleared. Each job run twice has its effect once.

At the end, the real engine: a `manage.py procrastinate worker` process against the test database publishes an
announcement by itself when its embargo ends."""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from judging import tasks
from judging.models import Announcement, Conflict, InnovationRecord, JudgeReminder, RecordEntry
from kipp import periodic
from kipp.models import AuditEvent
from tests.factories import InnovatorFactory, JudgeFactory
from tests.faults.servers import database_url
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.outbox import sent_mail

TIMESTAMP = 1_700_000_000  # what the periodic deferrer passes; the jobs act at `now`


def mails_to(person):
    return [m for m in sent_mail() if person.email in m.to]


# publish_due: embargoed announcements go public -------------------------------------------------------------


@pytest.fixture
def embargoed():
    """An approved Top 2 whose embargo ends in two hours, and an innovator of the first entry's agency."""
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    innovator = InnovatorFactory(agency=entries["E1"].agency, agency_confirmed_at=timezone.now())
    embargo = timezone.now() + datetime.timedelta(hours=2)
    announcement = published(round_, a, b, embargo_until=embargo)
    return announcement, innovator, embargo


@pytest.mark.django_db
def test_publish_due_before_the_embargo_does_nothing(embargoed):
    announcement, innovator, embargo = embargoed
    assert tasks.publish_due(TIMESTAMP, now=embargo - datetime.timedelta(minutes=1)) == 0
    announcement.refresh_from_db()
    assert announcement.notified_at is None
    assert not mails_to(innovator)
    assert not InnovationRecord.objects.exists()


@pytest.mark.django_db
def test_publish_due_after_the_embargo_publishes_once_when_run_twice(embargoed):
    announcement, innovator, embargo = embargoed
    after = embargo + datetime.timedelta(seconds=30)
    assert tasks.publish_due(TIMESTAMP, now=after) >= 1
    assert tasks.publish_due(TIMESTAMP + 60, now=after + datetime.timedelta(minutes=1)) == 0
    announcement.refresh_from_db()
    assert announcement.notified_at == after
    outcome = mails_to(innovator)
    assert len(outcome) == 1 and announcement.number in outcome[0].body
    assert AuditEvent.objects.filter(action="publication.notified").count() == 1
    # the selected entries (E1, E2) have their innovation records, built once
    assert sorted(RecordEntry.objects.values_list("entry__code", flat=True)) == ["E1", "E2"]
    assert AuditEvent.objects.filter(action="records.built").count() == 1


@pytest.mark.django_db
def test_publish_due_skips_while_another_run_holds_the_publication_lock(embargoed):
    """A second worker's run (here: another database session holding the lock) does the work; this run returns."""
    announcement, innovator, embargo = embargoed
    after = embargo + datetime.timedelta(seconds=30)
    lock = [f"kipp.periodic:{tasks.PUBLICATION_LOCK}"]
    other = psycopg.connect(**_psycopg_params(), autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(hashtext(%s))", lock)
        assert tasks.publish_due(TIMESTAMP, now=after) is None
        assert tasks.build_records(TIMESTAMP, now=after) is None
        announcement.refresh_from_db()
        assert announcement.notified_at is None and not mails_to(innovator)
        other.execute("SELECT pg_advisory_unlock(hashtext(%s))", lock)
    finally:
        other.close()
    assert tasks.publish_due(TIMESTAMP, now=after) >= 1
    assert len(mails_to(innovator)) == 1


def _psycopg_params():
    settings = connection.settings_dict
    return {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"] or None,
    }


# build_records: records that are missing are built ----------------------------------------------------------


@pytest.mark.django_db
def test_build_records_catches_missing_records_and_changes_nothing_the_second_time():
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    published(round_, a, b)  # visible at once: approval built the records
    InnovationRecord.objects.all().delete()  # as if that build had failed
    assert not RecordEntry.objects.exists()
    events = AuditEvent.objects.filter(action="records.built").count()
    assert tasks.build_records(TIMESTAMP) == 2
    first = list(InnovationRecord.objects.order_by("pk").values("pk", "slug", "outcome"))
    assert tasks.build_records(TIMESTAMP + 3600) == 2
    assert list(InnovationRecord.objects.order_by("pk").values("pk", "slug", "outcome")) == first
    assert sorted(RecordEntry.objects.values_list("entry__code", flat=True)) == ["E1", "E2"]
    assert AuditEvent.objects.filter(action="records.built").count() == events + 1


# remind_judges: 48 h and 24 h before a round closes ----------------------------------------------------------

CLOSES = timezone.make_aware(datetime.datetime(2027, 3, 10, 17, 0))  # 17:00 WITA


@pytest.fixture
def closing_round():
    """An open round closing at CLOSES: `drafting` holds a draft sheet and an assignment without a sheet, `done`
    has only final sheets, `recused` holds a draft only on an entry they are recused from."""
    round_ = make_round([("a", 1, 1, 10)], state="open")
    round_.opens_at = CLOSES - datetime.timedelta(days=7)
    round_.closes_at = CLOSES
    round_.save(update_fields=["opens_at", "closes_at"])
    e1, e2 = add_entry(round_, "E1"), add_entry(round_, "E2", minutes=1)
    drafting = add_judge(round_, full_name="Juri Draf", email="draf@example.org")
    done = add_judge(round_, full_name="Juri Selesai", email="selesai@example.org")
    recused = add_judge(round_, full_name="Juri Konflik", email="konflik@example.org", language="en")
    add_sheet(round_, e1, drafting, {"a": 5}, state="draft")
    add_sheet(round_, e2, drafting, {}, assign_only=True)
    add_sheet(round_, e1, done, {"a": 7})
    add_sheet(round_, e2, done, {"a": 8})
    add_sheet(round_, e1, recused, {"a": 7})
    add_sheet(round_, e2, recused, {"a": 3}, state="draft")
    Conflict.objects.create(
        competition=round_.competition, round=round_, judge=recused, entry=e2, source="declared", reason="Kerabat"
    )
    return round_, drafting, done, recused


def at(hours_before):
    return CLOSES - datetime.timedelta(hours=hours_before)


@pytest.mark.django_db
def test_no_reminder_more_than_48_hours_before_the_close(closing_round):
    assert tasks.remind_judges(TIMESTAMP, now=at(48.5)) == 0
    assert not sent_mail() and not JudgeReminder.objects.exists()


@pytest.mark.django_db
def test_judges_with_sheets_not_final_get_the_48_and_24_hour_reminders_once_each(closing_round):
    round_, drafting, done, recused = closing_round
    assert tasks.remind_judges(TIMESTAMP, now=at(47.9)) == 1
    assert tasks.remind_judges(TIMESTAMP + 900, now=at(47.6)) == 0  # the next run, and again
    assert tasks.remind_judges(TIMESTAMP + 900, now=at(47.6)) == 0
    [first] = mails_to(drafting)
    assert first.subject == f"Pengingat: babak {round_.name} ditutup dalam 48 jam"
    assert "10 Maret 2027, 17:00 WITA" in first.body
    assert "Masih ada 2 lembar nilai Anda yang belum final" in first.body
    assert f"/babak/{round_.competition.slug}/{round_.slug}/antrean/" in first.body
    assert not mails_to(done) and not mails_to(recused)

    assert tasks.remind_judges(TIMESTAMP + 7200, now=at(30)) == 0  # between the two reminders
    assert tasks.remind_judges(TIMESTAMP + 86400, now=at(23.9)) == 1
    assert tasks.remind_judges(TIMESTAMP + 86400, now=at(23.5)) == 0
    assert [m.subject for m in mails_to(drafting)] == [
        f"Pengingat: babak {round_.name} ditutup dalam 48 jam",
        f"Pengingat: babak {round_.name} ditutup dalam 24 jam",
    ]
    assert sorted(JudgeReminder.objects.values_list("judge__email", "kind", "pending")) == [
        ("draf@example.org", "24h", 2),
        ("draf@example.org", "48h", 2),
    ]
    assert tasks.remind_judges(TIMESTAMP + 90000, now=at(-0.1)) == 0  # closed by time
    assert len(sent_mail()) == 2


@pytest.mark.django_db
def test_a_round_opened_less_than_a_day_before_it_closes_gets_only_the_24_hour_reminder(closing_round):
    round_, drafting, _done, _recused = closing_round
    assert tasks.remind_judges(TIMESTAMP, now=at(20)) == 1
    assert tasks.remind_judges(TIMESTAMP, now=at(2)) == 0
    assert list(JudgeReminder.objects.values_list("kind", flat=True)) == ["24h"]


@pytest.mark.django_db
def test_a_reminder_is_in_the_judges_language(closing_round):
    round_, drafting, _done, recused = closing_round
    Conflict.objects.filter(judge=recused).delete()  # the draft counts again
    drafting.language = "en"
    drafting.save(update_fields=["language"])
    tasks.remind_judges(TIMESTAMP, now=at(10))
    [english] = mails_to(recused)
    assert english.subject == f"Reminder: round {round_.name} closes in 24 hours"
    assert "1 of your score sheets is not final yet" in english.body
    assert "10 March 2027, 17:00 WITA" in english.body
    [plural] = mails_to(drafting)
    assert "2 of your score sheets are not final yet" in plural.body


@pytest.mark.django_db
def test_no_reminder_for_a_round_that_is_closed_or_in_setup(closing_round):
    round_, *_ = closing_round
    for state in ("closed", "setup"):
        round_.state = state
        round_.save(update_fields=["state"])
        assert tasks.remind_judges(TIMESTAMP, now=at(10)) == 0
    assert not sent_mail()


@pytest.mark.django_db
def test_inactive_judges_and_judges_without_sheets_left_get_nothing(closing_round):
    round_, drafting, *_ = closing_round
    drafting.is_active = False
    drafting.save(update_fields=["is_active"])
    idle = JudgeFactory(email="idle@example.org")
    add_judge(round_, idle)  # in the round, nothing assigned
    assert tasks.remind_judges(TIMESTAMP, now=at(10)) == 0
    assert not sent_mail()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_mail_each_judge_once(closing_round):
    """Two workers run the job at the same moment: the UNIQUE row lets one of them mail each judge."""
    round_, drafting, _done, recused = closing_round
    Conflict.objects.filter(judge=recused).delete()
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            results.append(tasks.remind_judges(TIMESTAMP, now=at(10)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(results) == 2
    assert len(mails_to(drafting)) == 1 and len(mails_to(recused)) == 1
    assert JudgeReminder.objects.count() == 2


# clear_sessions: expired sessions go -------------------------------------------------------------------------


@pytest.mark.django_db
def test_clear_sessions_removes_expired_sessions_only():
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now - datetime.timedelta(seconds=1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=now + datetime.timedelta(hours=1))
    periodic.clear_sessions(TIMESTAMP)
    periodic.clear_sessions(TIMESTAMP)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


# The real engine: a worker process publishes an embargoed announcement by itself ------------------------------

SMTP_PORT = 8331  # this area's port range (8330-8349)


class _Inbox:
    """aiosmtpd handler: keeps every message the loopback SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m.rcpt_tos]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_publishes_an_embargoed_announcement_by_itself(client, tmp_path):
    """Only a `manage.py procrastinate worker` runs (as `make run` starts it), against the test database, mailing
    through a real SMTP server on the loopback. Its periodic deferrer runs publish_due every 2 seconds here
    (PUBLISH_DUE_CRON with a seconds field; in production every minute): the announcement stays unpublished until its
    embargo ends, then its outcome mail arrives, once, and its records are built."""
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    innovator = InnovatorFactory(agency=entries["E1"].agency, agency_confirmed_at=timezone.now())
    embargo = timezone.now() + datetime.timedelta(seconds=12)
    announcement = published(round_, a, b, embargo_until=embargo)
    public_url = reverse("judging:public_announcement", args=[announcement.pk])
    assert client.get(public_url).status_code == 404
    inbox = _Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PUBLISH_DUE_CRON": "* * * * * */2",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "LOG_LEVEL": "INFO",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "procrastinate", "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        while timezone.now() < embargo - datetime.timedelta(seconds=1):  # the worker runs; nothing is due yet
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.5)
        announcement.refresh_from_db()
        assert announcement.notified_at is None and not inbox.to(innovator.email)
        deadline = embargo + datetime.timedelta(seconds=60)
        while timezone.now() < deadline and not inbox.to(innovator.email):
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.5)
        assert inbox.to(innovator.email), (tmp_path / "worker.log").read_text()
        published_after = timezone.now() - embargo
        time.sleep(5)  # more runs of publish_due: nothing more is sent
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        smtp.stop()
        log.close()
    assert published_after < datetime.timedelta(seconds=60)
    assert len(inbox.to(innovator.email)) == 1
    announcement = Announcement.objects.get(pk=announcement.pk)
    assert announcement.notified_at is not None and announcement.notified_at >= embargo
    assert sorted(RecordEntry.objects.values_list("entry__code", flat=True)) == ["E1", "E2"]
    assert client.get(public_url).status_code == 200
