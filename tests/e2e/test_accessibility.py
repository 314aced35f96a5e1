"""Accessibility: axe-core (axe-playwright-python, which ships axe.min.js: no network) on every main page of each
role, in Chromium. No violation of impact "serious" or "critical" may remain; the failure lists the rule, the page
and the elements. Minor and moderate findings are left to review (printed with -s)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.factories import PASSWORD
from tests.world import build_world

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def main_pages(w):
    comp, rnd = w.competition.slug, w.round.slug
    pages = {
        None: [
            reverse("kipp:home"),
            reverse("kipp:login"),
            reverse("kipp:signup"),
            reverse("kipp:password_reset"),
        ],
        w.owner: [
            reverse("kipp:dashboard"),
            reverse("entries:my"),
            reverse("entries:detail", args=[w.entry.pk]),
            reverse("entries:edit", args=[w.draft.pk]),
            reverse("kipp:profile"),
        ],
        w.verifier: [
            reverse("entries:verify_queue"),
            reverse("entries:detail", args=[w.entry.pk]),
            reverse("kipp:pending_members"),
        ],
        w.pending_member: [reverse("kipp:dashboard")],
        w.organiser: [
            reverse("kipp:dashboard"),
            reverse("entries:organiser_list"),
            reverse("entries:selection"),
            reverse("judging:round_index"),
            reverse("judging:round_dashboard", args=[comp, rnd]),
            reverse("judging:round_setup", args=[comp, rnd]),
        ],
        w.judge: [
            reverse("judging:my_rounds"),
            reverse("judging:queue", args=[comp, rnd]),
            reverse("judging:sheet", args=[w.assignment.pk]),
        ],
    }
    if w.announcement is not None:
        pages[None] += [
            reverse("judging:public_list"),
            reverse("judging:public_announcement", args=[w.announcement.pk]),
        ]
        pages[w.organiser].append(reverse("judging:announcement_index"))
    return pages


def test_main_pages_of_every_role_have_no_serious_or_critical_violation(browser, live_server, media_root):
    w = build_world()
    axe = Axe()
    found = []
    checked = 0
    for user, urls in main_pages(w).items():
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar")
        page = context.new_page()
        if user is not None:
            login(page, live_server, user.email, PASSWORD)
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            results = axe.run(page)
            checked += 1
            for violation in results.response["violations"]:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
                line = f"{violation['impact']:>8} {violation['id']} on {url}: {targets}"
                if violation["impact"] in BLOCKING:
                    found.append(line)
                else:
                    print("review:", line)
        context.close()
    assert checked >= 18
    assert not found, "serious/critical accessibility violations:\n" + "\n".join(found)
