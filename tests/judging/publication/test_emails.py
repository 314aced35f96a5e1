"""The emails of publication: who gets them, their subject and body, and the recipient's language."""

import pytest
from django.conf import settings
from django.urls import reverse

from judging.publication import services as pub
from tests.factories import InnovatorFactory, UserFactory
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    round_, next_round, entries, judges = closed_round()
    a, b = organisers()
    return round_, entries, a, b


def _url(name, pk):
    return f"{settings.SITE_URL}{reverse(name, args=[pk])}"


def test_each_innovator_gets_one_outcome_email_with_the_links(scene):
    round_, entries, a, b = scene
    innovator = InnovatorFactory(agency=entries["E1"].agency, full_name="Nur Aisyah")
    sent_mail().clear()
    announcement = published(round_, a, b)
    [message] = [m for m in sent_mail() if innovator.email in m.to]
    assert message.to == [innovator.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == f"{announcement.title} (proposal E1)"
    assert message.body.startswith("Yth. Nur Aisyah,\n")
    assert f"Pengumuman lengkap: {_url('judging:public_announcement', announcement.pk)}\n" in message.body
    assert f"Halaman proposal Anda: {_url('entries:detail', entries['E1'].pk)}\n" in message.body


def test_the_outcome_email_is_in_the_innovators_language(scene):
    round_, entries, a, b = scene
    innovator = InnovatorFactory(agency=entries["E1"].agency, language="en")
    announcement = published(round_, a, b)
    [message] = [m for m in sent_mail() if innovator.email in m.to]
    assert message.subject == f"{announcement.title} (entry E1)"


def _answered(scene, **objector):
    round_, entries, a, b = scene
    announcement = published(round_, a, b, objection_days=5)
    objection = pub.file_objection(announcement=announcement, entry=entries["E1"], reason="Belum 2 tahun.", **objector)
    sent_mail().clear()
    pub.answer_objection(objection=objection, actor=b, answer="Sudah diverifikasi.")
    [message] = sent_mail()
    return announcement, message


def test_the_objector_gets_the_answer_by_email(scene):
    announcement, message = _answered(scene, name="Warga", email="w@example.org")
    assert message.to == ["w@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == f"Jawaban atas sanggahan Anda: {announcement.number}"
    assert message.body.startswith("Yth. Warga,\n")
    assert "Sudah diverifikasi." in message.body
    assert f"{_url('judging:public_announcement', announcement.pk)}\n" in message.body


def test_a_signed_in_objector_gets_the_answer_in_their_language(scene):
    person = UserFactory(role="judge", agency=None, language="en", email="reader@example.org")
    announcement, message = _answered(scene, user=person)
    assert message.to == ["reader@example.org"]
    assert message.subject == f"Answer to your objection: {announcement.number}"
    assert "Your objection:\n" in message.body and "Answer:\n" in message.body
