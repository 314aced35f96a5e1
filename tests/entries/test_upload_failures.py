"""Storage failures during uploads, on a real small filesystem (a 1 MB tmpfs as MEDIA_ROOT): a full disk or a
read-only folder answers with the form and a clear message, leaves no file behind (not even a 0-byte one on the
retry) and leaves the entry as it was. The same for record photos and field-check photos (kipp.files
save_files_or_none in all four places)."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from entries.models import Attachment, Entry, ProposalAnswer
from entries.uploads import clean_data
from judging.models import FieldCheck, RecordPhoto, RecordUpdate
from tests.entries.conftest import upload
from tests.entries.test_edit_form import page_fields
from tests.faults.tmpfs import files_under, fill, free_bytes, remount_read_only, small_tmpfs

pytestmark = pytest.mark.django_db

FAILED_ID = "Berkas tidak dapat disimpan; coba lagi."
FAILED_EN = "The file could not be stored; try again."


def noisy_jpeg(size=(1450, 1100), seed=1):
    """A photo that JPEG cannot shrink much: about 1.4 MB, still over 1 MB once the portal re-encodes it."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def tiny_media(settings, tmp_path):
    with small_tmpfs(tmp_path / "media", size="1m") as location:
        settings.MEDIA_ROOT = location
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "kipp.storage.AtomicFileSystemStorage", "OPTIONS": {"location": location}},
        }
        yield location


@pytest.fixture
def photo_bytes():
    data = noisy_jpeg()
    assert 1_300_000 < len(data) < 1_600_000
    return data


def _post_edit(client, entry, data, photo):
    form = {**data, "kind": "photo", "file": upload("foto-kegiatan.jpg", photo, "image/jpeg"), "upload": ""}
    return client.post(reverse("entries:edit", args=[entry.pk]), form)


def _typed(client, entry):
    section = entry.competition.sections.first()
    data = page_fields(client, entry)
    data["profile-title"] = "Judul yang baru diketik"
    data[f"answers-section_{section.pk}"] = "Teks yang baru diketik di samping unggahan."
    return data


def _unchanged(entry, version):
    fresh = Entry.objects.get(pk=entry.pk)
    assert fresh.version == version and fresh.title == entry.title
    assert not ProposalAnswer.objects.filter(entry=entry, text__startswith="Teks yang baru").exists()
    assert not Attachment.objects.filter(entry=entry).exists()


def test_a_full_disk_answers_with_the_form_and_leaves_nothing(client, entry, innovator, tiny_media, photo_bytes):
    client.force_login(innovator)
    data = _typed(client, entry)
    version = Entry.objects.get(pk=entry.pk).version
    response = _post_edit(client, entry, data, photo_bytes)
    page = response.content.decode()
    assert response.status_code == 200
    assert FAILED_ID in page
    assert "Judul yang baru diketik" in page and "Teks yang baru diketik di samping unggahan." in page
    assert files_under(tiny_media) == []
    _unchanged(entry, version)
    # the retry: the same answer, and no 0-byte file either
    response = _post_edit(client, entry, data, photo_bytes)
    assert response.status_code == 200 and FAILED_ID in response.content.decode()
    assert files_under(tiny_media) == []
    _unchanged(entry, version)


def test_the_message_is_in_english_for_an_english_reader(client, entry, innovator, tiny_media, photo_bytes):
    client.force_login(innovator)
    data = _typed(client, entry)
    client.cookies.load({"django_language": "en"})
    response = _post_edit(client, entry, data, photo_bytes)
    assert response.status_code == 200 and FAILED_EN in response.content.decode()
    assert files_under(tiny_media) == []


def test_a_read_only_folder_answers_with_the_form(client, entry, innovator, tiny_media):
    client.force_login(innovator)
    data = _typed(client, entry)
    version = Entry.objects.get(pk=entry.pk).version
    remount_read_only(tiny_media)
    small = noisy_jpeg(size=(120, 90))
    response = _post_edit(client, entry, data, small)
    assert response.status_code == 200 and FAILED_ID in response.content.decode()
    assert files_under(tiny_media) == []
    _unchanged(entry, version)


