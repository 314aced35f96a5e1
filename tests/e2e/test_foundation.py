"""First browser journey: the home page, the language switch, an organiser logging in."""

import pytest

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganiserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_switch_to_english_and_organiser_logs_in(page, live_server):
    organiser = OrganiserFactory(email="organiser@example.org", full_name="Andi Organiser")

    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Kompetisi dibuka").is_visible()

    with page.expect_navigation():
        page.locator("#language-form button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Open calls").is_visible()

    login(page, live_server, organiser.email, PASSWORD)
    assert page.url.endswith("/dasbor/")
    assert page.get_by_role("heading", name="Welcome, Andi Organiser").is_visible()
