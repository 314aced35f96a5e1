"""Editing a draft in the browser, as an innovator does it over several sittings: saved team members and
indicators survive every later save, an upload keeps what was typed beside it, and the page says what is still
missing for submission while editing."""

import pytest

from entries.models import Entry, ProposalAnswer
from tests.e2e.conftest import login
from tests.entries.conftest import SECTIONS, minimal_pdf, png_bytes
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    CompetitionFactory,
    EntryFactory,
    InnovatorFactory,
    ProposalSectionFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(db):
    competition = CompetitionFactory(quota_per_region=None, quota_per_agency=None)
    for order, (key, title, limit) in enumerate(SECTIONS):
        ProposalSectionFactory(competition=competition, key=key, title=title, word_limit=limit, order=order)
    agency = AgencyFactory(name="UPT SMPN 2 Rumbia")
    innovator = InnovatorFactory(agency=agency, full_name="Suhaedir Bahtiar")
    return EntryFactory(competition=competition, agency=agency, created_by=innovator, title="Sapa Masyarakat Sekitar")


def open_edit(page, live_server, entry):
    page.goto(f"{live_server.url}/proposal/{entry.pk}/ubah/")


def save_draft(page):
    with page.expect_navigation():
        page.locator("#save-draft").click()
    assert "Draf tersimpan." in page.locator("body").inner_text()


def test_team_member_and_indicator_survive_three_saves(page, live_server, draft):
    login(page, live_server, draft.created_by.email, PASSWORD)
    open_edit(page, live_server, draft)
    page.fill("input[name=team-0-name]", "Dr. Suhaedir Bahtiar")
    page.fill("input[name=indicators-0-name]", "Siswa kembali bersekolah")
    page.select_option("select[name=indicators-0-kind]", "count")
    page.fill("input[name=indicators-0-unit]", "orang")
    page.fill("input[name=indicators-0-baseline_value]", "0")
    page.fill("input[name=indicators-0-baseline_on]", "2019-07-01")
    page.fill("input[name=indicators-0-latest_value]", "23")
    page.fill("input[name=indicators-0-latest_on]", "2022-07-01")
    save_draft(page)
    for _ in range(2):  # reload, save (twice)
        open_edit(page, live_server, draft)
        save_draft(page)
    entry = Entry.objects.get(pk=draft.pk)
    assert list(entry.team_members.values_list("name", flat=True)) == ["Dr. Suhaedir Bahtiar"]
    assert list(entry.indicators.values_list("name", "kind")) == [("Siswa kembali bersekolah", "count")]
    open_edit(page, live_server, draft)
    assert page.input_value("input[name=team-0-name]") == "Dr. Suhaedir Bahtiar"
    assert page.input_value("input[name=indicators-0-latest_value]") == "23"
    page.goto(f"{live_server.url}/proposal/{draft.pk}/")
    team = page.locator("ul.entry-team")
    assert team.count() == 1 and "Dr. Suhaedir Bahtiar" in team.inner_text()
    assert page.locator("[data-indicator]").count() == 1


def test_photo_upload_keeps_the_section_just_edited(page, live_server, draft, media_root):
    section = draft.competition.sections.get(key="ringkasan")
    login(page, live_server, draft.created_by.email, PASSWORD)
    open_edit(page, live_server, draft)
    textarea = f"textarea[name=answers-section_{section.pk}]"
    page.fill(textarea, "Guru menyapa keluarga siswa yang berisiko putus sekolah.")
    page.select_option("#attachment-form select[name=kind]", "photo")
    page.set_input_files(
        "#attachment-form input[name=file]",
        files=[{"name": "kegiatan.png", "mimeType": "image/png", "buffer": png_bytes((80, 60))}],
    )
    with page.expect_navigation():
        page.locator("#upload-attachment").click()
    assert "Lampiran diunggah." in page.locator("body").inner_text()
    assert page.locator("[data-attachment-kind=photo]").count() == 1
    assert page.input_value(textarea) == "Guru menyapa keluarga siswa yang berisiko putus sekolah."
    assert ProposalAnswer.objects.get(entry=draft, section=section).text.startswith("Guru menyapa")


def test_failed_upload_keeps_what_was_typed(page, live_server, draft, media_root):
    section = draft.competition.sections.get(key="ringkasan")
    login(page, live_server, draft.created_by.email, PASSWORD)
    open_edit(page, live_server, draft)
    textarea = f"textarea[name=answers-section_{section.pk}]"
    page.fill(textarea, "Teks yang belum tersimpan.")
    page.set_input_files(
        "#attachment-form input[name=file]",
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}],
    )
    with page.expect_navigation():
        page.locator("#upload-attachment").click()
    assert "bukan gambar" in page.locator("body").inner_text()
    assert page.input_value(textarea) == "Teks yang belum tersimpan."
    assert not ProposalAnswer.objects.filter(entry=draft, text="Teks yang belum tersimpan.").exists()


def test_checklist_shows_the_missing_decree_while_editing(page, live_server, draft, media_root):
    login(page, live_server, draft.created_by.email, PASSWORD)
    open_edit(page, live_server, draft)
    assert "SK inovator: PDF atau foto" in page.locator("#attachment-form").inner_text()
    checklist = page.locator("#submission-checklist")
    assert "Unggah SK inovator." in checklist.inner_text()
    page.select_option("#attachment-form select[name=kind]", "decree")
    page.set_input_files(
        "#attachment-form input[name=file]",
        files=[{"name": "sk-inovator.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}],
    )
    with page.expect_navigation():
        page.locator("#upload-attachment").click()
    assert "Unggah SK inovator." not in page.locator("#submission-checklist").inner_text()
    assert "Unggah minimal satu foto kegiatan inovasi." in page.locator("#submission-checklist").inner_text()
