"""Offline scoring after the review, in a browser: a brief server error (a 503, a proxy's 502) shows the device's
copy of a kept page and keeps it; a session that is gone (found by a sending or by opening a kept page) drops every
kept page and the sendings already sent, while what still waits stays on the device for its person; the field
index keeps its checklists and "Penilaian saya" for the field judge; the offline page follows today's language."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from judging.models import ScoreSheet
from tests.e2e.conftest import login
from tests.e2e.offline import go_offline, go_online
from tests.e2e.test_offline_scoring import WAIT_MS, WAITS, _open_online, _presentation_round, _score, _status
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STATES = (
    "() => new Promise(r => { const q = indexedDB.open('kipp-offline', 1);"
    " q.onsuccess = () => { const t = q.result.transaction('sendings').objectStore('sendings').getAll();"
    " t.onsuccess = () => r(t.result.map(x => x.state).sort()); }; })"
)


def _answer(status):
    def fulfil(route):
        route.fulfill(status=status, body="Bad Gateway", content_type="text/html")

    return fulfil


def test_a_server_error_shows_the_kept_page_and_keeps_it(phone_page, live_server):
    page = phone_page
    context = page.context
    _organiser, round_, panelist, sheets = _presentation_round(["SUL-001"])
    queue_url = live_server.url + reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    sheet_url = live_server.url + reverse("judging:sheet", args=[sheets["SUL-001"].pk])
    login(page, live_server, panelist.email, PASSWORD)
    _open_online(page, queue_url)
    _open_online(page, sheet_url)

    for status in (503, 502):
        context.route(sheet_url, _answer(status))
        page.goto(sheet_url)
        expect(page.get_by_role("heading", level=1)).to_contain_text("SUL-001")  # the device's copy
        assert "Bad Gateway" not in page.content()
        context.unroute(sheet_url)
    go_offline(context)
    page.goto(sheet_url)  # still kept
    expect(page.get_by_role("heading", level=1)).to_contain_text("SUL-001")
    go_online(context)

    # the session ends on the server: the kept queue redirects to the login page, every kept page goes
    context.clear_cookies()
    page.goto(queue_url)
    expect(page).to_have_url(
        f"{live_server.url}/akun/masuk/?next={reverse('judging:queue', args=[round_.competition.slug, round_.slug])}"
    )
    page.wait_for_timeout(500)  # the worker drops the pages behind the answer
    go_offline(context)
    page.goto(sheet_url)
    assert page.get_by_role("heading", name="Tidak ada koneksi").is_visible()
    go_online(context)


def test_a_sending_that_finds_the_session_gone_drops_the_kept_pages_and_keeps_what_waits(phone_page, live_server):
    page = phone_page
    context = page.context
    _organiser, round_, panelist, sheets = _presentation_round(["SUL-001", "SUL-002"])
    queue_url = live_server.url + reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    first_url = live_server.url + reverse("judging:sheet", args=[sheets["SUL-001"].pk])
    second_url = live_server.url + reverse("judging:sheet", args=[sheets["SUL-002"].pk])
    login(page, live_server, panelist.email, PASSWORD)
    _open_online(page, queue_url)
    _open_online(page, first_url)
    _score(page, 7, 2)
    page.get_by_role("button", name="Simpan draf").click()
    page.get_by_text("Draf tersimpan.").wait_for()  # sent online: a "sent" record on the device
    _open_online(page, second_url)

    go_offline(context)
    _score(page, 5, 2)
    page.get_by_role("button", name="Simpan draf").click()
    _status(page).get_by_text(WAITS).wait_for()
    assert page.evaluate(STATES) == ["queued", "sent"]
    context.clear_cookies()  # the session ends meanwhile (expired, or a reset)

    go_online(context)  # the sending is answered with the login page
    _status(page).get_by_text("Masuk kembali untuk mengirimnya.").wait_for(timeout=WAIT_MS)
    page.wait_for_function(
        "() => caches.keys().then(names => !names.some(n => n.startsWith('kipp-pages-')))", timeout=WAIT_MS
    )
    assert page.evaluate(STATES) == ["queued"]  # what waits stays for its person; what was sent is gone
    assert not ScoreSheet.objects.filter(assignment=sheets["SUL-002"]).exists()  # nothing stored without a session
    go_offline(context)
    page.goto(first_url)
    assert page.get_by_role("heading", name="Tidak ada koneksi").is_visible()
    go_online(context)


def test_the_field_index_its_checklists_and_my_rounds_open_offline_and_the_offline_page_follows_the_language(
    phone_page, live_server
):
    from tests.judging.scoring.helpers import add_entry as add_field_entry
    from tests.judging.scoring.helpers import add_judge, add_sheet, make_round

    page = phone_page
    context = page.context
    round_ = make_round([("lokasi", 1, 1, 10)], kind="field", slug="verifikasi-lapangan", state="open")
    entry = add_field_entry(round_, "F1")
    judge = add_judge(round_, email="verifikator@example.org")
    add_sheet(round_, entry, judge, {}, assign_only=True)
    index_url = live_server.url + reverse("judging:field_index", args=[round_.competition.slug, round_.slug])
    entry_url = live_server.url + reverse("judging:field_entry", args=[round_.competition.slug, round_.slug, entry.pk])
    login(page, live_server, judge.email, PASSWORD)
    _open_online(page, index_url)  # keeps its checklists and "Penilaian saya" too; the checklist is never opened
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    _open_online(page, index_url)  # a kept page opened online: the offline page is fetched again, in English

    go_offline(context)
    page.goto(entry_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("F1")
    page.goto(live_server.url + reverse("judging:my_rounds"))
    assert page.locator("main h1").is_visible() and page.locator("[data-offline-page]").count() == 0
    page.goto(live_server.url + reverse("kipp:profile"))  # not kept: the offline page, in today's language
    expect(page.get_by_role("heading", level=1)).to_have_text("No connection")
    go_online(context)
