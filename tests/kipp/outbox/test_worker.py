"""The outbox on the real engine: a `manage.py procrastinate worker` process against the test database, a real SMTP
server (aiosmtpd) on the loopback that is stopped and started. Mail queued while the server is down arrives once it
is back, exactly once per recipient; a rolled-back change sends nothing; a worker killed mid-batch leaves a job that
the next worker runs again, and each mail still arrives once; `manage.py send_queued_mail` does the same by hand."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction
from django.urls import reverse

from kipp.mail import send_templated_mail, send_templated_mails, templated_message
from kipp.models import Notification
from tests.factories import CompetitionFactory, OrganiserFactory
from tests.faults.servers import database_url
from tests.pages import page_body

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
SMTP_PORT = 8311
TEMPLATE = "judging/publication/email/objection_answered"


def _context(n):
    return {"objection": {"name": f"Warga {n}", "announcement": {"number": "065"}, "entry": {"code": "E1"}}, "url": "x"}


class Recorder:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.extend((to, envelope.content) for to in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def recipients(self):
        return Counter(to for to, _content in self.messages)


class SMTPServer:
    """An SMTP server on 127.0.0.1:SMTP_PORT that can be stopped (connections refused) and started again."""

    def __init__(self):
        self.recorder = Recorder()
        self.controller = None

    def start(self):
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.stop()


def _env(**extra):
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}?timeout=3",
        "MAIL_RETRY_WAIT": "1",  # 1 ** n: a retry every second
        "MAIL_RETRY_ATTEMPTS": "60",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture
def workers(tmp_path):
    """Start `manage.py procrastinate worker` processes; every one still running is stopped at the end."""
    started = []

    def start(**extra):
        log = open(tmp_path / f"worker{len(started)}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            cwd=ROOT,
            env=_env(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append((process, log))
        return process

    with connection.cursor() as cursor:  # jobs left by earlier tests name notifications that are gone
        cursor.execute("DELETE FROM procrastinate_jobs")
    yield start
    for process, log in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")


def _wait(condition, timeout=40, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _states():
    return Counter(Notification.objects.values_list("state", flat=True))


def _queue(competition, addresses):
    """One event that mails these addresses: one job (up to OUTBOX_BATCH_SIZE)."""
    send_templated_mails(
        templated_message(to=address, template=TEMPLATE, context=_context(n), competition=competition)
        for n, address in enumerate(addresses)
    )


def test_mail_queued_while_the_server_is_down_arrives_once_it_is_back_and_once_per_recipient(smtp, workers, client):
    competition = CompetitionFactory()
    addresses = [f"peserta{n}@example.org" for n in range(6)]
    workers()
    _queue(competition, addresses)
    with pytest.raises(RuntimeError), transaction.atomic():  # a change that is rolled back mails nobody
        send_templated_mail(to="rolled-back@example.org", template=TEMPLATE, context=_context(9))
        raise RuntimeError
    _wait(lambda: Notification.objects.filter(attempts__gte=2).exists(), what="tries against the stopped server")
    assert _states() == {"queued": 6}
    assert "Connection refused" in Notification.objects.filter(attempts__gte=1).first().last_error
    smtp.start()
    _wait(lambda: _states() == {"sent": 6}, what="all sent")
    time.sleep(1.5)  # a duplicate would be here by now
    assert smtp.recorder.recipients() == dict.fromkeys(addresses, 1)
    assert not Notification.objects.filter(address="rolled-back@example.org").exists()
    client.force_login(OrganiserFactory())
    body = page_body(client.get(reverse("kipp:outbox", args=[competition.slug])))
    assert "Terkirim: 6" in body and "Dalam antrean: 0" in body and "Gagal: 0" in body
    assert body.count('data-state="sent"') == 7  # six rows and the count


def test_a_worker_killed_mid_batch_then_a_new_worker_sends_each_mail_once(smtp, workers):
    smtp.start()
    competition = CompetitionFactory()
    addresses = [f"juri{n}@example.org" for n in range(10)]
    _queue(competition, addresses)  # one job of ten
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs")
        assert cursor.fetchone() == (1,)
    first = workers(MAIL_SEND_INTERVAL="0.5")
    _wait(lambda: _states()["sent"] >= 3, what="three sent")
    os.killpg(first.pid, signal.SIGKILL)  # in its pause after a commit: no mail is half-sent
    first.wait()
    sent_before = _states()["sent"]
    assert 3 <= sent_before < 10
    # The next worker finds the dead one's job stalled (no heartbeat for WORKER_STALLED_SECONDS) and runs it again
    # (kipp.jobs.retry_stalled_jobs, every 10 s).
    workers(WORKER_STALLED_SECONDS="3")
    _wait(lambda: _states() == {"sent": 10}, timeout=60, what="the rest sent by the next worker")
    time.sleep(1)
    assert smtp.recorder.recipients() == dict.fromkeys(addresses, 1)


def test_send_queued_mail_sends_each_queued_mail_once_without_a_worker(smtp):
    smtp.start()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
    _queue(CompetitionFactory(), ["a@example.org", "b@example.org"])

    def run():
        return subprocess.run(
            [sys.executable, "manage.py", "send_queued_mail"], cwd=ROOT, env=_env(), capture_output=True, text=True
        )

    first, second = run(), run()
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "sent: 2"
    assert second.stdout.strip() == "nothing queued"
    assert smtp.recorder.recipients() == {"a@example.org": 1, "b@example.org": 1}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
