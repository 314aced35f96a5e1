"""Browser journey (issue 11, item 4): the organiser closes a round with sheets not final; the portal names them and
asks for a reason; the entry scored by one judge of k is flagged on the dashboard and on the announcement's
preparation page, which needs an acknowledgement before the draft is saved."""

import datetime

import pytest
from django.utils import timezone

from judging.models import Round
from kipp.models import AuditEvent
from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _scene():
    """k=3, top 2: E1 and E2 scored by three judges; E9 by one judge only (high marks, so it ranks first), its
    other two sheets a draft and not started."""
    round_ = make_round([("a", 3, 1, 10), ("b", 1, 1, 10)], k=3, top_n=2, reserve_n=0)
    judges = [add_judge(round_) for _ in range(3)]
    entries = {code: add_entry(round_, code, minutes=i) for i, code in enumerate(["E1", "E2", "E3", "E9"])}
    for code, mark in (("E1", 8), ("E2", 7), ("E3", 5)):
        for judge in judges:
            add_sheet(round_, entries[code], judge, {"a": mark, "b": mark})
    add_sheet(round_, entries["E9"], judges[0], {"a": 10, "b": 10})
    add_sheet(round_, entries["E9"], judges[1], {"a": 3}, state="draft")
    add_sheet(round_, entries["E9"], judges[2], {}, assign_only=True)
    return round_, OrganiserFactory(email="organiser@demo.kipp.id")


def test_closing_with_missing_sheets_asks_a_reason_and_the_one_judge_entry_is_flagged(page, live_server):
    round_, organiser = _scene()
    base = f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}"
    login(page, live_server, organiser.email, PASSWORD)
    page.goto(base + "/atur/")
    page.on("dialog", lambda dialog: dialog.accept())  # the usual "Tutup penilaian?" confirmation
    with page.expect_navigation():
        page.get_by_role("button", name="Tutup penilaian dan simpan potret peringkat").click()

    # The confirmation page: 10 of 12 sheets final, 2 missing on E9, a reason is required.
    confirm = page.locator("#close-confirm")
    assert "10 dari 12 lembar nilai final: 2 lembar pada 1 proposal belum final" in confirm.inner_text()
    assert page.locator("#missing-sheets tr[data-entry]").count() == 1
    assert "kurang dari 3 juri" in page.locator('#missing-sheets tr[data-entry="E9"]').inner_text()
    page.get_by_role("button", name="Tutup penilaian dengan alasan ini").click()  # empty: the browser refuses
    assert Round.objects.get(pk=round_.pk).state == "open"
    page.get_by_label("Alasan menutup babak tanpa lembar itu").fill("Dua panelis berhalangan hadir")
    with page.expect_navigation():
        page.get_by_role("button", name="Tutup penilaian dengan alasan ini").click()
    assert "Babak ditutup" in page.locator("main").inner_text()
    assert Round.objects.get(pk=round_.pk).state == "closed"
    event = AuditEvent.objects.get(action="judging.round_closed")
    assert event.details["reason"] == "Dua panelis berhalangan hadir" and event.details["missing"] == {"E9": 2}

    # The dashboard flags E9 (selected with one judge) in its list and in the ranking table.
    page.goto(base + "/")
    assert "E9" in page.locator("#few-judges").inner_text()
    assert "1 juri" in page.locator('#few-judges [data-few-judges="E9"]').inner_text()
    row = page.locator('tr[data-entry="E9"]')
    assert row.get_attribute("data-rank") == "1" and "Terpilih" in row.inner_text()
    assert row.locator(".short-k-flag").is_visible()
    assert page.locator('tr[data-entry="E1"] .short-k-flag').count() == 0

    # The preparation page lists it and needs an acknowledgement before the draft is saved.
    page.goto(f"{live_server.url}/penilaian/publikasi/")
    page.get_by_role("link", name="Pengumuman babak").first.click()
    warning = page.locator("#few-judges")
    assert "E9" in warning.inner_text() and "Terpilih" in warning.inner_text()
    page.get_by_label("Nomor").fill("065/134/II/B")
    past = timezone.localtime(timezone.now() - datetime.timedelta(minutes=5))
    page.get_by_label("Tidak boleh tayang sebelum (WITA)").fill(past.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Nama penanda tangan").fill("Kepala Biro Organisasi")
    page.get_by_label("Tempat").fill("Makassar")  # no default place: the organiser types it
    page.locator("#prepare-form button[type=submit]").click()  # not acknowledged: the browser refuses
    assert not round_.announcements.exists()
    page.get_by_label("Saya mengetahui bahwa proposal di atas").check()
    with page.expect_navigation():
        page.locator("#prepare-form button[type=submit]").click()
    assert page.locator("#announcement-state").get_attribute("data-state") == "draft"
    assert "E9" in page.locator("#few-judges").inner_text()
