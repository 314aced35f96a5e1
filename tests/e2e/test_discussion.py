"""Browser journey (issue 16, item 5): the organiser starts the judges' discussion before closing; a judge opens the
listed entry from their dashboard, sees the other judges' scores with names, comments and revises their sheet within
the window; after the round closes and the list is announced, the method note counts the total that changed."""

import datetime

import pytest
from django.utils import timezone

from judging.models import SheetTotal
from judging.scoring import services
from kipp.models import AuditEvent
from tests.e2e.conftest import login
from tests.factories import PASSWORD, JudgeFactory, OrganiserFactory
from tests.judging.publication.helpers import organisers, published
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _scene():
    """top 1 of two; E1 judged 90 / 50 / 70 (a spread of 40 at the cut), E2 60 by all three."""
    round_ = make_round([("a", 1, 0, 10)], top_n=1, reserve_n=0, k=3)
    judges = [
        add_judge(round_, JudgeFactory(full_name=name, email=f"juri{i}@demo.kipp.id"))
        for i, name in enumerate(("Juri Satu", "Juri Dua", "Juri Tiga"))
    ]
    for minutes, (code, values) in enumerate({"E1": (9, 5, 7), "E2": (6, 6, 6)}.items()):
        entry = add_entry(round_, code, minutes=minutes)
        for judge, value in zip(judges, values, strict=True):
            add_sheet(round_, entry, judge, {"a": value})
    return round_, judges, OrganiserFactory(email="organiser@demo.kipp.id")


def test_a_judge_discusses_and_revises_and_the_method_note_counts_it(page, live_server):
    round_, judges, organiser = _scene()
    base = f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}"

    # The organiser starts the discussion from the round dashboard's card.
    login(page, live_server, organiser.email, PASSWORD)
    page.goto(base + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Buka diskusi juri").click()
    # before starting, the page previews the entry that would be listed, with its highest-minus-lowest figure
    preview = page.locator('#discussion-preview tr[data-preview-entry="E1"]')
    assert "40,00" in preview.inner_text()
    assert page.locator("#discussion-preview tr[data-preview-entry]").count() == 1
    ends = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Berakhir (WITA)").fill(ends)
    with page.expect_navigation():
        page.get_by_role("button", name="Mulai diskusi").click()
    assert "Diskusi dimulai untuk 1 proposal." in page.locator("main").inner_text()
    assert page.locator("#discussion-items tr[data-discussion-entry]").count() == 1
    page.context.clear_cookies()

    # Juri Dua opens it from the dashboard, sees the panel's scores with names, comments and revises.
    login(page, live_server, judges[1].email, PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="1 proposal menunggu diskusi Anda.").click()
    with page.expect_navigation():
        page.locator('#my-discussions a[data-discussion-entry="E1"]').click()
    panel = page.locator("#panel-sheets")
    assert "90,00" in panel.locator('tr[data-judge="Juri Satu"]').inner_text()
    assert "50,00" in panel.locator('tr[data-judge="Juri Dua"]').inner_text()
    page.get_by_label("Komentar Anda").fill("Bukti dampaknya kuat; saya naikkan nilai.")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim komentar").click()
    assert "Bukti dampaknya kuat" in page.locator("#discussion-comments").inner_text()
    page.locator('form[action$="/revisi/"] [data-criterion="a"] label').get_by_text("8", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan revisi").click()
    assert "50,00 → 80,00" in page.locator("main").inner_text()
    assert "80,00" in page.locator('#panel-sheets tr[data-judge="Juri Dua"]').inner_text()
    assert SheetTotal.objects.get(judge=judges[1], entry__code="E1").total == pytest.approx(80.0)
    assert AuditEvent.objects.filter(action="judging.discussion_revision", actor=judges[1]).count() == 1
    page.context.clear_cookies()

    # Closed and announced: the organiser reads the count in the method note of the public page.
    services.close_round(round_=round_, actor=organiser)
    a, b = organisers()
    announcement = published(round_, a, b)
    login(page, live_server, organiser.email, PASSWORD)
    page.goto(f"{live_server.url}/penilaian/pengumuman/{announcement.pk}/")
    note = page.locator("#method-note .discussion-note")
    assert "1 total lembar nilai berubah" in note.inner_text()


def test_the_discussion_pages_have_no_serious_or_critical_accessibility_violation(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    from judging.scoring.discussion import services as ds

    round_, judges, organiser = _scene()
    discussion = ds.start_discussion(
        round_=round_, actor=organiser, ends_at=timezone.now() + datetime.timedelta(days=1)
    )
    item = discussion.items.get()
    ds.add_comment(item=item, author=judges[0], text="Perlu dibahas.")
    axe = Axe()
    found = []
    for user, paths in (
        (judges[1], [f"/penilaian/diskusi/{item.pk}/", "/penilaian/diskusi/", "/penilaian/saya/"]),
        (
            organiser,
            [f"/penilaian/babak/{round_.competition.slug}/{round_.slug}/diskusi/", f"/penilaian/diskusi/{item.pk}/"],
        ),
    ):
        page.context.clear_cookies()
        login(page, live_server, user.email, PASSWORD)
        for path in paths:
            page.goto(live_server.url + path)
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    found.append(f"{violation['id']} on {path}: {[n['target'] for n in violation['nodes']][:3]}")
    assert not found, "\n".join(found)
