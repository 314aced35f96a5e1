"""`make screenshots`: the browser drives each role's main pages over the demo data (seed_demo) and saves them at
phone (390 px) and desktop (1280 px) widths under docs/screenshots/, for the README.

Marked "screenshots": skipped in the normal run; run with `-m screenshots` (the Makefile target does).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from .conftest import _new_page, login

pytestmark = [pytest.mark.e2e, pytest.mark.screenshots, pytest.mark.django_db(transaction=True)]

OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
DEMO_PASSWORD = "kipp-demo-2023"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture
def only_when_asked(request):
    if "screenshots" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("screenshots are taken by `make screenshots` (-m screenshots)")


def shots():
    """(file stem, account or None, path) for each role's main pages, over the demo data."""
    from entries.models import Entry
    from judging.models import Announcement, Assignment

    announcement = Announcement.objects.filter(state="published").order_by("round__order", "version").first()
    sms = Entry.objects.get(created_by__email="sms@demo.kipp.id", competition__slug="kipp-sulsel-2023")
    sheet = (
        Assignment.objects.filter(judge__email="panelist1@demo.kipp.id", round__slug="presentasi-wawancara")
        .order_by("id")
        .first()
    )
    items = [
        ("01-home", None, reverse("kipp:home")),
        ("02-innovator-entries", "sms@demo.kipp.id", reverse("entries:my")),
        ("03-innovator-entry", "sms@demo.kipp.id", reverse("entries:detail", args=[sms.pk])),
        ("04-verifier-queue", "verifier-jeneponto@demo.kipp.id", reverse("entries:verify_queue")),
        ("05-organiser-entries", "organiser@demo.kipp.id", reverse("entries:organiser_list")),
        (
            "06-organiser-round-dashboard",
            "organiser@demo.kipp.id",
            reverse("judging:round_dashboard", args=["kipp-sulsel-2023", "penilaian-proposal"]),
        ),
        (
            "07-panelist-queue",
            "panelist1@demo.kipp.id",
            reverse("judging:queue", args=["kipp-sulsel-2023", "presentasi-wawancara"]),
        ),
    ]
    if sheet is not None:
        items.append(("08-panelist-score-sheet", "panelist1@demo.kipp.id", reverse("judging:sheet", args=[sheet.pk])))
    if announcement is not None:
        items.append(("09-public-results", None, reverse("judging:public_announcement", args=[announcement.pk])))
    return items


def test_take_screenshots(only_when_asked, browser, live_server, media_root):
    call_command("seed_demo", password=DEMO_PASSWORD, verbosity=0)
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    for size, options in SIZES.items():
        pages = {}
        for stem, account, path in shots():
            if account not in pages:
                context, page = _new_page(browser, **options)
                if account:
                    login(page, live_server, account, DEMO_PASSWORD)
                pages[account] = (context, page)
            page = pages[account][1]
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            target = OUT / f"{stem}-{size}.png"
            page.screenshot(path=str(target), full_page=False)
            saved.append(target)
        for context, _page in pages.values():
            context.close()
    assert all(p.exists() and p.stat().st_size > 5000 for p in saved)