def test_room_for_the_photo_but_not_its_thumbnail_removes_both(client, entry, innovator, tiny_media):
    """The main file is stored whole, the thumbnail does not fit: the main file goes too."""
    small = noisy_jpeg(size=(500, 380), seed=2)
    clean = clean_data("photo", small, "foto.jpg")
    assert len(clean.thumbnail) > 3 * 4096
    client.force_login(innovator)
    data = _typed(client, entry)
    version = Entry.objects.get(pk=entry.pk).version
    (tiny_media / "entries" / str(entry.competition_id) / str(entry.pk)).mkdir(parents=True)
    pages = -(-clean.size // 4096)
    fill(tiny_media, leave=(pages + 1) * 4096)
    assert free_bytes(tiny_media) >= clean.size
    response = _post_edit(client, entry, data, small)
    assert response.status_code == 200 and FAILED_ID in response.content.decode()
    assert files_under(tiny_media) == []
    _unchanged(entry, version)


def test_the_upload_button_outside_the_edit_form_says_so_too(client, entry, innovator, tiny_media, photo_bytes):
    client.force_login(innovator)
    response = client.post(
        reverse("entries:attachment_add", args=[entry.pk]),
        {"kind": "photo", "file": upload("foto.jpg", photo_bytes, "image/jpeg")},
        follow=True,
    )
    assert response.status_code == 200 and FAILED_ID in response.content.decode()
    assert files_under(tiny_media) == [] and not Attachment.objects.filter(entry=entry).exists()


def test_once_there_is_room_the_same_upload_is_stored_whole(client, entry, innovator, tiny_media):
    client.force_login(innovator)
    data = _typed(client, entry)
    small = noisy_jpeg(size=(300, 200), seed=3)
    filler = fill(tiny_media, leave=4096)
    assert _post_edit(client, entry, data, small).status_code == 200
    filler.unlink()
    assert _post_edit(client, entry, data, small).status_code == 302
    attachment = Attachment.objects.get(entry=entry)
    stored = files_under(tiny_media)
    assert stored == sorted([attachment.file.name, attachment.thumbnail.name])
    assert (tiny_media / attachment.file.name).stat().st_size == attachment.size
    assert not any(".part-" in name for name in stored)


# Field-check photos and record photos -----------------------------------------------------------------


def test_a_field_check_photo_on_a_full_disk_changes_nothing(client, tiny_media, photo_bytes):
    from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

    round_ = make_round([("lokasi", 1, 1, 10)], kind="field", slug="verifikasi-lapangan", state="open")
    entry = add_entry(round_, "F1")
    judge = add_judge(round_)
    add_sheet(round_, entry, judge, {}, assign_only=True)
    url = reverse("judging:field_entry", args=[round_.competition.slug, round_.slug, entry.pk])
    client.force_login(judge)
    client.get(url)
    check = FieldCheck.objects.filter(round=round_, entry=entry).first()
    photo = SimpleUploadedFile("lokasi.jpg", photo_bytes, content_type="image/jpeg")
    response = client.post(url, {"check": check.pk, "verified": "yes", "note": "Sesuai.", "photo": photo}, follow=True)
    assert response.status_code == 200 and FAILED_ID in response.content.decode()
    check.refresh_from_db()
    assert check.verified is None and not check.photo and check.note == ""
    assert files_under(tiny_media) == []


def test_a_record_photo_on_a_full_disk_keeps_the_update_form(client, tiny_media, photo_bytes):
    from tests.judging.records.helpers import published_world

    world = published_world()
    url = reverse("records:update", args=["sapa-masyarakat-sekitar-sms"])
    client.force_login(world["owner"])
    response = client.post(
        url,
        {
            "is_running": "1",
            "note": "Diperluas ke desa tetangga.",
            "photo": SimpleUploadedFile("kegiatan.jpg", photo_bytes, content_type="image/jpeg"),
            "values-TOTAL_FORMS": "1",
            "values-INITIAL_FORMS": "0",
            "values-0-name": "Angka putus sekolah",
            "values-0-value": "2",
            "values-0-measured_on": timezone.localdate().isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and FAILED_ID in page and "Diperluas ke desa tetangga." in page
    assert not RecordUpdate.objects.exists() and not RecordPhoto.objects.exists()
    assert files_under(tiny_media) == []
