"""In a real browser: with a script payload in every free-text field, no page that shows it opens a dialog
(page.on("dialog") records any alert/confirm/prompt, and the test fails naming the page)."""

import pytest

from tests.factories import PASSWORD
from tests.security.test_headers import page_kinds
from tests.world import PAYLOAD, build_world

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_no_dialog_fires_on_any_page_showing_script_payloads(browser, live_server, media_root):
    w = build_world(text=PAYLOAD)
    dialogs = []
    by_user = {}
    for user, url in page_kinds(w):
        by_user.setdefault(user, []).append(url)
    for user, urls in by_user.items():
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
        page = context.new_page()
        page.on("dialog", lambda dialog, page=page: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
        if user is not None:
            login(page, live_server, user.email, PASSWORD)
        for url in urls:
            if "export=" in url or "/unduh/" in url or "/lampiran/" in url or url.endswith(".pdf"):
                continue  # downloads, not pages
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("load")
        if user is None:  # control: the listener does see a dialog when one opens
            page.evaluate("window.alert('kontrol')")
            assert dialogs and dialogs[-1][1] == "kontrol"
            dialogs.clear()
        context.close()
    assert not dialogs, f"dialogs fired: {dialogs}"
