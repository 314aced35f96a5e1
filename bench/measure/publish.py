"""7. Publishing to every entrant (issue 14): the approve request of an announcement version at 141 entrants (S) and at
3,500 (P), and the time until a real worker has delivered every outcome mail to an SMTP server on the loopback.

Each run publishes a new version (a correction of the last one, prepared and submitted untimed) of the round's
announcement: its approval by the second organiser is the timed request (it defers one job, judging.tasks.go_public;
nothing in it scales with the entrants). Then a `manage.py procrastinate worker` process runs that job (one outcome
mail per entrant queued in the outbox) and sends the mails to an aiosmtpd server in this process; the figure is the
time from the approval to the last mail received, and every entrant's mail must arrive once.
"""

import email
import os
import subprocess
import sys
import threading
import time
from collections import Counter

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.measure.common import BASE_DIR, Row, bench_round, median, ms, secs
from bench.measure.server import bench_env, free_port
from kipp.models import Notification, User

TIMEOUT_SECONDS = 180
APPROVALS = 3


class _Inbox:
    """The mails received: those of the measured announcement's outcome (Message-ID "<outcome.<announcement id>.",
    kipp.mail._headers) counted by Message-ID, any other mail the worker sends meanwhile (a periodic reminder) apart."""

    def __init__(self, prefix):
        self.lock = threading.Lock()
        self.prefix = prefix
        self.message_ids = Counter()  # a mail sent twice arrives twice with the same Message-ID
        self.others = 0
        self.last = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        message_id = message.get("Message-ID", "")
        with self.lock:
            if not message_id.startswith(self.prefix):
                self.others += 1
                return "250 OK"
            self.message_ids[(message_id, tuple(envelope.rcpt_tos))] += 1
            self.last = time.perf_counter()
        return "250 OK"


def _confirm_innovators():
    """The benchmark's innovators are confirmed members of their agencies (outcome mails go to those)."""
    User.objects.filter(
        email__endswith="@bench.kipp.id", agency__isnull=False, agency_confirmed_at__isnull=True
    ).update(agency_confirmed_at=timezone.now())


def _clear_outbox():
    """Nothing queued from earlier steps (the seeding's own publication): the figure is this version's mails only."""
    Notification.objects.filter(state="queued").delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE status = 'todo'")


def _new_version(comp):
    """A new version of the round's published announcement, submitted for approval (untimed). Returns it."""
    from bench.seed import ensure_organiser, ensure_published, ensure_second_organiser
    from judging.models import Announcement
    from judging.publication import services as publication

    ensure_published(comp)
    round_ = bench_round(comp)
    latest = Announcement.objects.filter(round=round_, state="published").order_by("-version").first()
    preparer = ensure_organiser()
    correction = publication.prepare_correction(
        announcement=latest, actor=preparer, correction_note=f"Versi uji beban {timezone.now():%H:%M:%S}."
    )
    publication.submit_for_approval(announcement=correction, actor=preparer)
    return correction, ensure_second_organiser()


def approve_request(comp, *, settle=False):
    """(seconds, announcement, start) of one approval request through the page. `settle`: then do untimed, in this
    process, what the worker would do (queue the mails, defer the records) and drop it, so that nothing of this
    version is left for the worker of the delivery figure."""
    from judging.publication.services import went_public

    correction, approver = _new_version(comp)
    _clear_outbox()
    client = Client()
    client.force_login(approver)
    url = reverse("judging:announcement_action", args=[correction.pk, "approve"])
    client.get(reverse("judging:announcement_manage", args=[correction.pk]))  # untimed: a warm process, as served
    start = time.perf_counter()
    response = client.post(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 302:
        raise RuntimeError(f"approve answered {response.status_code}")
    if settle:
        went_public(announcement=correction, now=timezone.now())
        _clear_outbox()
    return elapsed, correction, start


def _outcome_mails(announcement):
    from django.contrib.contenttypes.models import ContentType

    return Notification.objects.filter(
        kind="outcome", subject_type=ContentType.objects.get_for_model(announcement), subject_id=str(announcement.pk)
    )


def deliver(expected, started, announcement):
    """Run a worker until `expected` outcome mails of `announcement` reached the SMTP server (or TIMEOUT_SECONDS);
    (seconds, inbox)."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox(f"<outcome.{announcement.pk}.")
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    env = bench_env(EMAIL_URL=f"smtp://127.0.0.1:{port}", LOG_LEVEL="WARNING")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while time.monotonic() < deadline and sum(inbox.message_ids.values()) < expected:
            time.sleep(0.2)
        time.sleep(1)  # a duplicate would be here by now
    finally:
        os.killpg(worker.pid, 2)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, 9)
            worker.wait()
        smtp.stop()
    return (inbox.last - started) if inbox.last else float("inf"), inbox


def measure_publish(datasets):
    _confirm_innovators()
    rows = []
    # The median of APPROVALS approvals at each size (each of a new version); the last one at P is left to the worker.
    small = median([approve_request(datasets["S"], settle=True)[0] for _ in range(APPROVALS)])
    large_runs = [approve_request(datasets["P"], settle=True)[0] for _ in range(APPROVALS - 1)]
    last, announcement, started = approve_request(datasets["P"])
    large = median([*large_runs, last])
    entrants = bench_round(datasets["P"]).round_entries.count()
    ratio = large / small if small else float("inf")
    rows.append(
        Row(
            "publishing",
            f"approve request of a version of the announcement (median of {APPROVALS}): at S (141 entrants) / at P "
            f"({entrants:,}) / ratio",
            f"{ms(small)} / {ms(large)} / {ratio:.2f}x",
            "<= 200 ms at P, same at S and P (<= 1.5x)",
            large <= 0.200 and ratio <= 1.5,
        )
    )
    took, inbox = deliver(entrants, started, announcement)
    delivered = sum(inbox.message_ids.values())
    twice = sum(1 for n in inbox.message_ids.values() if n > 1)
    mails = _outcome_mails(announcement)
    queued, sent = mails.count(), mails.filter(state="sent").count()
    per_mail = took / delivered if delivered else float("inf")
    rows.append(
        Row(
            "publishing",
            "  worker queues and delivers every outcome mail to a local SMTP server: mails queued / delivered / sent "
            "twice, time (per mail; other mails the worker sent meanwhile)",
            f"{queued:,} / {delivered:,} / {twice}, {secs(took)} ({ms(per_mail)}; {inbox.others:,})",
            "<= 60 s, delivered = queued = entrants",
            took <= 60 and delivered == queued == entrants == sent and twice == 0,
        )
    )
    return rows
