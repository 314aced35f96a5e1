"""Deferring the outbox's send jobs (the task itself is kipp.outbox.tasks.send_notifications, run by the worker)."""

from django.conf import settings

from kipp.queue import deferrer

QUEUE = "mail"
SEND_TASK = "kipp.outbox.send_notifications"


def defer_sending(ids):
    """Defer the jobs that send `ids`, OUTBOX_BATCH_SIZE per job, through procrastinate's Django connector: the job
    rows are written by Django's connection, in the caller's transaction, also inside a worker (kipp.queue; one
    INSERT for all the jobs)."""
    size = settings.OUTBOX_BATCH_SIZE
    batches = [{"ids": ids[i : i + size]} for i in range(0, len(ids), size)]
    if batches:
        deferrer(SEND_TASK, queue=QUEUE).batch_defer(*batches)
