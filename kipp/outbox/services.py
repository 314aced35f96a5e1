"""Sending the outbox (the worker's job, kipp.outbox.tasks, and `manage.py send_queued_mail`), and an organiser's
"resend" of a failed mail.

Exactly once, as far as a mail server allows: each notification is sent inside a transaction that holds its row
(SELECT ... FOR UPDATE SKIP LOCKED, state still "queued"), and is marked sent in that same transaction right after
the server accepted the message. Two workers, a retried job and a stalled one that is run again never send the same
row twice: the second finds it locked or no longer queued. The one gap is a crash (a killed worker, a lost database
connection) between the server's "250 accepted" and our COMMIT, a millisecond: the row is still queued and is sent
again by the retry. We chose "at least once" there over "at most once" (marking it "sending" first and never
retrying it), because a lost outcome mail is worse than a second one; the message keeps its Message-ID on every try,
so mail clients that dedupe show it once.
"""

import contextlib
import logging
import smtplib
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kipp import mail
from kipp.outbox import context as mail_context
from kipp.outbox.enums import NotificationState
from kipp.outbox.models import Notification
from kipp.services import record_event

logger = logging.getLogger(__name__)


class MailServerUnavailable(Exception):
    """The mail server did not take a message: the job is retried later (procrastinate RetryStrategy)."""


def _error_text(exc):
    return f"{type(exc).__name__}: {exc}"[:2000]


def send_notification(*, notification_id, connection, final=False, objects=None):
    """Send one queued notification (`objects`: the instances its context names, context.preload). Returns
    "sent", "skipped" (not queued any more, or held by another worker), "failed" (it cannot be sent: refused
    address, deleted object, broken template) or "retry" (the server is not available; with `final` the
    notification is marked failed instead)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, state=NotificationState.QUEUED)
            .first()
        )
        if notification is None:
            return "skipped"
        notification.attempts += 1
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
            notification.last_error = _error_text(exc)
            notification.save(update_fields=["attempts", "last_error"])
            return "retry"
        notification.state = NotificationState.SENT
        notification.sent_at = timezone.now()
        notification.subject_line = message.subject[:300]
        notification.last_error = ""
        notification.context = {}  # it may hold one-time links (password reset, invitation): not kept once sent
        notification.save(update_fields=["state", "sent_at", "subject_line", "last_error", "context", "attempts"])
    return "sent"


def _mark_failed(notification, exc):
    notification.state = NotificationState.FAILED
    notification.last_error = _error_text(exc)
    notification.save(update_fields=["state", "attempts", "last_error"])
    return "failed"


def send_notifications(*, ids, final=False):
    """Send the queued ones of `ids` over one connection, in order. Stops at the first that the server did not
    take and raises MailServerUnavailable (the rest stay queued for the retry), unless `final`: then each one that
    is not taken is marked failed. The objects their contexts name are loaded first, for the batch (one query per
    model); each mail is still locked, sent and marked sent in its own transaction. Returns {outcome: count}."""
    counts = {}
    objects = mail_context.preload(
        Notification.objects.filter(pk__in=ids, state=NotificationState.QUEUED).values_list("context", flat=True)
    )
    connection = mail.open_connection()
    pause = settings.MAIL_SEND_INTERVAL
    try:
        for notification_id in ids:
            outcome = send_notification(
                notification_id=notification_id, connection=connection, final=final, objects=objects
            )
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome == "retry":
                raise MailServerUnavailable(f"{counts} of a batch of {len(ids)}")
            if outcome == "sent" and pause:
                time.sleep(pause)  # a provider's rate limit
    finally:
        with contextlib.suppress(Exception):  # a connection that never opened or already broke
            connection.close()
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
