"""Publishing on the real engine (issue 14, "done when"): with the SMTP server stopped, an organiser approves the Top
list through the page, which answers at once with nothing queued in it; a `manage.py procrastinate worker` process
runs the approval's job (every innovator's outcome mail queued, the records built); the SMTP server starts and each
innovator's mail arrives once."""

import time

import pytest
from django.urls import reverse

from judging.models import RecordEntry
from judging.publication import services as pub
from kipp.models import Notification
from tests.factories import InnovatorFactory
from tests.judging.publication.helpers import closed_round, organisers, text_fields
from tests.kipp.outbox.test_worker import _states, _wait, smtp, workers  # noqa: F401 - fixtures
from tests.pages import page_body

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_an_approval_answers_at_once_and_the_worker_mails_every_innovator_once(smtp, workers, client):  # noqa: F811
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    innovators = [InnovatorFactory(agency=entry.agency) for entry in entries.values()]
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.submit_for_approval(announcement=announcement, actor=a)
    client.force_login(b)
    response = client.post(reverse("judging:announcement_action", args=[announcement.pk, "approve"]))
    assert response.status_code == 302
    assert not Notification.objects.exists()  # nothing queued, rendered or sent in the request
    workers()
    # the worker runs the approval's job: the mails wait for the stopped SMTP server
    _wait(lambda: _states().get("queued", 0) == 8, what="the outcome mails queued by the worker")
    _wait(lambda: RecordEntry.objects.count() == 2, what="the records of the two selected entries")
    manage = page_body(client.get(reverse("judging:announcement_manage", args=[announcement.pk])))
    assert "dalam antrean 8" in manage
    smtp.start()
    _wait(lambda: _states() == {"sent": 8}, timeout=60, what="every outcome mail sent")
    time.sleep(1.5)  # a duplicate would be here by now
    recipients = smtp.recorder.recipients()
    assert all(recipients[person.email] == 1 for person in innovators)
    assert sum(recipients.values()) == 8  # each entry's author and innovator, once
