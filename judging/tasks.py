"""Periodic jobs of judging (procrastinate; see kipp/periodic.py for how they are deferred once per time).

- publish_due, every minute (settings.PUBLISH_DUE_CRON): announcements whose embargo has ended go public: the
  innovators' outcome mails and the innovation records (publication.services.send_due_notifications, the service
  of `manage.py publish_due`).
- build_records, hourly at minute 7: the innovation records of every visible announcement are built or refreshed
  (records.services.build_all_records, the service of `manage.py build_records`). Publication already builds them
  when an announcement goes public (signal announcement_published); this job catches any that are missing, e.g.
  after a failure or data restored from a backup.
- go_public, deferred by an approval whose announcement is visible at once (publication.services
  .defer_going_public): the innovators' outcome mails are queued and announcement_published is sent.
- build_announcement_records, deferred on announcement_published (records/receivers.py): the records of that
  announcement only; when publish_due or build_records holds the lock it is retried a few seconds later.
- remind_judges, every 15 minutes: the 48 h and 24 h reminders before a round closes
  (scoring.reminders.services.remind_judges).

Each job is safe to run twice and concurrently: publish_due and build_records run one at a time on all workers
(kipp.periodic.single_run) and their services are idempotent (notified_at, records matched by entry); a reminder is
sent once per judge, round and kind (a UNIQUE row written in the transaction of the mail).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from judging.models import Announcement
from judging.publication.services import send_due_notifications
from judging.publication.services.notifications import GO_PUBLIC_TASK, went_public_job
from judging.publication.services.notifications import QUEUE as PUBLICATION_QUEUE
from judging.records.receivers import BUILD_TASK
from judging.records.services import build_all_records, build_announcement_records
from judging.scoring.reminders.services import remind_judges as remind_judges_of_closing_rounds
from kipp.periodic import single_run

BUILD_RECORDS_CRON = "7 * * * *"
REMIND_JUDGES_CRON = "*/15 * * * *"
PUBLICATION_LOCK = "judging.publication"  # publish_due and build_records both build records: one at a time


class PublicationBusy(Exception):
    """Another job holds PUBLICATION_LOCK: the record build is retried shortly."""


@app.task(name=GO_PUBLIC_TASK, queue=PUBLICATION_QUEUE)
def go_public(*, announcement_id, now):
    """An approved, visible announcement goes public (outcome mails queued, records deferred). Returns the number
    of mails queued (0 when they were queued before: notified_at)."""
    return went_public_job(announcement_id=announcement_id, now=now)


@app.task(
    name=BUILD_TASK,
    queue=PUBLICATION_QUEUE,
    retry=RetryStrategy(max_attempts=60, wait=5, retry_exceptions={PublicationBusy}),
)
def build_announcement_records_job(*, announcement_id, now=None):
    """The innovation records of one announcement that went public. Returns how many records it touched."""
    with single_run(PUBLICATION_LOCK) as alone:
        if not alone:
            raise PublicationBusy(f"records of announcement {announcement_id}: another publication job is at work")
        announcement = Announcement.objects.select_related("round").filter(pk=announcement_id).first()
        if announcement is None:
            return 0
        moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
        return len(build_announcement_records(announcement=announcement, now=max(moment, timezone.now())))


@app.periodic(cron=settings.PUBLISH_DUE_CRON)
@app.task(queueing_lock="judging.publish_due")
def publish_due(timestamp, *, now=None):
    """Announcements whose embargo has passed go public (outcome mails, records). `now`: the moment to act as
    (default: the current time, not the scheduled `timestamp`, in case the job starts late). Returns the number of
    mails, or None when another run is at work."""
    with single_run(PUBLICATION_LOCK) as alone:
        if alone:
            return send_due_notifications(now=now or timezone.now())
    return None


@app.periodic(cron=BUILD_RECORDS_CRON)
@app.task(queueing_lock="judging.build_records")
def build_records(timestamp, *, now=None):
    """Build or refresh the innovation records of every visible announcement. Returns how many records it touched,
    or None when another run (or publish_due) is at work."""
    with single_run(PUBLICATION_LOCK) as alone:
        if alone:
            return len(build_all_records(now=now or timezone.now()))
    return None


@app.periodic(cron=REMIND_JUDGES_CRON)
@app.task(queueing_lock="judging.remind_judges")
def remind_judges(timestamp, *, now=None):
    """The due closing reminders to judges with sheets that are not final. Returns the number of mails."""
    return remind_judges_of_closing_rounds(now=now or timezone.now())
