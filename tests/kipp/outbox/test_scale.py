"""Publishing to thousands of entrants answers fast: the outcome mails are bulk-inserted with a job per hundred, and
nothing is rendered or sent in the request, in a fixed number of statements whatever the number of entrants. The
time (issue 14: a Top 50 to 3,500 entrants within 200 ms) is measured by `make bench`, not here."""

import datetime

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.publication.services import notify_outcomes
from kipp.models import Notification, User
from tests.judging.publication.helpers import closed_round, organisers, published

pytestmark = pytest.mark.django_db

ENTRANTS = 3500


def _entrants(agencies):
    now = timezone.now()
    User.objects.bulk_create(
        User(
            email=f"entrant{n}@example.org",
            full_name=f"Peserta {n}",
            agency_id=agencies[n % len(agencies)],
            agency_confirmed_at=now,
            is_active=True,
            language="en" if n % 3 == 0 else "id",
        )
        for n in range(ENTRANTS)
    )


def test_the_outcome_mails_of_3500_entrants_are_queued_in_a_few_statements_and_nothing_rendered():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    _entrants([entry.agency_id for entry in entries.values()])
    later = timezone.now() + datetime.timedelta(hours=1)
    announcement = published(round_, a, b, embargo_until=later)  # approved, not public yet: nobody mailed
    assert not Notification.objects.filter(kind="outcome").exists()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    before = _send_jobs()  # a job left by a transactional test before this one is not this test's
    reverse("judging:public_announcement", args=[announcement.pk])  # the URLconf is loaded in a running portal
    rendered = []
    template_rendered.connect(lambda **kw: rendered.append(kw["template"].name), weak=False, dispatch_uid="scale")
    try:
        with CaptureQueriesContext(connection) as ctx:
            queued = notify_outcomes(announcement=announcement, now=later + datetime.timedelta(minutes=1))
    finally:
        template_rendered.disconnect(dispatch_uid="scale")
    assert queued >= ENTRANTS
    assert rendered == []  # nothing is rendered in the request: the worker does it
    assert len(ctx) <= 12  # one INSERT of the rows, one of the jobs, whatever the number of entrants
    assert Notification.objects.filter(kind="outcome", state="queued").count() == queued
    assert _send_jobs() - before == -(-queued // 100)


def _send_jobs():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'kipp.outbox.send_notifications'")
        return cursor.fetchone()[0]
