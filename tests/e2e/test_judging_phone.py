"""A panelist at a live presentation, on a phone: opens the queue, scores an entry, saves a draft, submits."""

import pytest

from judging.models import ScoreSheet
from judging.scoring import services
from tests.e2e.conftest import login
from tests.factories import PASSWORD, CompetitionFactory, JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_panelist_scores_on_a_phone(phone_page, live_server):
    page = phone_page
    organiser = OrganiserFactory()
    competition = CompetitionFactory()
    round_ = services.create_round(
        competition=competition,
        slug="presentasi-wawancara",
        name="Presentasi dan wawancara",
        kind="presentation",
        actor=organiser,
        judges_per_entry=1,
    )
    first = add_entry(round_, "SUL-001", minutes=5)
    second = add_entry(round_, "SUL-002", minutes=1)
    round_.round_entries.filter(entry=first).update(position=1)
    round_.round_entries.filter(entry=second).update(position=2)
    panelist = JudgeFactory(email="panelis@example.org", full_name="Panelis Satu")
    services.add_judges(round_=round_, judges=[panelist], actor=organiser)
    services.auto_assign(round_=round_, actor=organiser)
    services.open_round(round_=round_, actor=organiser)

    login(page, live_server, panelist.email, PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Presentasi dan wawancara").click()
    items = page.locator(".queue-item")
    assert items.count() == 2
    assert items.nth(0).get_attribute("data-entry") == "SUL-001"  # presentation order, not code or time
    assert "Belum dimulai" in items.nth(0).inner_text()

    with page.expect_navigation():
        items.nth(0).locator("a").click()
    assert page.get_by_text("Deskriptor nilai").first.is_visible()
    criteria = page.locator("fieldset.criterion")
    assert criteria.count() == 6
    # big touch targets, and nothing wider than the phone
    box = criteria.nth(0).locator("label.score-option").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    for index in range(3):
        criteria.nth(index).locator("label.score-option", has_text="8").first.click()
    criteria.nth(0).locator("textarea").fill("Penyajian runtut dan tepat waktu.")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan draf").click()
    assert page.get_by_text("Draf tersimpan.").is_visible()
    sheet = ScoreSheet.objects.get(assignment__judge=panelist, assignment__entry=first)
    assert sheet.state == "draft" and sheet.scores.count() == 3

    # the draft is still there after the reload; finish and submit
    assert criteria.nth(0).locator("input[type=radio][value='8']").is_checked()
    for index in range(3, 6):
        criteria.nth(index).locator("label.score-option", has_text="7").first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim final").click()
    assert page.get_by_text("Nilai dikirim final.").is_visible()
    done = page.locator("#queue-done .queue-item")  # finished sheets are folded below the open ones
    assert done.nth(0).get_attribute("data-entry") == "SUL-001" and "Final" in done.nth(0).text_content()
    assert page.locator("#queue-open .queue-item").nth(0).get_attribute("data-entry") == "SUL-002"
    assert "1 dari 2 final" in page.locator("[data-queue-progress]").inner_text()
    sheet.refresh_from_db()
    assert sheet.state == "final"
    assert sorted(sheet.scores.values_list("value", flat=True)) == [7, 7, 7, 8, 8, 8]
    assert sheet.scores.get(criterion__key="penyajian").comment == "Penyajian runtut dan tepat waktu."
