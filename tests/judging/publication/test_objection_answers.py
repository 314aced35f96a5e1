"""Answering an objection: the answer form carries the answer time its page showed, and under the objection's row
lock an answer written since then is refused (409, the typed answer kept, nothing saved, nothing mailed), so two
organisers answering at once never both save and mail; a revision from a freshly loaded page is saved and its mail
says it replaces the earlier answer; a double click saves and mails once."""

import re
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from judging.models import Objection
from judging.publication import services as pub
from kipp.models import Notification
from tests.factories import OrganiserFactory, UserFactory
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.outbox import sent_mail
from tests.pages import page_body

OBJECTOR = "w@example.org"


def _scene():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    c = OrganiserFactory(full_name="Organiser C")
    announcement = published(round_, a, b, objection_days=5)
    objection = pub.file_objection(
        announcement=announcement, entry=entries["E1"], reason="Belum 2 tahun.", name="Warga", email=OBJECTOR
    )
    sent_mail().clear()
    return announcement, objection, a, b, c


@pytest.fixture
def scene(db):
    return _scene()


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _manage(client, announcement):
    response = client.get(reverse("judging:announcement_manage", args=[announcement.pk]))
    assert response.status_code == 200
    return page_body(response)


def _seen(page, objection):
    """The value of the objection's hidden `seen` field as the page carries it."""
    [field] = re.findall(rf'<input[^>]*id="answer{objection.pk}_seen"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', field)
    return value.group(1) if value else ""


def _typed(page):
    """What the (one) answer textarea of the page holds."""
    [text] = re.findall(r'<textarea name="answer"[^>]*>\s*(.*?)</textarea>', page, re.S)
    return text


def _answer(client, objection, text, seen):
    return client.post(reverse("judging:objection_answer", args=[objection.pk]), {"answer": text, "seen": seen})


def _objector_mails():
    return Notification.objects.filter(address=OBJECTOR).order_by("pk")


def test_a_new_answer_form_carries_no_answer_time_and_an_answered_one_carries_its_time(client, scene):
    announcement, objection, a, b, _c = scene
    client.force_login(a)
    assert _seen(_manage(client, announcement), objection) == ""
    pub.answer_objection(objection=objection, actor=b, answer="Sudah diverifikasi.")
    objection.refresh_from_db()
    page = _manage(client, announcement)
    assert _seen(page, objection) == objection.answered_at.isoformat()
    assert "Dijawab oleh Organiser B pada" in page


def test_two_organisers_answering_from_pages_loaded_before_either_answer_save_and_mail_once(scene):
    announcement, objection, a, b, _c = scene
    client_a, client_b = _signed_in(a), _signed_in(b)
    seen_a = _seen(_manage(client_a, announcement), objection)
    seen_b = _seen(_manage(client_b, announcement), objection)
    assert _answer(client_a, objection, "Jawaban A: sudah diverifikasi.", seen_a).status_code == 302
    response = _answer(client_b, objection, "Jawaban B: akan diperiksa ulang.", seen_b)
    assert response.status_code == 409
    body = page_body(response)
    objection.refresh_from_db()
    assert objection.answer == "Jawaban A: sudah diverifikasi." and objection.answered_by == a
    when = objection.answered_at.astimezone(ZoneInfo("Asia/Makassar"))
    assert (
        f"Sanggahan ini sudah dijawab oleh Organiser A pada {when:%d-%m-%Y %H:%M:%S} WITA; muat ulang halaman untuk "
        "melihat jawaban itu." in body
    )
    assert _typed(body) == "Jawaban B: akan diperiksa ulang."  # what B typed is still there
    assert "Jawaban A: sudah diverifikasi." in body  # and the answer that was saved is shown above it
    assert [m.context["answer"] for m in _objector_mails()] == ["Jawaban A: sudah diverifikasi."]
    [message] = sent_mail()
    assert "Jawaban A: sudah diverifikasi." in message.body and "Jawaban B" not in message.body

    # B has read A's answer above the kept form: sending the kept form again replaces it knowingly
    again = _answer(client_b, objection, _typed(body), _seen(body, objection))
    assert again.status_code == 302
    objection.refresh_from_db()
    assert objection.answer == "Jawaban B: akan diperiksa ulang." and objection.answered_by == b


def test_a_third_answer_from_a_page_loaded_before_the_others_is_refused(scene):
    announcement, objection, a, b, c = scene
    client_a, client_b, client_c = _signed_in(a), _signed_in(b), _signed_in(c)
    old_page_c = _manage(client_c, announcement)
    assert (
        _answer(client_a, objection, "Jawaban pertama.", _seen(_manage(client_a, announcement), objection)).status_code
        == 302
    )
    fresh_b = _seen(_manage(client_b, announcement), objection)
    assert fresh_b  # B's fresh page shows A's answer: B revises it knowingly
    assert _answer(client_b, objection, "Jawaban yang direvisi.", fresh_b).status_code == 302
    response = _answer(client_c, objection, "Jawaban ketiga.", _seen(old_page_c, objection))
    assert response.status_code == 409
    assert "Sanggahan ini sudah dijawab oleh Organiser B pada" in page_body(response)
    objection.refresh_from_db()
    assert objection.answer == "Jawaban yang direvisi."
    assert [m.context["answer"] for m in _objector_mails()] == ["Jawaban pertama.", "Jawaban yang direvisi."]


