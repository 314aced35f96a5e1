"""A full disk in the browser: the innovator uploads a 1.4 MB photo while MEDIA_ROOT (a 1 MB tmpfs) has no room;
the page says the file could not be stored, keeps what was typed, and nothing is left on disk or in the database."""

import pytest

from entries.models import Attachment, ProposalAnswer
from tests.e2e.conftest import login
from tests.e2e.test_entries_editing import open_edit
from tests.entries.conftest import SECTIONS
from tests.entries.test_upload_failures import noisy_jpeg
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    CompetitionFactory,
    EntryFactory,
    InnovatorFactory,
    ProposalSectionFactory,
)
from tests.faults.tmpfs import files_under, small_tmpfs

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full_media(settings, tmp_path):
    with small_tmpfs(tmp_path / "media", size="1m") as location:
        settings.MEDIA_ROOT = location
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "kipp.storage.AtomicFileSystemStorage", "OPTIONS": {"location": location}},
        }
        yield location


@pytest.fixture
def draft(db):
    competition = CompetitionFactory(quota_per_region=None, quota_per_agency=None)
    for order, (key, title, limit) in enumerate(SECTIONS):
        ProposalSectionFactory(competition=competition, key=key, title=title, word_limit=limit, order=order)
    agency = AgencyFactory(name="UPT SMPN 2 Rumbia")
    innovator = InnovatorFactory(agency=agency, full_name="Suhaedir Bahtiar")
    return EntryFactory(competition=competition, agency=agency, created_by=innovator, title="Sapa Masyarakat Sekitar")


def test_a_photo_on_a_full_disk_is_refused_with_a_message_and_keeps_the_text(page, live_server, draft, full_media):
    section = draft.competition.sections.get(key="ringkasan")
    login(page, live_server, draft.created_by.email, PASSWORD)
    open_edit(page, live_server, draft)
    textarea = f"textarea[name=answers-section_{section.pk}]"
    page.fill(textarea, "Teks yang belum tersimpan.")
    photo = noisy_jpeg()
    assert len(photo) > 1_300_000
    for _attempt in range(2):  # and the retry answers the same, leaving no 0-byte file
        page.set_input_files(
            "#attachment-form input[name=file]",
            files=[{"name": "foto-kegiatan.jpg", "mimeType": "image/jpeg", "buffer": photo}],
        )
        with page.expect_navigation():
            page.locator("#upload-attachment").click()
        assert "Berkas tidak dapat disimpan; coba lagi." in page.locator("body").inner_text()
        assert page.input_value(textarea) == "Teks yang belum tersimpan."
        assert files_under(full_media) == []
    assert not Attachment.objects.filter(entry=draft).exists()
    assert not ProposalAnswer.objects.filter(entry=draft, text="Teks yang belum tersimpan.").exists()
