"""Sending the outbox (the worker's job, kipp.outbox.tasks, and `manage.py send_queued_mail`), and an organiser's
"resend" of a failed mail.

Exactly once, as far as a mail server allows: a batch first claims its notifications, each with a session-level
PostgreSQL advisory lock (LOCK_NAMESPACE, the notification's id) taken only where it is free, and reads again which
of them are still "queued" (after the lock: a row another worker sent and released is seen as sent). Each claimed
one is rendered, handed to the server and marked sent by one UPDATE (autocommit: it is committed before the next
mail) right after the server accepted it; the locks are released when the batch ends, or with the connection when a
worker dies. Two workers, a retried job and a stalled one that is run again never send the same row twice: the
second finds it claimed or no longer queued. The one gap is a crash (a killed worker, a lost database connection)
between the server's "250 accepted" and our UPDATE, a millisecond: the row is still queued and is sent again by the
retry. We chose "at least once" there over "at most once" (marking it "sending" first and never retrying it),
because a lost outcome mail is worse than a second one; the message keeps its Message-ID on every try, so mail
clients that dedupe show it once.

Cost per mail (measured by `make bench`, section publishing): one UPDATE, the rendering and the SMTP exchange over
the batch's one connection; the claim, the objects the contexts name and the release are a few statements per batch.
"""

import contextlib
import logging
import smtplib
import time

from django.conf import settings
from django.db import connection as db
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kipp import mail
from kipp.outbox import context as mail_context
from kipp.outbox.enums import NotificationState
from kipp.outbox.models import Notification
from kipp.services import record_event

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 1_414_090_002  # pg advisory lock key space of outbox rows (kipp.jobs uses 1_414_090_001)
# The lock's second key is the id (modulo the integer range: two ids that share a key only wait for each other).
_CLAIM = """
    WITH queued AS MATERIALIZED (
        SELECT n.id FROM kipp_notification n WHERE n.id = ANY(%s) AND n.state = 'queued'
    )
    SELECT n.id FROM queued n WHERE pg_try_advisory_lock(%s, (n.id %% 2147483647)::integer)
"""
_RELEASE = "SELECT pg_advisory_unlock(%s, (n.id %% 2147483647)::integer) FROM unnest(%s::bigint[]) AS n(id)"


class MailServerUnavailable(Exception):
    """The mail server did not take a message: the job is retried later (procrastinate RetryStrategy)."""


def _error_text(exc):
    return f"{type(exc).__name__}: {exc}"[:2000]


def _claim(ids):
    """The ids of `ids` this process now holds (advisory lock) that are still queued, in the order of `ids`, and
    the ids it locked (to release, also those found sent meanwhile)."""
    with db.cursor() as cursor:
        cursor.execute(_CLAIM, [list(ids), LOCK_NAMESPACE])
        locked = [row[0] for row in cursor.fetchall()]
    # Read again after the locks: a row that another worker sent and released before we locked it is seen as sent.
    queued = set(
        Notification.objects.filter(pk__in=locked, state=NotificationState.QUEUED).values_list("pk", flat=True)
    )
    return [pk for pk in ids if pk in queued], locked


def _release(locked):
    if locked:
        with db.cursor() as cursor:
            cursor.execute(_RELEASE, [LOCK_NAMESPACE, list(locked)])


def _update(notification, **fields):
    """One UPDATE of a claimed row (still queued), attempts counted."""
    Notification.objects.filter(pk=notification.pk, state=NotificationState.QUEUED).update(
        attempts=F("attempts") + 1, **fields
    )


def send_notification(notification, *, connection, final=False, objects=None):
    """Send one claimed notification (`objects`: the instances its context names, context.preload). Returns
    "sent", "failed" (it cannot be sent: refused address, deleted object, broken template) or "retry" (the server
    is not available; with `final` the notification is marked failed instead)."""
    try:
        message = mail.render_notification(notification, objects=objects)
    except Exception as exc:  # noqa: BLE001 - whatever breaks the rendering, the row says it and the job goes on
        logger.exception("notification %s cannot be rendered", notification.pk)
        return _mark_failed(notification, exc)
    try:
        mail.deliver(message, connection=connection)
    except smtplib.SMTPRecipientsRefused as exc:
        return _mark_failed(notification, exc)
    except Exception as exc:  # noqa: BLE001 - the server is down or said "try later": the job is retried
        logger.warning("notification %s not sent: %s", notification.pk, exc)
        if final:
            return _mark_failed(notification, exc)
        _update(notification, last_error=_error_text(exc))
        return "retry"
    # it may hold one-time links (password reset, invitation): the context is not kept once sent
    _update(
        notification,
        state=NotificationState.SENT,
        sent_at=timezone.now(),
        subject_line=message.subject[:300],
        last_error="",
        context={},
    )
    return "sent"


def _mark_failed(notification, exc):
    _update(notification, state=NotificationState.FAILED, last_error=_error_text(exc))
    return "failed"


def send_notifications(*, ids, final=False):
    """Send the queued ones of `ids` over one connection, in order. Stops at the first that the server did not
    take and raises MailServerUnavailable (the rest stay queued for the retry), unless `final`: then each one that
    is not taken is marked failed. Those held by another worker are skipped. The notifications and the objects
    their contexts name are read once for the batch (one query per model). Returns {outcome: count}. Run outside a
    transaction (as the worker and the command do): each mail's UPDATE is then committed at once."""
    counts = {}
    claimed, locked = _claim(ids)
    try:
        if len(claimed) < len(ids):
            counts["skipped"] = len(ids) - len(claimed)
        rows = Notification.objects.in_bulk(claimed)
        objects = mail_context.preload(row.context for row in rows.values())
        connection = mail.open_connection()
        pause = settings.MAIL_SEND_INTERVAL
        try:
            for pk in claimed:
                outcome = send_notification(rows[pk], connection=connection, final=final, objects=objects)
                counts[outcome] = counts.get(outcome, 0) + 1
                if outcome == "retry":
                    raise MailServerUnavailable(f"{counts} of a batch of {len(ids)}")
                if outcome == "sent" and pause:
                    time.sleep(pause)  # a provider's rate limit
        finally:
            with contextlib.suppress(Exception):  # a connection that never opened or already broke
                connection.close()
    finally:
        _release(locked)
    return counts


def run_queued_mail(*, competition=None):
    """Send every queued notification now, in this process, through the same code as the worker (for
    `manage.py send_queued_mail` when no worker runs, and for tests). Returns {outcome: count}."""
    queued = Notification.objects.filter(state=NotificationState.QUEUED)
    if competition is not None:
        queued = queued.filter(competition=competition)
    ids = list(queued.order_by("id").values_list("id", flat=True))
    if not ids:
        return {}
    try:
        return send_notifications(ids=ids)
    except MailServerUnavailable as exc:
        logger.warning("mail server unavailable: %s", exc)
        return {"retry": 1}


def resend_notification(*, notification, actor, request=None):
    """An organiser sends a failed mail again: queued anew with a fresh count of attempts (audited)."""
    from kipp.outbox.queue import defer_sending

    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.state != NotificationState.FAILED:
            return locked
        locked.state = NotificationState.QUEUED
        locked.attempts = 0
        locked.save(update_fields=["state", "attempts"])
        defer_sending([locked.pk])
        record_event(
            actor=actor,
            action="outbox.resent",
            obj=locked,
            details={"kind": locked.kind, "address": locked.address, "last_error": locked.last_error[:300]},
            request=request,
        )
    return locked
