"""The outbox's services: mail is queued with its job in the caller's transaction, sent once, in the recipient's
language, and failures are kept and can be resent (kipp.mail, kipp.outbox)."""

import datetime
import json

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from kipp.mail import send_templated_mail, send_templated_mails, templated_message
from kipp.models import AuditEvent, Notification
from kipp.outbox import context as mail_context
from kipp.outbox.services import resend_notification, run_queued_mail, send_notifications
from tests.factories import CompetitionFactory, EntryFactory, InnovatorFactory, OrganiserFactory
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db

TEMPLATE = "judging/publication/email/objection_answered"


def _jobs(ids=None):
    with connection.cursor() as cursor:
        cursor.execute("SELECT args::text FROM procrastinate_jobs WHERE task_name = 'kipp.outbox.send_notifications'")
        rows = [json.loads(row[0])["ids"] for row in cursor.fetchall()]
        return [r for r in rows if ids is None or set(r) & set(ids)]


def _context(number="065/134/II/B"):
    return {"objection": {"name": "Warga", "announcement": {"number": number}, "entry": {"code": "E1"}}, "url": "x"}


def test_a_mail_is_a_queued_notification_with_its_job_and_nothing_is_sent_in_the_request():
    assert send_templated_mail(to="w@example.org", template=TEMPLATE, context=_context(), language="en") == 1
    assert mail.outbox == []
    notification = Notification.objects.get(address="w@example.org")
    assert (notification.state, notification.kind, notification.language, notification.attempts) == (
        "queued",
        "other",
        "en",
        0,
    )
    assert _jobs([notification.pk]) == [[notification.pk]]
    [message] = sent_mail()
    assert message.subject == "Answer to your objection: 065/134/II/B"
    notification.refresh_from_db()
    assert notification.state == "sent"
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert notification.subject_line == "Answer to your objection: 065/134/II/B"
    assert notification.context == {}  # one-time links are not kept once sent


def test_a_rolled_back_change_queues_nothing():
    before = len(_jobs())
    with pytest.raises(RuntimeError), transaction.atomic():
        send_templated_mail(to="w@example.org", template=TEMPLATE, context=_context())
        raise RuntimeError("the change fails after its mail was queued")
    assert not Notification.objects.exists()
    assert len(_jobs()) == before
    assert sent_mail() == []


def test_the_same_key_is_never_queued_twice():
    first = send_templated_mail(to="w@example.org", template=TEMPLATE, context=_context(), key="outcome:1:2:3")
    again = send_templated_mail(to="w@example.org", template=TEMPLATE, context=_context("x"), key="outcome:1:2:3")
    assert (first, again) == (1, 0)
    assert Notification.objects.count() == 1
    assert len(sent_mail()) == 1
    assert send_templated_mail(to="w@example.org", template=TEMPLATE, context=_context(), key="outcome:1:2:3") == 0
    assert len(sent_mail()) == 1


def test_many_mails_are_one_insert_and_a_job_per_hundred(settings, django_assert_max_num_queries):
    messages = [
        templated_message(to=f"p{n}@example.org", template=TEMPLATE, context=_context(), key=f"t:{n}")
        for n in range(250)
    ]
    with django_assert_max_num_queries(6):
        assert send_templated_mails(messages) == 250
    ids = list(Notification.objects.order_by("id").values_list("id", flat=True))
    assert sorted(len(batch) for batch in _jobs(ids)) == [50, 100, 100]
    assert sorted(i for batch in _jobs(ids) for i in batch) == ids


def test_the_context_keeps_ids_and_values_and_renders_them_as_they_are_at_send_time():
    entry = EntryFactory(title="Sapa Masyarakat")
    moment = timezone.make_aware(datetime.datetime(2026, 12, 1, 1, 30), datetime.UTC)
    stored = mail_context.to_json(
        {"entry": entry, "status": mail_context.label(entry, "status"), "when": mail_context.wita(moment), "n": 2}
    )
    assert stored["entry"] == {"$model": "entries.entry", "pk": entry.pk}
    loaded = mail_context.from_json(stored)
    assert loaded["entry"] == entry
    assert str(loaded["when"]) == "1 Desember 2026, 09:30 WITA"
    assert str(loaded["status"]) == entry.get_status_display()
    with pytest.raises(TypeError):
        mail_context.to_json({"callable": entry.get_status_display})


def test_a_mail_about_a_deleted_object_fails_with_the_reason():
    innovator = InnovatorFactory()
    send_templated_mail(
        to="x@example.org",
        template="kipp/email/verify_email",
        context={"user": innovator, "link": "l", "valid_days": 3},
    )
    Notification.objects.filter(address="x@example.org").update(
        context={"user": {"$model": "kipp.user", "pk": 10**9}, "link": "l", "valid_days": 3}
    )
    assert sent_mail() == []
    notification = Notification.objects.get(address="x@example.org")
    assert notification.state == "failed"
    assert "no longer exists" in notification.last_error


def test_a_mail_server_that_is_down_leaves_the_mails_queued_then_the_last_try_marks_them_failed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    for n in range(3):
        send_templated_mail(to=f"p{n}@example.org", template=TEMPLATE, context=_context())
    ids = list(Notification.objects.order_by("id").values_list("id", flat=True))
    assert run_queued_mail() == {"retry": 1}
    assert list(Notification.objects.order_by("id").values_list("state", "attempts")) == [
        ("queued", 1),
        ("queued", 0),  # the batch stops at the first refusal: the rest wait for the retry
        ("queued", 0),
    ]
    assert send_notifications(ids=ids, final=True) == {"failed": 3}
    assert set(Notification.objects.values_list("state", flat=True)) == {"failed"}
    assert "Connection refused" in Notification.objects.first().last_error


def test_an_organiser_resends_a_failed_mail_and_it_is_audited():
    competition = CompetitionFactory()
    organiser = OrganiserFactory()
    send_templated_mail(to="w@example.org", template=TEMPLATE, context=_context(), competition=competition)
    notification = Notification.objects.get()
    Notification.objects.filter(pk=notification.pk).update(state="failed", attempts=12, last_error="SMTP 451")
    notification.refresh_from_db()
    resend_notification(notification=notification, actor=organiser)
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("queued", 0)
    event = AuditEvent.objects.get(action="outbox.resent")
    assert event.actor == organiser
    assert event.details["address"] == "w@example.org"
    assert len(_jobs([notification.pk])) == 2
    assert [m.to for m in sent_mail()] == [["w@example.org"]]


def test_publishing_queues_one_outcome_mail_per_innovator_and_row_filed_on_the_competition():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    innovator = InnovatorFactory(agency=entries["E1"].agency, language="en")
    announcement = published(round_, a, b)
    outcome = Notification.objects.get(kind="outcome", address=innovator.email)
    row = announcement.rows.get(entry=entries["E1"])
    assert outcome.idempotency_key == f"outcome:{announcement.pk}:{row.pk}:{innovator.pk}"
    assert outcome.competition_id == round_.competition_id
    assert outcome.user == innovator
    assert outcome.subject_id == str(announcement.pk)
    [message] = [m for m in sent_mail() if m.to == [innovator.email]]
    assert message.subject == f"{announcement.title} (entry E1)"
