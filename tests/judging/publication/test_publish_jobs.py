"""Publishing answers at once: the approval defers one job (judging.tasks.go_public) in its transaction and queues
no mail itself; the job queues one outcome mail per innovator and defers the build of this announcement's records.
A correction's mail says which version it corrects and what changed for the entry; entries with nobody to mail are
shown on the announcement's page. The real worker runs these jobs in test_publish_worker.py."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.models import RecordEntry
from judging.publication import services as pub
from judging.records.services import build_announcement_records
from kipp.models import Notification, User
from tests.factories import InnovatorFactory
from tests.judging.publication.helpers import closed_round, organisers, text_fields
from tests.outbox import sent_mail
from tests.pages import page_body
from tests.queue import queued_jobs, run_deferred

pytestmark = pytest.mark.django_db


def _awaiting(round_, a, **overrides):
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields(**overrides))
    pub.submit_for_approval(announcement=announcement, actor=a)
    return announcement


def _innovators(entries, per_agency):
    now = timezone.now()
    User.objects.bulk_create(
        User(
            email=f"{entry.pk}-{n}@example.org",
            full_name=f"Inovator {code} {n}",
            agency_id=entry.agency_id,
            agency_confirmed_at=now,
            is_active=True,
        )
        for code, entry in entries.items()
        for n in range(per_agency)
    )


def _approve_queries(per_agency):
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    _innovators(entries, per_agency)
    announcement = _awaiting(round_, a)
    with CaptureQueriesContext(connection) as ctx:
        approved = pub.approve_announcement(announcement=announcement, actor=b)
    return len(ctx), approved


def test_the_approval_queues_no_mail_and_defers_one_job_whatever_the_number_of_entrants():
    _approve_queries(per_agency=1)  # the first approval of the process fills caches (content types)
    run_deferred()
    Notification.objects.all().delete()
    few, first = _approve_queries(per_agency=1)
    many, second = _approve_queries(per_agency=300)  # 1,204 innovators to mail
    assert few == many
    assert not Notification.objects.filter(kind="outcome").exists()
    assert queued_jobs() == [
        ("judging.publication.go_public", {"announcement_id": first.pk, "now": first.published_at.isoformat()}),
        ("judging.publication.go_public", {"announcement_id": second.pk, "now": second.published_at.isoformat()}),
    ]
    run_deferred()
    # each agency: the entry's author and the innovators added here
    assert Notification.objects.filter(kind="outcome", state="queued").count() == 4 * 2 + 4 * 301
    second.refresh_from_db()
    assert second.notified_at == second.published_at
    assert RecordEntry.objects.filter(announcement=second).count() == 2  # the two selected entries


def test_a_rolled_back_approval_defers_nothing():
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    announcement = _awaiting(round_, a)
    with pytest.raises(RuntimeError), transaction.atomic():
        pub.approve_announcement(announcement=announcement, actor=b)
        raise RuntimeError
    assert queued_jobs() == []


def test_an_embargoed_approval_defers_nothing_until_publish_due():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    InnovatorFactory(agency=entries["E1"].agency)
    announcement = _awaiting(round_, a, embargo_until=timezone.now() + datetime.timedelta(hours=1))
    pub.approve_announcement(announcement=announcement, actor=b)
    assert queued_jobs() == []
    later = timezone.now() + datetime.timedelta(hours=2)
    assert pub.send_due_notifications(now=later) == 5  # the entries' authors and E1's innovator: queued by publish_due
    assert [name for name, _args in queued_jobs()] == ["judging.records.build_announcement_records"]
    run_deferred()
    assert set(RecordEntry.objects.values_list("entry__code", flat=True)) == {"E1", "E2"}


def test_the_go_public_job_run_twice_queues_each_mail_once():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    innovator = InnovatorFactory(agency=entries["E2"].agency)
    announcement = _awaiting(round_, a)
    pub.approve_announcement(announcement=announcement, actor=b)
    [(name, args)] = queued_jobs()
    run_deferred()
    from judging.tasks import go_public

    assert go_public(**args) == 0  # a retried job: notified_at says it was done
    assert Notification.objects.filter(kind="outcome", address=innovator.email).count() == 1


def test_the_records_job_builds_only_what_its_announcement_gives():
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    first = _awaiting(round_, a)
    pub.approve_announcement(announcement=first, actor=b)
    run_deferred()
    correction = pub.prepare_correction(announcement=first, actor=a, correction_note="Salah ketik judul.")
    pub.submit_for_approval(announcement=correction, actor=a)
    pub.approve_announcement(announcement=correction, actor=b)
    first.refresh_from_db()
    # The first version is no longer the latest round announcement: it gives no records now.
    assert build_announcement_records(announcement=first) == []
    run_deferred()
    assert set(RecordEntry.objects.values_list("announcement_id", flat=True)) == {correction.pk}


def _corrected(scene_changes):
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    people = {code: InnovatorFactory(agency=entries[code].agency, full_name=f"Inovator {code}") for code in entries}
    first = _awaiting(round_, a)
    pub.approve_announcement(announcement=first, actor=b)
    sent_mail().clear()
    correction = pub.prepare_correction(
        announcement=first,
        actor=a,
        correction_note="E3 terbukti memenuhi syarat.",
        changes=[(entries[code], outcome, "Hasil sanggahan.") for code, outcome in scene_changes],
    )
    pub.submit_for_approval(announcement=correction, actor=a)
    pub.approve_announcement(announcement=correction, actor=b)
    mails = {message.to[0]: message for message in sent_mail()}
    return correction, {code: mails[person.email] for code, person in people.items()}


def test_a_correction_mail_says_which_version_it_corrects_and_what_changed_for_the_entry():
    correction, mails = _corrected([("E2", "reserve"), ("E3", "selected")])
    assert mails["E3"].subject == f"Koreksi: {correction.title} (proposal E3)"
    body = mails["E3"].body
    assert "telah dikoreksi: versi 2 ini menggantikan versi 1." in body
    assert "Catatan koreksi: E3 terbukti memenuhi syarat." in body
    assert "Yang berubah untuk proposal Anda: pada versi 1 hasilnya Cadangan (peringkat 3); sekarang Terpilih" in body
    assert "Untuk proposal Anda tidak ada yang berubah dari versi 1." in mails["E1"].body
    assert "Yang berubah" not in mails["E1"].body


def test_entries_with_nobody_to_mail_are_shown_on_the_announcements_page(client):
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    InnovatorFactory(agency=entries["E1"].agency)
    others = [entries[code].agency_id for code in ("E2", "E3", "E4")]
    User.objects.filter(agency_id__in=others).update(agency_confirmed_at=None)  # not confirmed: not mailed
    announcement = _awaiting(round_, a)
    pub.approve_announcement(announcement=announcement, actor=b)
    client.force_login(a)
    url = reverse("judging:announcement_manage", args=[announcement.pk])
    assert "sedang disiapkan oleh proses latar belakang" in page_body(client.get(url))
    run_deferred()
    body = page_body(client.get(url))
    assert "3 proposal tanpa penerima email" in body
    assert "E2, E3, E4" in body
    assert "dalam antrean 2" in body  # E1's author and innovator
