"""Periodic jobs of judging (procrastinate; see kipp/periodic.py for how they are deferred once per time).

- publish_due, every minute (settings.PUBLISH_DUE_CRON): announcements whose embargo has ended go public: the
  innovators' outcome mails and the innovation records (publication.services.send_due_notifications, the service
  of `manage.py publish_due`).
- build_records, hourly at minute 7: the innovation records of every visible announcement are built or refreshed
  (records.services.build_all_records, the service of `manage.py build_records`). Publication already builds them
  when an announcement goes public (signal announcement_published); this job catches any that are missing, e.g.
  after a failure or data restored from a backup.
- remind_judges, every 15 minutes: the 48 h and 24 h reminders before a round closes
  (scoring.reminders.services.remind_judges).

Each job is safe to run twice and concurrently: publish_due and build_records run one at a time on all workers
(kipp.periodic.single_run) and their services are idempotent (notified_at, records matched by entry); a reminder is
sent once per judge, round and kind (a UNIQUE row written in the transaction of the mail).
"""

from django.conf import settings
from django.utils import timezone
from procrastinate.contrib.django import app

from judging.publication.services import send_due_notifications
from judging.records.services import build_all_records
from judging.scoring.reminders.services import remind_judges as remind_judges_of_closing_rounds
from kipp.periodic import single_run

BUILD_RECORDS_CRON = "7 * * * *"
REMIND_JUDGES_CRON = "*/15 * * * *"
PUBLICATION_LOCK = "judging.publication"  # publish_due and build_records both build records: one at a time


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
