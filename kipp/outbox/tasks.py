"""The worker's side of the outbox: jobs that send queued notifications (kipp.outbox.services), retried with an
exponential backoff while the mail server is away. The job of a worker that died mid-batch is run again by
kipp.jobs.retry_stalled_jobs (for every queue); its notifications already sent are skipped."""

import logging

from django.conf import settings
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from kipp.outbox import services
from kipp.outbox.queue import QUEUE, SEND_TASK

logger = logging.getLogger(__name__)


@app.task(
    name=SEND_TASK,
    queue=QUEUE,
    pass_context=True,
    retry=RetryStrategy(
        max_attempts=settings.MAIL_RETRY_ATTEMPTS,
        exponential_wait=settings.MAIL_RETRY_WAIT,
        retry_exceptions=[services.MailServerUnavailable],
    ),
)
def send_notifications(context, ids):
    """Send the queued notifications of `ids`. On the last try, those the server still does not take are marked
    failed (an organiser can resend them from the outbox page)."""
    final = context.job.attempts + 1 >= settings.MAIL_RETRY_ATTEMPTS
    counts = services.send_notifications(ids=ids, final=final)
    logger.info("outbox batch of %s: %s", len(ids), counts)
