"""Periodic jobs of entries (procrastinate; see kipp/periodic.py for how they are deferred once per time).

- remind_drafts, hourly at minute 23: innovators with a draft hear 3 days before the competition's deadline
  (entries.reminders.services.remind_drafts); once per person, competition and kind (a UNIQUE row written in the
  transaction of the mail), so a second or concurrent run sends nothing.
"""

from django.utils import timezone
from procrastinate.contrib.django import app

from entries.reminders.services import remind_drafts as remind_innovators_of_drafts

REMIND_DRAFTS_CRON = "23 * * * *"


@app.periodic(cron=REMIND_DRAFTS_CRON)
@app.task(queueing_lock="entries.remind_drafts")
def remind_drafts(timestamp, *, now=None):
    """The reminders to innovators whose drafts are still not submitted 3 days before the deadline. Returns the
    number of mails."""
    return remind_innovators_of_drafts(now=now or timezone.now())
