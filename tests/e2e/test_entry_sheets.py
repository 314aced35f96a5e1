"""Browser journey: during live scoring the organiser finds a judge's sheet from the ranking (the number of judges
links to the entry's sheets), opens the final one, unlocks it with a reason, and the entry's sheets list it as a
draft; the ranking no longer counts it."""

import pytest

from judging.models import ScoreSheet
from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_organiser_reaches_a_sheet_from_the_ranking_and_unlocks_it(page, live_server):
    round_ = make_round([("a", 3, 1, 10), ("b", 1, 1, 10)], k=2, top_n=1, reserve_n=0)
    judges = [add_judge(round_, full_name=name) for name in ("Juri Satu", "Juri Dua")]
    entry = add_entry(round_, "SMS-01")
    add_sheet(round_, entry, judges[0], {"a": 9, "b": 8})
    add_sheet(round_, entry, judges[1], {"a": 6, "b": 6})
    organiser = OrganiserFactory()
    login(page, live_server, organiser.email, PASSWORD)
    page.goto(f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}/")

    row = page.locator('tr[data-entry="SMS-01"]')
    row.get_by_role("link", name="Lembar nilai SMS-01: 2 juri").click()
    assert page.get_by_role("heading", name="Lembar nilai SMS-01").is_visible()
    sheets = page.locator("#entry-sheets tbody tr")
    assert sheets.count() == 2
    second = page.locator("#entry-sheets tr", has_text="Juri Dua")
    assert "Final" in second.inner_text() and "55,56" in second.inner_text()  # (3 x 55.56 + 1 x 55.56) / 4
    second.get_by_role("link", name="Buka lembar (baca atau buka kunci)").click()

    page.get_by_label("Alasan membuka kunci").fill("Nilai kriteria b salah ketik")
    with page.expect_navigation():
        page.get_by_role("button", name="Buka kunci lembar nilai").click()
    assert "dibuka kembali sebagai draf" in page.content()
    assert ScoreSheet.objects.get(assignment__judge=judges[1], assignment__entry=entry).state == "draft"

    page.goto(f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}/proposal/{entry.pk}/lembar/")
    assert "Draf" in page.locator("#entry-sheets tr", has_text="Juri Dua").inner_text()
    page.goto(f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}/")
    assert page.locator('tr[data-entry="SMS-01"]').get_by_role("link", name="Lembar nilai SMS-01: 1 juri").is_visible()
