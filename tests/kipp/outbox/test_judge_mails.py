"""Mails that tell judges of a change to their work, queued in the change's transaction (kipp.outbox) and rendered in
their language: a reopened round mails each judge of it with the reason; an unlocked sheet mails its judge. And the
objection answer page says the answer is queued, not that it was sent."""

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from judging.scoring import services
from kipp.models import Notification
from tests.factories import JudgeFactory, OrganiserFactory
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.judging.scoring.helpers import add_sheet
from tests.outbox import sent_mail
from tests.pages import page_body

pytestmark = pytest.mark.django_db


def test_a_reopened_round_mails_each_of_its_judges_the_reason_in_their_language():
    round_, _next, _entries, judges = closed_round()
    judges[1].language = "en"
    judges[1].save(update_fields=["language"])
    sent_mail().clear()
    services.reopen_round(round_=round_, actor=OrganiserFactory(), reason="Bobot kriteria salah.")
    mails = {message.to[0]: message for message in sent_mail()}
    assert set(mails) == {judges[0].email, judges[1].email}
    indonesian = mails[judges[0].email]
    assert indonesian.subject == f"Babak dibuka kembali: {round_.name}"
    assert "Alasan: Bobot kriteria salah." in indonesian.body
    assert "Anda ditugaskan menilai 4 proposal di babak ini" in indonesian.body
    assert f"{settings.SITE_URL}{reverse('judging:my_rounds')}" in indonesian.body
    assert mails[judges[1].email].subject == f"Round reopened: {round_.name}"
    assert "Reason: Bobot kriteria salah." in mails[judges[1].email].body


def test_an_unlocked_sheet_mails_its_judge_only():
    round_, _next, entries, judges = closed_round()
    organiser = OrganiserFactory()
    services.reopen_round(round_=round_, actor=organiser, reason="Salah ketik nilai.")
    sheet = judges[0].assignments.get(entry=entries["E2"]).sheet
    sent_mail().clear()
    services.unlock_sheet(sheet=sheet, actor=organiser, reason="Nilai kriteria b salah ketik.")
    [message] = sent_mail()
    assert message.to == [judges[0].email]
    assert message.subject == "Lembar nilai dibuka kuncinya: E2"
    assert "Alasan: Nilai kriteria b salah ketik." in message.body
    assert f"{settings.SITE_URL}{reverse('judging:sheet', args=[sheet.assignment_id])}" in message.body
    assert Notification.objects.get(address=judges[0].email, template__endswith="sheet_unlocked").competition_id == (
        round_.competition_id
    )


def test_a_refused_unlock_mails_nobody():
    round_, _next, entries, judges = closed_round()  # closed: an unlock is refused
    sheet = judges[0].assignments.get(entry=entries["E1"]).sheet
    with pytest.raises(services.JudgingError), transaction.atomic():
        services.unlock_sheet(sheet=sheet, actor=OrganiserFactory(), reason="x")
    assert not Notification.objects.filter(template__endswith="sheet_unlocked").exists()


def test_an_unlock_in_a_round_with_a_judge_without_email_mails_nobody():
    round_, _next, entries, _judges = closed_round()
    organiser = OrganiserFactory()
    judge = JudgeFactory(email="")
    sheet = add_sheet(round_, entries["E4"], judge, {"a": 3, "b": 3})
    services.reopen_round(round_=round_, actor=organiser, reason="Tambah juri.")
    Notification.objects.all().delete()
    services.unlock_sheet(sheet=sheet, actor=organiser, reason="Periksa lagi.")
    assert not Notification.objects.exists()


def test_the_objection_answer_page_says_the_answer_is_queued(client):
    from judging.publication import services as pub

    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b, objection_days=5)
    objection = pub.file_objection(
        announcement=announcement, entry=entries["E1"], reason="Belum 2 tahun.", name="Warga", email="w@example.org"
    )
    client.force_login(b)
    response = client.post(
        reverse("judging:objection_answer", args=[objection.pk]), {"answer": "Sudah dicek."}, follow=True
    )
    body = page_body(response)
    assert "email kepada penyanggah masuk antrean" in body
    assert "dikirim kepada penyanggah" not in body
    assert Notification.objects.get(address="w@example.org").state == "queued"
