"""The outbox page on a phone (390 px): each mail is a card of labelled lines, so its status, attempts and the
resend button are on the screen without sideways scrolling (the page is no wider than the phone)."""

import pytest
from django.urls import reverse

from kipp.mail import send_templated_mail
from kipp.models import Notification
from tests.e2e.conftest import login
from tests.factories import PASSWORD, CompetitionFactory, OrganiserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEMPLATE = "judging/publication/email/objection_answered"
CONTEXT = {"objection": {"name": "Warga", "announcement": {"number": "065"}, "entry": {"code": "E1"}}, "url": "x"}
LONG_ADDRESS = "sekretariat.dinas.penanaman.modal.pelayanan.terpadu@pangkajenekepulauan.example.go.id"
LONG_ERROR = "SMTPRecipientsRefused: " + "x" * 150


def _failed_mail(competition):
    send_templated_mail(
        to=LONG_ADDRESS, template=TEMPLATE, context=CONTEXT, competition=competition, kind="objection_answer"
    )
    mail = Notification.objects.get(address=LONG_ADDRESS)
    Notification.objects.filter(pk=mail.pk).update(state="failed", attempts=3, last_error=LONG_ERROR)
    return mail


def _inside_the_phone(locator):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5


def test_the_outbox_on_a_phone_shows_status_attempts_and_resend_without_sideways_scrolling(phone_page, live_server):
    competition = CompetitionFactory(slug="kipp-sulsel-2023")
    mail = _failed_mail(competition)
    organiser = OrganiserFactory()
    login(phone_page, live_server, organiser.email, PASSWORD)
    phone_page.goto(live_server.url + reverse("kipp:outbox", args=[competition.slug]))
    row = phone_page.locator(f'#outbox-table tr[data-notification="{mail.pk}"]')
    cells = row.locator("td")
    assert cells.count() == 6
    for index in range(cells.count()):
        assert _inside_the_phone(cells.nth(index)), f"cell {index} is cut off"
    status, attempts = cells.nth(3), cells.nth(4)
    assert status.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Status"'
    assert "Gagal" in status.inner_text()
    assert attempts.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Percobaan"'
    assert "3" in attempts.inner_text()
    resend = row.get_by_role("button", name="Kirim ulang")
    assert resend.is_visible() and _inside_the_phone(resend)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    resend.click()
    phone_page.wait_for_load_state()
    assert Notification.objects.get(pk=mail.pk).state == "queued"
