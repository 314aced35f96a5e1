"""A panelist on a phone in a ballroom whose Wi-Fi drops (issue 15): the queue and the sheets opened online open
again from the device; what is scored offline waits there and reaches the server once when the connection returns;
a sheet changed on the server meanwhile is shown in both versions and nothing is overwritten until they choose."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from judging.models import Assignment, ScoreSheet
from judging.scoring import services
from kipp.models import AuditEvent
from tests.e2e.conftest import login
from tests.e2e.offline import go_offline, go_online
from tests.factories import PASSWORD, CompetitionFactory, JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WAITS = "Tersimpan di perangkat ini, belum terkirim."
READY_MS = 30_000  # installing the worker and keeping the pages, on a machine shared with other test runs
WAIT_MS = 15_000


def _presentation_round(codes):
    organiser = OrganiserFactory()
    round_ = services.create_round(
        competition=CompetitionFactory(),
        slug="presentasi-wawancara",
        name="Presentasi dan wawancara",
        kind="presentation",
        actor=organiser,
        judges_per_entry=1,
    )
    entries = [add_entry(round_, code, minutes=i) for i, code in enumerate(codes)]
    panelist = JudgeFactory(email="panelist1@example.org", full_name="Panelis Satu")
    services.add_judges(round_=round_, judges=[panelist], actor=organiser)
    services.auto_assign(round_=round_, actor=organiser)
    services.open_round(round_=round_, actor=organiser)
    sheets = {e.code: Assignment.objects.get(round=round_, entry=e) for e in entries}
    return organiser, round_, panelist, sheets


def _open_online(page, url):
    page.goto(url)
    page.wait_for_selector("html[data-offline-ready]", timeout=READY_MS)  # the service worker holds this page now


def _score(page, value, count):
    criteria = page.locator("fieldset.criterion")
    for index in range(count):
        criteria.nth(index).locator("label.score-option", has_text=str(value)).first.click()


def _status(page):
    return page.locator("[data-offline-status]")


def test_two_sheets_scored_offline_reach_the_server_once(phone_page, live_server):
    page = phone_page
    context = page.context
    _organiser, round_, panelist, sheets = _presentation_round(["SUL-001", "SUL-002"])
    queue_url = live_server.url + reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    first_url = live_server.url + reverse("judging:sheet", args=[sheets["SUL-001"].pk])
    second_url = live_server.url + reverse("judging:sheet", args=[sheets["SUL-002"].pk])
    login(page, live_server, panelist.email, PASSWORD)
    for url in (queue_url, first_url, second_url):
        _open_online(page, url)
    page.goto(live_server.url + reverse("kipp:profile"))  # opened online, but not a page the device keeps

    go_offline(context)
    page.goto(live_server.url + reverse("kipp:profile"))
    assert page.get_by_role("heading", name="Tidak ada koneksi").is_visible()

    page.goto(first_url)  # from the device
    criteria = page.locator("fieldset.criterion")
    assert criteria.count() == 6
    _score(page, 8, 6)
    criteria.nth(0).locator("textarea").fill("Runtut, tanpa sinyal.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kirim final").click()
    _status(page).get_by_text(WAITS).wait_for()
    assert "Kirim final menunggu koneksi." in _status(page).inner_text()

    page.goto(second_url)
    _score(page, 7, 3)
    page.get_by_role("button", name="Simpan draf").click()
    _status(page).get_by_text(WAITS).wait_for()
    page.close()  # the phone sleeps; the tab is gone

    page = context.new_page()
    page.goto(queue_url)  # reopened offline, from the device
    expect(page.locator("[data-sync-summary]")).to_have_text("2 lembar menunggu dikirim.", timeout=WAIT_MS)
    for code in ("SUL-001", "SUL-002"):
        expect(page.locator(f'.queue-item[data-entry="{code}"] [data-sync-state]')).to_have_text(
            "menunggu dikirim", timeout=WAIT_MS
        )
    page.goto(first_url)
    page.wait_for_selector("form[data-offline-restored]")  # what was typed, read back from the device
    criteria = page.locator("fieldset.criterion")
    assert criteria.nth(5).locator("input[type=radio][value='8']").is_checked()
    assert criteria.nth(0).locator("textarea").input_value() == "Runtut, tanpa sinyal."
    assert not ScoreSheet.objects.filter(assignment__round=round_).exists()  # nothing reached the server yet

    go_online(context)
    expect(page.locator("[data-offline-status][data-state=sent]")).to_have_text("Final: terkirim.", timeout=WAIT_MS)
    page.goto(queue_url)
    page.locator(".queue-item[data-entry='SUL-002'] [data-sync-state]").get_by_text("terkirim").wait_for()
    assert page.locator("[data-sync-summary]").is_hidden()

    final = ScoreSheet.objects.get(assignment=sheets["SUL-001"])
    draft = ScoreSheet.objects.get(assignment=sheets["SUL-002"])
    assert (final.state, final.version) == ("final", 1)  # written once
    assert sorted(final.scores.values_list("value", flat=True)) == [8] * 6
    assert final.scores.filter(comment="Runtut, tanpa sinyal.").count() == 1
    assert (draft.state, draft.version) == ("draft", 1)
    assert sorted(draft.scores.values_list("value", flat=True)) == [7] * 3
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1

    # signing out drops the pages kept on the device: offline, the sheet is no longer there
    page.get_by_role("button", name="Buka menu").click()  # the phone's folded menu
    with page.expect_navigation():
        page.get_by_role("button", name="Keluar").click()
    go_offline(context)
    page.goto(first_url)
    assert page.get_by_role("heading", name="Tidak ada koneksi").is_visible()
    go_online(context)


def test_a_sheet_unlocked_and_changed_meanwhile_shows_both_versions(phone_page, live_server):
    page = phone_page
    context = page.context
    organiser, round_, panelist, sheets = _presentation_round(["SUL-001"])
    assignment = sheets["SUL-001"]
    criteria_ids = list(round_.criteria.order_by("order", "id").values_list("pk", flat=True))
    services.submit_sheet(assignment=assignment, judge=panelist, values=dict.fromkeys(criteria_ids, (6, "")), version=0)
    services.unlock_sheet(sheet=ScoreSheet.objects.get(assignment=assignment), actor=organiser, reason="Nilai 6 keliru")
    sheet_url = live_server.url + reverse("judging:sheet", args=[assignment.pk])
    login(page, live_server, panelist.email, PASSWORD)
    _open_online(page, sheet_url)

    go_offline(context)
    _score(page, 9, 1)
    page.get_by_role("button", name="Simpan draf").click()
    _status(page).get_by_text(WAITS).wait_for()
    # meanwhile: the sheet is submitted from another device, and the organiser unlocks it again
    services.submit_sheet(assignment=assignment, judge=panelist, values=dict.fromkeys(criteria_ids, (5, "")), version=2)
    services.unlock_sheet(sheet=ScoreSheet.objects.get(assignment=assignment), actor=organiser, reason="Cek lagi")

    go_online(context)
    choice = page.locator("[data-offline-choice]")
    choice.wait_for()
    first = choice.locator("[data-offline-versions] li").first
    assert "versi Anda 9" in first.inner_text() and "versi server 5" in first.inner_text()
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.version, sheet.state) == (4, "draft")  # nothing overwritten while the judge has not chosen
    assert set(sheet.scores.values_list("value", flat=True)) == {5}

    with page.expect_navigation():
        choice.get_by_role("button", name="Pakai versi saya").click()
    assert page.get_by_text("Draf tersimpan.").is_visible()
    sheet.refresh_from_db()
    assert sheet.version == 5
    assert sorted(sheet.scores.values_list("value", flat=True)) == [6] * 5 + [9]  # the version on their phone


def test_a_sending_refused_by_the_server_shows_its_reason_and_stays_on_the_device(phone_page, live_server):
    page = phone_page
    context = page.context
    _organiser, round_, panelist, sheets = _presentation_round(["SUL-001"])
    assignment = sheets["SUL-001"]
    queue_url = live_server.url + reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    sheet_url = live_server.url + reverse("judging:sheet", args=[assignment.pk])
    login(page, live_server, panelist.email, PASSWORD)
    _open_online(page, queue_url)  # the queue keeps its open sheets on the device: this one is never opened online

    go_offline(context)
    page.goto(sheet_url)
    _score(page, 4, 2)
    page.get_by_role("button", name="Simpan draf").click()
    _status(page).get_by_text(WAITS).wait_for()
    # meanwhile, on another device, the panelist declares a conflict of interest with this entry
    services.declare_conflict(assignment=assignment, judge=panelist, reason="Kerabat dekat pengusul.")

    go_online(context)
    page.wait_for_selector("[data-offline-status][data-state=refused]")
    assert "Ditolak server; tetap di perangkat ini:" in _status(page).inner_text()
    assert "konflik kepentingan" in _status(page).inner_text()
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()
    page.reload()  # the server's page refuses now; the sending is still on the device, under the same person
    held = page.evaluate(
        "() => new Promise(r => { const q = indexedDB.open('kipp-offline', 1);"
        " q.onsuccess = () => { const t = q.result.transaction('sendings').objectStore('sendings').getAll();"
        " t.onsuccess = () => r(t.result.map(x => x.state)); }; })"
    )
    assert held == ["refused"]
    page.goto(queue_url)
    assert page.locator(".queue-item").count() == 0  # the entry is withheld by the conflict
    # ...but the queue tells the judge what was refused, why, and what they had typed
    refused = page.locator("[data-offline-refused]")
    expect(refused).to_contain_text("1 pengiriman ditolak server:", timeout=WAIT_MS)
    assert "SUL-001" in refused.inner_text() and "konflik kepentingan" in refused.inner_text()
    assert "Yang Anda isi:" in refused.inner_text() and ": 4" in refused.inner_text()
    refused.get_by_role("button", name="Hapus dari perangkat ini").click()
    expect(refused).to_have_count(0)


def test_without_javascript_the_sheet_is_the_plain_form(browser, live_server):
    _organiser, round_, panelist, sheets = _presentation_round(["SUL-001"])
    context = browser.new_context(
        locale="id-ID", timezone_id="Asia/Makassar", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        login(page, live_server, panelist.email, PASSWORD)
        page.goto(live_server.url + reverse("judging:sheet", args=[sheets["SUL-001"].pk]))
        assert page.locator("[data-offline-status]").is_hidden() and page.locator("[data-offline-choice]").is_hidden()
        _score(page, 6, 2)
        with page.expect_navigation():
            page.get_by_role("button", name="Simpan draf").click()
        assert page.get_by_text("Draf tersimpan.").is_visible()
        sheet = ScoreSheet.objects.get(assignment=sheets["SUL-001"])
        assert (sheet.state, sheet.version) == ("draft", 1)
        assert sorted(sheet.scores.values_list("value", flat=True)) == [6, 6]
    finally:
        context.close()
