"""Innovators whose agency holds a draft hear 3 days before the competition's deadline (entries.tasks
.remind_drafts, called as the worker calls it, at frozen moments): once per person and competition, even when the
job runs twice or two runs meet."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from entries import tasks
from entries.models import DeadlineExtension, DraftReminder
from kipp.models import AuditEvent
from tests.factories import AgencyFactory, CompetitionFactory, EntryFactory, InnovatorFactory, OrganiserFactory
from tests.outbox import sent_mail

TIMESTAMP = 1_700_000_000
DEADLINE = timezone.make_aware(datetime.datetime(2027, 5, 31, 23, 59))  # WITA


def before(hours):
    return DEADLINE - datetime.timedelta(hours=hours)


def mails_to(person):
    return [m for m in sent_mail() if person.email in m.to]


@pytest.fixture
def scene():
    """A competition closing at DEADLINE: agency A holds two drafts (two confirmed innovators, one not yet
    confirmed), agency B has submitted its entry."""
    competition = CompetitionFactory(
        name="KIPP Uji 2027", opens_at=DEADLINE - datetime.timedelta(days=60), closes_at=DEADLINE
    )
    agency_a, agency_b = AgencyFactory(name="Dinas A"), AgencyFactory(name="Dinas B")
    confirmed = timezone.now()
    ani = InnovatorFactory(agency=agency_a, email="ani@example.org", full_name="Ani", agency_confirmed_at=confirmed)
    budi = InnovatorFactory(
        agency=agency_a, email="budi@example.org", full_name="Budi", agency_confirmed_at=confirmed, language="en"
    )
    pending = InnovatorFactory(agency=agency_a, email="baru@example.org", agency_confirmed_at=None)
    cici = InnovatorFactory(agency=agency_b, email="cici@example.org", agency_confirmed_at=confirmed)
    drafts = [
        EntryFactory(competition=competition, agency=agency_a, created_by=ani, code="UJI-0002", title="Sapa Warga"),
        EntryFactory(competition=competition, agency=agency_a, created_by=ani, code="UJI-0001", title="Antre Cepat"),
    ]
    EntryFactory(
        competition=competition,
        agency=agency_b,
        created_by=cici,
        code="UJI-0003",
        status="submitted",
        submitted_at=before(100),
    )
    return competition, drafts, ani, budi, pending, cici


@pytest.mark.django_db
def test_no_reminder_more_than_3_days_before_the_deadline(scene):
    assert tasks.remind_drafts(TIMESTAMP, now=before(72.5)) == 0
    assert not sent_mail() and not DraftReminder.objects.exists()


@pytest.mark.django_db
def test_each_confirmed_innovator_with_a_draft_is_reminded_once(scene):
    competition, drafts, ani, budi, pending, cici = scene
    assert tasks.remind_drafts(TIMESTAMP, now=before(71.9)) == 2
    assert tasks.remind_drafts(TIMESTAMP + 3600, now=before(70.9)) == 0  # the next hour's run
    assert tasks.remind_drafts(TIMESTAMP + 3600, now=before(70.9)) == 0  # and that run again
    assert tasks.remind_drafts(TIMESTAMP + 7200, now=before(2)) == 0
    [message] = mails_to(ani)
    assert message.subject == "Pengingat: batas pengajuan KIPP Uji 2027 tinggal 3 hari"
    assert "31 Mei 2027, 23:59 WITA" in message.body
    # both drafts, by code, each with its link
    first, second = message.body.index("UJI-0001 “Antre Cepat”"), message.body.index("UJI-0002 “Sapa Warga”")
    assert first < second
    assert f"/proposal/{drafts[1].pk}/" in message.body
    [english] = mails_to(budi)
    assert english.subject == "Reminder: the submission deadline of KIPP Uji 2027 is 3 days away"
    assert "31 May 2027, 23:59 WITA" in english.body and "still drafts" in english.body
    assert not mails_to(pending) and not mails_to(cici)
    assert sorted(DraftReminder.objects.values_list("person__email", "kind", "drafts")) == [
        ("ani@example.org", "3d", 2),
        ("budi@example.org", "3d", 2),
    ]
    assert AuditEvent.objects.filter(action="entries.drafts_reminded").count() == 1


@pytest.mark.django_db
def test_a_draft_submitted_or_past_the_deadline_brings_no_reminder(scene):
    competition, drafts, *_ = scene
    assert tasks.remind_drafts(TIMESTAMP, now=DEADLINE + datetime.timedelta(minutes=1)) == 0
    for entry in drafts:
        entry.status, entry.submitted_at = "submitted", before(80)
        entry.save(update_fields=["status", "submitted_at"])
    assert tasks.remind_drafts(TIMESTAMP, now=before(10)) == 0
    assert not sent_mail()


@pytest.mark.django_db
def test_a_draft_with_a_later_deadline_of_its_own_is_not_under_the_competition_deadline(scene):
    competition, drafts, ani, *_ = scene
    organiser = OrganiserFactory()
    for entry in drafts:
        DeadlineExtension.objects.create(
            entry=entry, deadline=DEADLINE + datetime.timedelta(days=7), reason="Bencana banjir", granted_by=organiser
        )
    assert tasks.remind_drafts(TIMESTAMP, now=before(10)) == 0
    DeadlineExtension.objects.filter(entry=drafts[0]).delete()
    assert tasks.remind_drafts(TIMESTAMP, now=before(9)) == 2
    [message] = mails_to(ani)
    assert "UJI-0002" in message.body and "UJI-0001" not in message.body


@pytest.mark.django_db
def test_an_innovator_of_two_competitions_hears_of_each(scene):
    competition, drafts, ani, *_ = scene
    other = CompetitionFactory(name="KIPP Kota 2027", opens_at=competition.opens_at, closes_at=DEADLINE)
    EntryFactory(competition=other, agency=ani.agency, created_by=ani, code="KOTA-0001")
    assert tasks.remind_drafts(TIMESTAMP, now=before(10)) == 4
    assert sorted(m.subject for m in mails_to(ani)) == [
        "Pengingat: batas pengajuan KIPP Kota 2027 tinggal 3 hari",
        "Pengingat: batas pengajuan KIPP Uji 2027 tinggal 3 hari",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_mail_each_innovator_once(scene):
    competition, drafts, ani, budi, *_ = scene
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            results.append(tasks.remind_drafts(TIMESTAMP, now=before(10)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(results) == 2
    assert len(mails_to(ani)) == 1 and len(mails_to(budi)) == 1
    assert DraftReminder.objects.count() == 2
