"""Issue 11: the tie at the cut is shown with the tie-break step that decided it (item 5); the panelist's open
sheet is the first card of the queue on a phone (item 7)."""

import pytest

from tests.e2e.conftest import login
from tests.factories import PASSWORD, JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_sheet, make_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_tie_at_the_cut_is_shown_with_the_step_that_decided_it(page, live_server):
    organiser = OrganiserFactory(email="penyelenggara@example.org")
    round_ = make_round([("latar_belakang", 2, 0, 10), ("sumber_daya", 1, 0, 10)], top_n=2, reserve_n=0, k=1)
    judge = JudgeFactory()
    # totals 80, 50, 50, 10: ranks 2 and 3 tie at the cut; ENT-B is higher on the heaviest criterion (60 vs 40)
    for code, a, b in (("ENT-A", 8, 8), ("ENT-B", 6, 3), ("ENT-C", 4, 7), ("ENT-D", 1, 1)):
        add_sheet(round_, add_entry(round_, code), judge, {"latar_belakang": a, "sumber_daya": b})

    login(page, live_server, organiser.email, PASSWORD)
    page.goto(f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}/")
    notice = page.locator("#cut-tie")
    assert notice.is_visible()
    text = " ".join(notice.inner_text().split())
    assert "Seri di garis batas: peringkat 2 dan 3" in text
    assert "ENT-B masuk Top 2 karena penentu seri: rata-rata lebih tinggi pada kriteria “Latar_Belakang”" in text
    # the notice comes before the table, and the tied row carries the mark
    assert notice.bounding_box()["y"] < page.locator("table.ranking-table").bounding_box()["y"]
    tied = page.locator("tr[data-entry='ENT-C']")
    assert "Seri dengan peringkat 2" in tied.inner_text()
    assert page.locator("tr[data-entry='ENT-B'] .tie-note").count() == 0  # ENT-B and ENT-A do not tie
    # criterion titles as headers, not keys
    headers = page.locator("th.criterion-key").all_inner_texts()
    assert headers == ["Latar_Belakang", "Sumber_Daya"]

    page.goto(f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}/kepastian/")
    assert "ENT-B masuk Top 2 karena penentu seri" in " ".join(page.locator("#cut-tie").inner_text().split())


def test_panelists_open_sheet_is_the_first_card_on_a_phone(phone_page, live_server):
    page = phone_page
    round_ = make_round([("penyajian", 1, 1, 10)], kind="presentation", slug="presentasi-wawancara", k=1, top_n=5)
    panelist = JudgeFactory(email="panelis@example.org")
    entries = [add_entry(round_, f"SUL-{n:03d}") for n in range(1, 52)]
    for position, entry in enumerate(entries, start=1):
        round_.round_entries.filter(entry=entry).update(position=position)
        if position < 51:
            add_sheet(round_, entry, panelist, {"penyajian": 7})
        else:
            add_sheet(round_, entry, panelist, {}, assign_only=True)

    login(page, live_server, panelist.email, PASSWORD)
    page.goto(f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}/antrean/")
    first = page.locator(".queue-item").first
    assert first.get_attribute("data-entry") == "SUL-051"
    assert "Belum dimulai" in first.inner_text()
    assert first.is_visible() and first.bounding_box()["y"] < page.viewport_size["height"]  # on the first screen
    # the 50 finished sheets are folded below, and open with a tap
    done = page.locator("#queue-done")
    assert done.get_attribute("open") is None
    assert not page.locator("#queue-done .queue-item").first.is_visible()
    done.locator("summary").click()
    assert page.locator("#queue-done .queue-item").count() == 20  # the first page of the 50 finished sheets
    assert page.locator("#queue-done .queue-item").first.get_attribute("data-entry") == "SUL-001"
    page.locator("#queue-done a", has_text="Berikutnya").click()  # the next page, with the list unfolded
    assert page.locator("#queue-done").get_attribute("open") is not None
    assert page.locator("#queue-done .queue-item").first.get_attribute("data-entry") == "SUL-021"
