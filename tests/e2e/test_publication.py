"""Browser journey of publication: organiser A prepares the Top 50 announcement, organiser B approves it (A may not),
the public page shows it, sms@demo.kipp.id sees "selected" and its presentation slot, the PDF downloads as a PDF."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from entries.models import Entry
from judging.scoring.schedule.services import generate_schedule
from tests.e2e.conftest import login
from tests.factories import PASSWORD, InnovatorFactory, OrganiserFactory
from tests.judging.publication.helpers import closed_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NUMBER = "065/134/II/B"


def _scene():
    round_, next_round, entries, judges = closed_round(top_n=2, reserve_n=1)
    Entry.objects.filter(pk=entries["E1"].pk).update(title="Sapa Masyarakat Sekitar (SMS)")
    sms = InnovatorFactory(email="sms@demo.kipp.id", full_name="Dr. Suhaedir Bahtiar", agency=entries["E1"].agency)
    a = OrganiserFactory(email="organiser@demo.kipp.id", full_name="Andi Rahmawati")
    b = OrganiserFactory(email="organiser2@demo.kipp.id", full_name="Muh. Ilham Syam")
    # The presentation schedule exists before the announcement; it must stay hidden until the Top 50 is public.
    from judging.models import RoundEntry

    for position, code in enumerate(["E1", "E2"], start=1):
        RoundEntry.objects.create(round=next_round, entry=entries[code], source="previous_round", position=position)
    generate_schedule(
        round_=next_round,
        actor=a,
        days=[datetime.date(2023, 3, 6)],
        room="Ballroom",
        venue="Four Points by Sheraton Makassar",
    )
    return round_, sms, a, b


def test_top50_prepared_by_one_organiser_approved_by_another_and_seen_by_the_innovator(browser, page, live_server):
    round_, sms, a, b = _scene()

    # Organiser A prepares and submits.
    login(page, live_server, a.email, PASSWORD)
    page.goto(live_server.url + "/penilaian/publikasi/")
    page.get_by_role("link", name="Pengumuman babak").first.click()
    page.get_by_label("Nomor").fill(NUMBER)
    past = timezone.localtime(timezone.now() - datetime.timedelta(minutes=5))
    page.get_by_label("Tidak boleh tayang sebelum (WITA)").fill(past.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Tempat").fill("Makassar")  # no city is assumed for an organiser's first announcement
    page.get_by_label("Nama penanda tangan").fill("Kepala Biro Organisasi")
    with page.expect_navigation():
        page.locator("#prepare-form button[type=submit]").click()
    assert page.locator("#announcement-state").get_attribute("data-state") == "draft"
    with page.expect_navigation():
        page.locator("#submit-approval").click()
    manage_url = page.url

    # A may not approve their own announcement: no approve button, a line saying another organiser approves
    # (the server refuses a forged POST: tests/judging/publication/test_views.py), nothing published.
    assert page.locator("#approve").count() == 0
    assert page.get_by_role("button", name="Setujui dan terbitkan").count() == 0
    assert "penyelenggara lain" in page.locator("#two-person-note").inner_text()
    assert page.locator("#announcement-state").get_attribute("data-state") == "awaiting"

    # Nothing public yet, not even for the innovator.
    sms_context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
    sms_page = sms_context.new_page()
    login(sms_page, live_server, sms.email, PASSWORD)
    assert sms_page.locator("[data-outcome]").count() == 0 and sms_page.locator("[data-slot]").count() == 0

    # Organiser B approves.
    b_context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
    b_page = b_context.new_page()
    login(b_page, live_server, b.email, PASSWORD)
    b_page.goto(manage_url)
    assert b_page.locator("#two-person-note").count() == 0
    with b_page.expect_navigation():
        b_page.locator("#approve").click()
    assert b_page.locator("#announcement-state").get_attribute("data-state") == "published"
    b_context.close()

    # The public sees it on the home page and the results page.
    public = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
    public_page = public.new_page()
    public_page.goto(live_server.url + "/")
    public_page.locator("#announcement-list a").first.click()
    assert public_page.locator("#announcement-number").inner_text() == NUMBER
    assert public_page.locator('#selected-list tr[data-entry="E1"]').is_visible()
    assert "Sapa Masyarakat Sekitar (SMS)" in public_page.locator("#selected-list").inner_text()
    assert public_page.locator("svg.kipp-bar-chart").first.is_visible()

    # The PDF downloads and opens as a PDF.
    href = public_page.locator("#download-pdf").get_attribute("href")
    response = public_page.request.get(live_server.url + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    assert NUMBER in PdfReader(io.BytesIO(body)).pages[0].extract_text()
    public.close()

    # The SMS innovator sees "selected" and the presentation slot, on the dashboard and the entry page.
    sms_page.goto(live_server.url + "/dasbor/")
    assert sms_page.locator('#dashboard-results [data-outcome="selected"]').is_visible()
    assert "08:30" in sms_page.locator("#dashboard-results [data-slot]").inner_text()
    sms_page.locator("#dashboard-results a").first.click()
    section = sms_page.locator("#entry-publication")
    assert section.locator('[data-outcome="selected"]').inner_text().strip().endswith("Terpilih")
    assert "Four Points by Sheraton Makassar" in section.locator("[data-slot]").inner_text()
    sms_context.close()
