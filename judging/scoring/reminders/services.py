"""Judges hear 48 h and 24 h before an open round closes while they hold sheets that are not final (assignments
not recused whose sheet is missing or a draft). Run by the periodic job judging.tasks.remind_judges.

Once per judge, round and kind: the JudgeReminder row is inserted in the transaction that queues the mail
(kipp.mail), and its UNIQUE constraint makes a second run, or a concurrent one, find it and send nothing. Only the
reminder that is due is sent: a round opened 20 hours before it closes gets the 24 h reminder, never both at once.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from judging.models import JudgeReminder, Round
from judging.scoring.enums import RoundState
from judging.scoring.queries.progress import judge_progress
from judging.scoring.reminders.models import JudgeReminderKind
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.services import record_event

# (kind, how long before the close it is due), the nearest first
SCHEDULE = [
    (JudgeReminderKind.BEFORE_24H, datetime.timedelta(hours=24)),
    (JudgeReminderKind.BEFORE_48H, datetime.timedelta(hours=48)),
]
FARTHEST = max(ahead for _kind, ahead in SCHEDULE)


def due_reminder(closes_at, now):
    """The kind of reminder due for a round closing at `closes_at` (None: none is due, or it has closed)."""
    left = closes_at - now
    if left <= datetime.timedelta(0):
        return None
    return next((kind for kind, ahead in SCHEDULE if left <= ahead), None)


def remind_judges(*, now=None):
    """Mail the due reminder to every judge of every open round closing within 48 h who holds sheets that are not
    final and has not had that reminder. Safe to run twice or concurrently. Returns the number of mails."""
    now = now or timezone.now()
    rounds = Round.objects.filter(
        state=RoundState.OPEN, closes_at__gt=now, closes_at__lte=now + FARTHEST
    ).select_related("competition")
    return sum(remind_round_judges(round_=round_, now=now) for round_ in rounds)


def remind_round_judges(*, round_, now):
    kind = due_reminder(round_.closes_at, now)
    if kind is None or round_.state != RoundState.OPEN:
        return 0
    reminded = set(JudgeReminder.objects.filter(round=round_, kind=kind).values_list("judge_id", flat=True))
    waiting = [
        (row["judge"], row["assigned"] - row["final"])
        for row in judge_progress(round_)
        if row["assigned"] > row["final"] and row["judge"].pk not in reminded
    ]
    url = absolute_url(reverse("judging:queue", args=[round_.competition.slug, round_.slug]))
    sent = 0
    for judge, pending in waiting:
        if judge.is_active and judge.email:
            sent += _remind(round_=round_, judge=judge, kind=kind, pending=pending, url=url)
    if sent:
        record_event(
            actor=None, action="judging.judges_reminded", obj=round_, details={"kind": str(kind), "judges": sent}
        )
    return sent


def _remind(*, round_, judge, kind, pending, url):
    """The row and the mail in one transaction; nothing when the row is there already (another run sent it)."""
    with transaction.atomic():
        _reminder, created = JudgeReminder.objects.get_or_create(
            round=round_, judge=judge, kind=kind, defaults={"closes_at": round_.closes_at, "pending": pending}
        )
        if not created:
            return 0
        send_templated_mails(
            [
                templated_message(
                    to=judge.email,
                    template="judging/scoring/email/closing_reminder",
                    context={
                        "name": judge.full_name,
                        "round": round_.name,
                        "competition": round_.competition.name,
                        "closes_at": round_.closes_at,
                        "hours": 24 if kind == JudgeReminderKind.BEFORE_24H else 48,
                        "pending": pending,
                        "url": url,
                    },
                    language=judge.language,
                )
            ]
        )
    return 1
