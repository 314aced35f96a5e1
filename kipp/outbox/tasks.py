"""The worker's side of the outbox: jobs that send queued notifications (kipp.outbox.services), retried with an
exponential backoff while the mail server is away, and a periodic job that runs again the jobs of a worker that
died (killed mid-batch: its job stays "doing" for procrastinate until someone retries it)."""

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


@app.periodic(cron=settings.MAIL_STALLED_CRON, periodic_id="outbox-stalled")
@app.task(name="kipp.outbox.retry_stalled_sends", queue=QUEUE, pass_context=True)
async def retry_stalled_sends(context, timestamp):
    """Once a minute (MAIL_STALLED_CRON): the send jobs of workers that stopped sending heartbeats (killed, crashed)
    are run again; their notifications that were sent are skipped (kipp.outbox.services)."""
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs(task_name=SEND_TASK, seconds_since_heartbeat=settings.MAIL_STALLED_AFTER):
        logger.warning("retrying stalled outbox job %s", job.id)
        await manager.retry_job(job)
