"""The entries journey in the browser: an innovator signs up, verifies the email, drafts, uploads a photo and a
PDF, is refused submission until the regional verifier confirms their membership of the agency, submits; the
regional verifier returns it with a note; the innovator fixes and resubmits; the verifier forwards; the organiser
marks it eligible; the innovator sees the decision. Once in Indonesian, once in English (English run: assertions
on URLs, ids and data attributes only)."""

import re

import pytest

from entries.models import Entry
from tests.e2e.conftest import login
from tests.entries.conftest import SECTIONS, minimal_pdf, png_bytes
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    CategoryFactory,
    CompetitionFactory,
    OrganiserFactory,
    ProposalSectionFactory,
    VerifierFactory,
    region,
)
from tests.outbox import sent_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "Lengkapi data indikator dengan sumber resmi."


def use_language(page, live_server, language):
    if language == "en":
        page.goto(live_server.url + "/")
        with page.expect_navigation():
            page.locator("#language-form button[value=en]").click()


def sign_in(page, live_server, language, email):
    page.context.clear_cookies()
    use_language(page, live_server, language)
    login(page, live_server, email, PASSWORD)


@pytest.mark.parametrize("language", ["id", "en"])
def test_entry_journey(page, live_server, media_root, language):
    competition = CompetitionFactory(slug=f"kipp-e2e-{language}", code_prefix=f"E2E{language.upper()}")
    for order, (key, title, limit) in enumerate(SECTIONS):
        ProposalSectionFactory(competition=competition, key=key, title=title, word_limit=limit, order=order)
    CategoryFactory(competition=competition, key="inklusif", name="Pelayanan publik inklusif")
    agency = AgencyFactory(name="UPT SMPN 2 Rumbia", region=region("73.04"))
    verifier = VerifierFactory(region=region("73.04"), email=f"verifikator-{language}@example.org")
    organiser = OrganiserFactory(email=f"biro-{language}@example.org")
    email = f"suhaedir-{language}@example.org"

    # Sign up and verify the email from the outbox link.
    page.context.clear_cookies()
    use_language(page, live_server, language)
    page.goto(live_server.url + "/akun/daftar/")
    page.fill("input[name=email]", email)
    page.fill("input[name=full_name]", "Dr. Suhaedir Bahtiar")
    page.fill("input[name=position]", "Kepala UPT SMPN 2 Rumbia")
    page.select_option("select[name=agency]", str(agency.pk))
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    link = re.search(r"/akun/verifikasi/[^\s/]+/", sent_mail()[-1].body).group(0)
    page.goto(live_server.url + link)
    assert "/akun/masuk/" in page.url
    login(page, live_server, email, PASSWORD)

    # Draft.
    page.goto(live_server.url + "/proposal/saya/")
    page.locator(f"a[data-create-entry='{competition.slug}']").first.click()
    page.fill("input[name=title]", "Sapa Masyarakat Sekitar (SMS)")
    with page.expect_navigation():
        page.locator("#create-entry-form button[type=submit]").click()
    entry = Entry.objects.get(competition=competition)
    assert page.url.endswith(f"/proposal/{entry.pk}/ubah/")
    page.select_option("select[name=profile-category]", index=1)
    page.select_option("select[name=profile-stage]", "pengembangan")
    page.fill("input[name=profile-started_on]", "2019-07-15")
    # the location: a search (areas.js lists the matches while typing; "Cari" asks the server), then a choice
    page.fill("input[name=profile-area_q]", "Tompobulu")
    page.locator("input[name=profile-area][value='73.04.10.2006']").check()
    for textarea in page.locator("textarea[name^=answers-section_]").all():
        textarea.fill("Guru menyapa keluarga siswa yang berisiko putus sekolah di Desa Tompobulu.")
    counter = page.locator("#words-ringkasan")
    assert counter.get_attribute("data-template") and "/200" in counter.inner_text()
    page.fill("input[name=team-0-name]", "Dr. Suhaedir Bahtiar")
    page.fill("input[name=indicators-0-name]", "Angka putus sekolah")
    page.select_option("select[name=indicators-0-direction]", "lower")
    page.fill("input[name=indicators-0-baseline_value]", "7.8")
    page.fill("input[name=indicators-0-baseline_on]", "2019-07-01")
    page.fill("input[name=indicators-0-latest_value]", "1.2")
    page.fill("input[name=indicators-0-latest_on]", "2022-07-01")
    with page.expect_navigation():
        page.locator("#save-draft").click()
    entry.refresh_from_db()
    assert entry.version == 2 and entry.indicators.count() == 1 and entry.village_id == "73.04.10.2006"

    # Evidence: a photo and a PDF.
    for kind, name, mime, data in (
        ("photo", "kegiatan.png", "image/png", png_bytes((80, 60))),
        ("decree", "sk-inovator.pdf", "application/pdf", minimal_pdf()),
    ):
        page.select_option("#attachment-form select[name=kind]", kind)
        page.set_input_files(
            "#attachment-form input[name=file]", files=[{"name": name, "mimeType": mime, "buffer": data}]
        )
        with page.expect_navigation():
            page.locator("#upload-attachment").click()
    assert page.locator("[data-attachment-kind=photo]").count() == 1
    assert page.locator("[data-attachment-kind=decree]").count() == 1

    # Submitting speaks for the agency: refused until the membership is confirmed (issue 11 B).
    page.goto(f"{live_server.url}/proposal/{entry.pk}/ajukan/")
    assert page.locator("#confirm-submit").count() == 0
    assert page.url.endswith(f"/proposal/{entry.pk}/")
    if language == "id":
        assert "belum dikonfirmasi" in page.locator("body").inner_text()
    assert Entry.objects.get(pk=entry.pk).status == "draft"

    # The region's verifier confirms the newcomer on the pending members page.
    sign_in(page, live_server, language, verifier.email)
    page.goto(live_server.url + "/akun/anggota-baru/")
    with page.expect_navigation():
        page.locator("#pending-members tr", has_text=email).locator("button[value=confirm]").click()
    sign_in(page, live_server, language, email)

    # Submit.
    page.goto(f"{live_server.url}/proposal/{entry.pk}/ajukan/")
    with page.expect_navigation():
        page.locator("#confirm-submit").click()
    assert page.locator("#entry-status").get_attribute("data-status") == "submitted"

    # The verifier returns it with a note.
    sign_in(page, live_server, language, verifier.email)
    page.goto(live_server.url + "/proposal/verifikasi/")
    assert page.locator(f"tr[data-entry-code='{entry.code}']").count() == 1
    page.goto(f"{live_server.url}/proposal/{entry.pk}/")
    page.fill("#return-form textarea[name=note]", NOTE)
    with page.expect_navigation():
        page.locator("#return-form button[value=return]").click()
    assert Entry.objects.get(pk=entry.pk).status == "returned"

    # The innovator sees the note, fixes, resubmits.
    sign_in(page, live_server, language, email)
    page.goto(f"{live_server.url}/proposal/{entry.pk}/ubah/")
    assert NOTE in page.locator("#return-note").inner_text()
    page.fill("input[name=indicators-0-source]", "Dapodik")
    with page.expect_navigation():
        page.locator("#save-and-submit").click()
    assert page.url.endswith(f"/proposal/{entry.pk}/ajukan/")
    with page.expect_navigation():
        page.locator("#confirm-submit").click()
    assert page.locator("#entry-status").get_attribute("data-status") == "submitted"

    # The verifier forwards.
    sign_in(page, live_server, language, verifier.email)
    page.goto(f"{live_server.url}/proposal/{entry.pk}/")
    with page.expect_navigation():
        page.locator("#forward-form button[value=forward]").click()
    assert Entry.objects.get(pk=entry.pk).status == "forwarded"

    # The organiser marks it eligible from the selection queue.
    sign_in(page, live_server, language, organiser.email)
    page.goto(live_server.url + "/proposal/seleksi/")
    row = page.locator(f"tr[data-entry-code='{entry.code}']")
    assert row.count() == 1
    row.locator("a").click()
    page.wait_for_url(f"**/proposal/{entry.pk}/")
    page.locator("#decide-form input[name=decision][value=eligible]").check()
    with page.expect_navigation():
        page.locator("#decide-form button[type=submit]").click()
    assert Entry.objects.get(pk=entry.pk).status == "eligible"

    # The innovator sees the decision.
    sign_in(page, live_server, language, email)
    page.goto(f"{live_server.url}/proposal/{entry.pk}/")
    assert page.locator("#decision").get_attribute("data-decision") == "eligible"
    assert page.locator("svg.indicator-chart").count() == 1
    page.goto(live_server.url + "/proposal/saya/")
    assert page.locator(f"[data-entry-code='{entry.code}'] [data-status=eligible]").count() >= 1
    if language == "id":
        assert "Lolos seleksi administrasi" in page.locator(f"[data-entry-code='{entry.code}']").inner_text()
    else:
        assert page.locator("html").get_attribute("lang") == "en"
