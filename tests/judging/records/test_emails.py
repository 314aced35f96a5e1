"""The replication emails of records (through kipp.mail): to the owner agency, then to the requester, each in the
recipient's language."""

import pytest
from django.conf import settings
from django.urls import reverse

from judging.records import services
from tests.factories import AgencyFactory, InnovatorFactory, region
from tests.judging.records.helpers import published_world
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db


def test_replication_emails_name_the_record_and_link_to_it(django_capture_on_commit_callbacks):
    world = published_world()
    sms, owner = world["records"]["E1"], world["owner"]
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71"), name="Dinas Kominfo Kota Makassar"))
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        rep = services.request_replication(record=sms, actor=requester, plan="Rencana.")
    [message] = [m for m in sent_mail() if m.to == [owner.email]]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == f"Permintaan replikasi: {sms.title}"
    assert message.body.startswith(
        f'Instansi Dinas Kominfo Kota Makassar meminta izin mereplikasi inovasi "{sms.title}".'
    )
    assert f"{settings.SITE_URL}{reverse('records:detail', args=[sms.slug])}\n" in message.body
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_replication(replication=rep, actor=owner, agree=False, note="Belum siap.")
    assert [m.to for m in sent_mail()] == [[requester.email]]
    assert sent_mail()[0].subject == f"Permintaan replikasi ditolak pemilik: {sms.title}"


def test_the_owner_reads_the_request_in_their_language(django_capture_on_commit_callbacks):
    world = published_world()
    sms = world["records"]["E1"]
    english = InnovatorFactory(agency=sms.agency, language="en", email="owner-en@example.org")
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71"), name="Dinas Kominfo Kota Makassar"))
    with django_capture_on_commit_callbacks(execute=True):
        services.request_replication(record=sms, actor=requester, plan="Rencana.")
    [message] = [m for m in sent_mail() if m.to == [english.email]]
    assert message.subject == f"Replication request: {sms.title}"
    assert message.body.startswith(f'Dinas Kominfo Kota Makassar asks to replicate the innovation "{sms.title}".')