def test_a_revision_from_a_freshly_loaded_page_is_saved_and_its_mail_says_it_replaces_the_earlier_answer(scene):
    announcement, objection, a, b, _c = scene
    client_a = _signed_in(a)
    _answer(client_a, objection, "Jawaban pertama.", "")
    sent_mail().clear()
    client_b = _signed_in(b)
    response = _answer(client_b, objection, "Jawaban kedua.", _seen(_manage(client_b, announcement), objection))
    assert response.status_code == 302 and response["Location"].endswith(f"#objection-{objection.pk}")
    assert "menggantikan jawaban sebelumnya" in page_body(client_b.get(response["Location"]))
    [message] = sent_mail()
    assert message.to == [OBJECTOR]
    assert message.subject == f"Perubahan jawaban atas sanggahan Anda: {announcement.number}"
    assert "telah mengubah jawaban atas sanggahan Anda" in message.body
    assert "Jawaban di bawah ini menggantikan jawaban sebelumnya." in message.body
    assert "Jawaban baru:\nJawaban kedua.\n" in message.body
    assert "Jawaban sebelumnya (tidak berlaku lagi):\nJawaban pertama.\n" in message.body


def test_the_first_answer_mail_does_not_speak_of_a_revision(scene):
    announcement, objection, a, _b, _c = scene
    _answer(_signed_in(a), objection, "Jawaban pertama.", "")
    [message] = sent_mail()
    assert message.subject == f"Jawaban atas sanggahan Anda: {announcement.number}"
    assert "Jawaban:\nJawaban pertama.\n" in message.body
    assert "menggantikan" not in message.body and "sebelumnya" not in message.body


def test_a_revision_mail_in_english_for_a_signed_in_objector(db):
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b, objection_days=5)
    reader = UserFactory(role="judge", agency=None, language="en", email="reader@example.org")
    objection = pub.file_objection(announcement=announcement, entry=entries["E1"], reason="Too new.", user=reader)
    first = pub.answer_objection(objection=objection, actor=a, answer="Checked.")
    sent_mail().clear()
    pub.answer_objection(objection=first, actor=b, answer="Checked again.")
    [message] = sent_mail()
    assert message.subject == f"Revised answer to your objection: {announcement.number}"
    assert "This answer replaces the earlier one." in message.body
    assert "New answer:\nChecked again.\n" in message.body
    assert "Earlier answer (no longer valid):\nChecked.\n" in message.body


def test_each_mail_keeps_the_answer_it_was_queued_for(scene):
    _announcement, objection, a, b, _c = scene
    first = pub.answer_objection(objection=objection, actor=a, answer="Jawaban pertama.")
    pub.answer_objection(objection=first, actor=b, answer="Jawaban kedua.")
    first_mail, second_mail = sent_mail()  # both sent after the revision
    assert "Jawaban:\nJawaban pertama.\n" in first_mail.body and "Jawaban kedua." not in first_mail.body
    assert "Jawaban baru:\nJawaban kedua.\n" in second_mail.body


def test_a_double_click_saves_and_mails_once(scene):
    announcement, objection, a, _b, _c = scene
    client_a = _signed_in(a)
    seen = _seen(_manage(client_a, announcement), objection)
    assert _answer(client_a, objection, "Sudah diverifikasi.", seen).status_code == 302
    again = _answer(client_a, objection, "Sudah diverifikasi.", seen)
    assert again.status_code == 302
    assert "Jawaban ini sudah tersimpan sebelumnya; email tidak dikirim lagi." in page_body(
        client_a.get(again["Location"])
    )
    assert _objector_mails().count() == 1


def test_the_service_refuses_a_stale_answer_from_a_caller_holding_an_old_copy(scene):
    _announcement, objection, a, b, _c = scene
    old_copy = Objection.objects.get(pk=objection.pk)
    pub.answer_objection(objection=objection, actor=a, answer="Jawaban A.")
    with pytest.raises(pub.StaleAnswerError):
        pub.answer_objection(objection=old_copy, actor=b, answer="Jawaban B.")
    objection.refresh_from_db()
    assert objection.answer == "Jawaban A."
    assert _objector_mails().count() == 1


def test_a_tampered_seen_field_saves_nothing_and_keeps_the_typed_answer(scene):
    announcement, objection, a, _b, _c = scene
    response = _answer(_signed_in(a), objection, "Jawaban saya.", "bukan-waktu")
    assert response.status_code == 400
    body = page_body(response)
    assert _typed(body) == "Jawaban saya."
    assert "Muat ulang halaman lalu tulis jawaban lagi." in body
    objection.refresh_from_db()
    assert objection.answered_at is None and not _objector_mails().exists()


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_the_same_moment_one_is_saved_and_mailed_the_other_refused():
    """Both start while a third transaction holds the objection's row: both wait for the lock, then one writes and
    the other, reading the committed row under the lock, is refused."""
    _announcement, objection, a, b, _c = _scene()
    holding, release = threading.Event(), threading.Event()
    outcomes = {}

    def hold_the_row():
        try:
            with transaction.atomic():
                Objection.objects.select_for_update().get(pk=objection.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def answer(actor, text):
        try:
            pub.answer_objection(objection=objection, actor=actor, answer=text, seen_answered_at=None)
            outcomes[actor.pk] = "saved"
        except pub.StaleAnswerError:
            outcomes[actor.pk] = "stale"
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    assert holding.wait(10)
    answering = [
        threading.Thread(target=answer, args=(a, "Jawaban A.")),
        threading.Thread(target=answer, args=(b, "Jawaban B.")),
    ]
    for thread in answering:
        thread.start()
    time.sleep(0.5)  # both are waiting for the row now
    release.set()
    for thread in (holder, *answering):
        thread.join(20)
    assert sorted(outcomes.values()) == ["saved", "stale"]
    winner = a if outcomes[a.pk] == "saved" else b
    objection.refresh_from_db()
    assert objection.answered_by == winner
    assert [m.context["answer"] for m in _objector_mails()] == [objection.answer]
