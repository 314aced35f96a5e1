"""Browser journey of forwarding upward (issue 13): the provincial organiser nominates 3 entries of its public final
list into the national call, a 4th is refused with the quota shown; the innovator opens the national draft with its
proposal, indicators and photos, places the text that found no section and submits it; the national organiser sees
it with its provincial provenance."""

import datetime

import pytest

from entries.models import Attachment, Entry
from judging.models import Nomination
from kipp.files import save_files_or_none
from tests.e2e.conftest import login
from tests.factories import PASSWORD
from tests.judging.publication.forwarding.helpers import fill, lower_with_final, no_jobs_left_behind, upper_fed_by
from tests.world import png

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_jobs_left_behind():
    with no_jobs_left_behind():
        yield


def _scene():
    lower, final, entries, (organiser, _b) = lower_with_final()
    upper, national = upper_fed_by(lower, quota=3)
    innovators = {code: fill(entries[code]) for code in ("E1", "E2", "E3", "E4")}
    Entry.objects.filter(pk__in=[e.pk for e in entries.values()]).update(
        title="Sapa Masyarakat Sekitar (SMS)", stage="pengembangan", started_on=datetime.date(2019, 7, 15)
    )
    decree = png(color=(250, 250, 250))
    with save_files_or_none() as files:
        sk = Attachment(
            entry=entries["E1"],
            kind="decree",
            original_name="sk.png",
            size=len(decree),
            content_type="image/png",
            sha256="1" * 64,
            uploaded_by=innovators["E1"],
        )
        files.save(sk.file, "sk.png", decree)
        sk.save()
    return lower, upper, entries, organiser, national, innovators["E1"]


def test_nominate_three_refuse_a_fourth_then_the_innovator_submits_and_the_upper_organiser_sees_it(page, live_server):
    lower, upper, entries, organiser, national, innovator = _scene()

    # The provincial organiser nominates from the public final list.
    login(page, live_server, organiser.email, PASSWORD)
    page.goto(live_server.url + "/penilaian/publikasi/")
    with page.expect_navigation():
        page.locator("#forwarding-link").click()
    with page.expect_navigation():
        page.locator("#feed-table").get_by_role("link", name="Usulkan inovasi").click()
    assert "sudah memakai 0, sisa 3" in page.locator("#quota").inner_text()
    for code in ("E1", "E2", "E3", "E4"):
        page.locator(f"tr[data-entry={code}] input[type=checkbox]").check()
    with page.expect_navigation():
        page.locator("#nominate-submit").click()
    error = page.locator("#nominate-error").inner_text()
    assert "3 usulan per penyelenggara" in error and "Anda memilih 4" in error
    assert Nomination.objects.count() == 0
    page.locator("tr[data-entry=E4] input[type=checkbox]").uncheck()
    with page.expect_navigation():
        page.locator("#nominate-submit").click()
    assert "3 inovasi diusulkan" in page.locator("body").inner_text()
    assert "sudah memakai 3, sisa 0" in page.locator("#quota").inner_text()
    page.locator("tr[data-entry=E4] input[type=checkbox]").check()
    with page.expect_navigation():
        page.locator("#nominate-submit").click()
    error = page.locator("#nominate-error").inner_text()
    assert "Kuota KIPP Nasional Uji adalah 3 usulan per penyelenggara" in error
    assert "sudah memakai 3 (sisa 0)" in error
    assert Nomination.objects.count() == 3

    # The innovator opens the national draft: proposal, indicators, photos and the provenance.
    draft = Nomination.objects.get(lower_entry=entries["E1"]).entry
    page.context.clear_cookies()
    login(page, live_server, innovator.email, PASSWORD)
    page.goto(f"{live_server.url}/proposal/{draft.pk}/")
    assert page.locator("#entry-provenance").count() == 1
    assert "KIPP Sulawesi Selatan Uji" in page.locator("#provenance-competition").inner_text()
    body = page.locator("main").inner_text()
    assert "Teks ringkasan dari E1." in body and "Teks kebaruan dari E1." in body
    assert page.locator("[data-indicator]").count() == 1
    photo = page.locator("img.entry-photo, a.entry-photo img").first
    photo.scroll_into_view_if_needed()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", photo.element_handle())
    unmapped = page.locator("[data-unmapped=kearifan_lokal]").inner_text()
    assert "Teks kearifan_lokal dari E1." in unmapped

    # It places the text that had no section in the national call's "Dampak" and submits.
    page.goto(f"{live_server.url}/proposal/{draft.pk}/ubah/")
    dampak = draft.competition.sections.get(key="dampak")
    page.fill(f"textarea[name=answers-section_{dampak.pk}]", "Teks kearifan_lokal dari E1.")
    with page.expect_navigation():
        page.locator("#save-and-submit").click()
    with page.expect_navigation():
        page.locator("#confirm-submit").click()
    assert page.locator("#entry-status").get_attribute("data-status") in ("submitted", "forwarded")
    assert Entry.objects.get(pk=entries["E1"].pk).status == "eligible"  # the provincial entry is unchanged

    # The national organiser sees it with its provincial provenance.
    page.context.clear_cookies()
    login(page, live_server, national.email, PASSWORD)
    page.goto(f"{live_server.url}/proposal/{draft.pk}/")
    assert page.locator("#provenance-rank").inner_text() == "1"
    assert "065/312/III/B" in page.locator("#provenance-announcement").inner_text()
    with page.expect_navigation():
        page.locator("#provenance-announcement").click()
    assert "065/312/III/B" in page.locator("main").inner_text()
