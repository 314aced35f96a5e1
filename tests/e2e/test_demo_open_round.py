"""Issue 15, item 7: on a seeded demo, panelist1 finds an open presentation round with sheets to score, on a phone."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "sandi-demo-uji-2027"


def test_panelist1_opens_the_open_round_of_the_demo_and_finds_sheets_to_score(phone_page, live_server, media_root):
    call_command("seed_demo", entries=5, judges=3, password=PASSWORD, verbosity=0)
    page = phone_page
    login(page, live_server, "panelist1@demo.kipp.id", PASSWORD)

    page.goto(f"{live_server.url}{reverse('judging:my_rounds')}")
    card = page.locator(".my-rounds a", has_text="KIPP Kabupaten Jeneponto 2027")
    assert card.locator("[data-round-state]").get_attribute("data-round-state") == "open"
    assert "0 dari 10 final" in card.inner_text()
    card.click()

    assert page.get_by_role("heading", name="Presentasi dan wawancara").is_visible()
    assert page.locator("[data-queue-progress]").inner_text() == "0 dari 10 final"
    open_items = page.locator("#queue-open .queue-item")
    assert open_items.count() == 10
    assert page.locator("#queue-open .queue-item.status-draft").count() == 2
    assert page.locator("#queue-open .queue-item.status-final").count() == 0
    assert page.locator("#queue-done").count() == 0  # nothing of panelist1's is final yet

    not_started = page.locator("#queue-open .queue-item", has_text="Belum dimulai").first
    code = not_started.get_attribute("data-entry")
    not_started.locator("a.queue-link").click()
    assert code in page.locator("h1").inner_text()
    criteria = page.locator("fieldset.criterion")
    assert criteria.count() >= 5
    first = criteria.first.locator("input, select").first
    assert first.is_visible() and first.is_enabled()
    assert page.get_by_role("button", name="Kirim final").is_enabled()
