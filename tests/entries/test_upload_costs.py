"""Costs are bounded before work (issue 17, finding 12 and item 10).

The cheap checks come first: an upload that the entry (count, total bytes) or its uploader (bytes in the
competition) has no room for is refused before it is decoded; an image is refused on its header when it has more
pixels than settings.UPLOAD_MAX_IMAGE_PIXELS, before a single pixel is decoded; a person starts at most
settings.ENTRY_MAX_DRAFTS_PER_PERSON entries in a competition. "Before decoding" is shown with files that would
be refused differently if they were decoded (a header promising pixels that are not there).
"""

import io
import struct
import threading
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from PIL import Image

from entries import services
from entries.models import Attachment, Entry
from tests.entries.conftest import minimal_pdf, png_bytes, upload
from tests.factories import CompetitionFactory, EntryFactory, InnovatorFactory


def png_header_only(width, height):
    """A PNG whose header says width x height, followed by pixel data that is not there (a broken IDAT): decoding
    it fails with "not an image", so a pixel refusal proves that only the header was read."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"not deflate data") + chunk(b"IEND", b"")


def not_an_image_but_big(size):
    return b"\x89PNG\r\n\x1a\n" + b"x" * (size - 8)


def state(entry, media_root):
    entry.refresh_from_db()
    files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    return list(Attachment.objects.order_by("pk").values_list("pk", "entry_id", "sha256")), files, entry.version


def assert_refused(entry, user, media_root, kind, data, match):
    before = state(entry, media_root)
    with pytest.raises(ValidationError, match=match):
        services.add_attachment(entry=entry, user=user, kind=kind, uploaded=upload("bukti.png", data))
    assert state(entry, media_root) == before


# Images: the header first ---------------------------------------------------------------------------------------


def test_the_default_pixel_bound_is_25_megapixels(settings):
    assert settings.UPLOAD_MAX_IMAGE_PIXELS == 25_000_000


def test_a_40_megapixel_png_is_refused_on_its_header(entry, innovator, media_root):
    """The issue's 40 MP PNG (under the old 40 MP bound): refused with its pixel count, never decoded."""
    data = png_header_only(7300, 5470)
    assert len(data) < 100
    assert_refused(entry, innovator, media_root, "photo", data, r"39\.931\.000 piksel; batasnya 25\.000\.000 piksel")


def test_a_real_png_over_the_bound_is_refused_with_its_count(entry, innovator, media_root, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 10_000
    assert_refused(entry, innovator, media_root, "photo", png_bytes((200, 100)), r"20\.000 piksel")


def test_a_bomb_far_over_the_bound_is_refused_by_pillow_before_decoding(entry, innovator, media_root, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 10_000
    assert_refused(entry, innovator, media_root, "photo", png_header_only(1000, 1000), r"lebih dari 10\.000 piksel")


def test_a_header_under_the_bound_with_no_pixels_is_refused_as_not_an_image(entry, innovator, media_root):
    assert_refused(entry, innovator, media_root, "photo", png_header_only(100, 100), "bukan gambar")


def test_decree_photo_is_bounded_the_same_way(entry, innovator, media_root):
    assert_refused(entry, innovator, media_root, "decree", png_header_only(6000, 6000), r"36\.000\.000 piksel")


def test_an_image_under_the_bound_is_decoded_and_reencoded(entry, innovator, media_root, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1000 * 200
    attachment = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("lebar.png", png_bytes((1000, 200)))
    )
    assert (attachment.width, attachment.height) == (1000, 200)
    with attachment.thumbnail.open("rb") as handle:
        assert Image.open(handle).size == (480, 96)


def test_a_rotated_jpeg_is_stored_upright_without_its_exif(entry, innovator, media_root):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to view
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(out, "JPEG", exif=exif.tobytes())
    attachment = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("miring.jpg", out.getvalue())
    )
    assert (attachment.width, attachment.height) == (40, 60)
    with attachment.file.open("rb") as handle:
        assert not Image.open(handle).getexif()


# The entry's and the person's room, before decoding --------------------------------------------------------------


def test_entry_total_is_checked_before_decoding(entry, innovator, media_root, settings):
    services.add_attachment(entry=entry, user=innovator, kind="document", uploaded=upload("a.pdf", minimal_pdf()))
    settings.UPLOAD_MAX_ENTRY_BYTES = Attachment.objects.get().size + 1000
    assert_refused(entry, innovator, media_root, "photo", not_an_image_but_big(2000), "Total lampiran proposal")


def test_attachment_count_is_bounded_before_decoding(entry, innovator, media_root, settings):
    settings.UPLOAD_MAX_ENTRY_FILES = 2
    for number in (1, 2):
        services.add_attachment(
            entry=entry, user=innovator, kind="document", uploaded=upload(f"{number}.pdf", minimal_pdf())
        )
    assert_refused(
        entry, innovator, media_root, "photo", not_an_image_but_big(100), "sudah memiliki 2 lampiran; batasnya 2"
    )
    services.remove_attachment(attachment=Attachment.objects.first(), user=innovator)
    services.add_attachment(entry=entry, user=innovator, kind="photo", uploaded=upload("foto.png", png_bytes()))
    assert Attachment.objects.filter(entry=entry).count() == 2


def test_bytes_per_person_in_a_competition_are_bounded(entry, innovator, media_root, settings):
    """What one person uploads across the entries of a competition is bounded; another competition is not
    counted, and a colleague of the same agency has their own room."""
    second = EntryFactory(competition=entry.competition, agency=entry.agency, created_by=innovator)
    elsewhere = EntryFactory(agency=entry.agency, created_by=innovator)
    services.add_attachment(entry=elsewhere, user=innovator, kind="document", uploaded=upload("x.pdf", minimal_pdf()))
    services.add_attachment(entry=entry, user=innovator, kind="document", uploaded=upload("a.pdf", minimal_pdf()))
    size = Attachment.objects.filter(entry=entry).get().size
    settings.UPLOAD_MAX_PERSON_BYTES = size + 1000
    assert_refused(
        second, innovator, media_root, "photo", not_an_image_but_big(2000), "Lampiran yang Anda unggah pada kompetisi"
    )
    colleague = InnovatorFactory(agency=entry.agency)
    services.add_attachment(entry=second, user=colleague, kind="document", uploaded=upload("b.pdf", minimal_pdf()))
    assert Attachment.objects.filter(entry=second).count() == 1


def test_upload_page_shows_the_room_message(client, entry, innovator, media_root, settings):
    settings.UPLOAD_MAX_ENTRY_FILES = 1
    services.add_attachment(entry=entry, user=innovator, kind="document", uploaded=upload("a.pdf", minimal_pdf()))
    client.force_login(innovator)
    response = client.post(
        reverse("entries:attachment_add", args=[entry.pk]),
        {"kind": "photo", "file": upload("foto.png", png_bytes())},
        follow=True,
    )
    assert "Proposal ini sudah memiliki 1 lampiran; batasnya 1. Hapus lampiran" in response.content.decode()
    assert Attachment.objects.filter(entry=entry).count() == 1


# Drafts per person and competition --------------------------------------------------------------------------------


def test_drafts_per_person_and_competition_are_limited(competition, innovator, colleague, settings):
    settings.ENTRY_MAX_DRAFTS_PER_PERSON = 2
    first = services.create_entry(user=innovator, competition=competition, title="Satu")
    services.create_entry(user=innovator, competition=competition, title="Dua")
    with pytest.raises(ValidationError, match="sudah memulai 2 proposal pada kompetisi ini; batasnya 2 per orang"):
        services.create_entry(user=innovator, competition=competition, title="Tiga")
    assert list(Entry.objects.filter(created_by=innovator).order_by("title").values_list("title", flat=True)) == [
        "Dua",
        "Satu",
    ]
    services.withdraw_entry(entry=first, user=innovator)  # a withdrawn draft keeps its files: it still counts
    with pytest.raises(ValidationError, match="batasnya 2 per orang"):
        services.create_entry(user=innovator, competition=competition, title="Tiga")
    assert services.create_entry(user=colleague, competition=competition, title="Milik rekan").created_by == colleague
    other = CompetitionFactory(quota_per_region=None, quota_per_agency=None)
    assert services.create_entry(user=innovator, competition=other, title="Kompetisi lain").competition == other
    assert Entry.objects.filter(competition=competition, created_by=innovator).count() == 2


def test_create_page_shows_the_draft_limit(client, competition, innovator, settings):
    settings.ENTRY_MAX_DRAFTS_PER_PERSON = 1
    services.create_entry(user=innovator, competition=competition, title="Satu")
    client.force_login(innovator)
    response = client.post(reverse("entries:create", args=[competition.slug]), {"title": "Dua", "group": "umum"})
    assert response.status_code == 200
    assert "Lanjutkan salah satu draf Anda di halaman “Proposal saya”." in response.content.decode()
    assert Entry.objects.filter(created_by=innovator).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_creations_cannot_pass_the_draft_limit(settings):
    settings.ENTRY_MAX_DRAFTS_PER_PERSON = 3
    competition = CompetitionFactory(quota_per_region=None, quota_per_agency=None)
    user = InnovatorFactory()
    barrier = threading.Barrier(6)
    refused = []

    def create(number):
        try:
            barrier.wait()
            services.create_entry(user=user, competition=competition, title=f"Serentak {number}")
        except ValidationError as exc:
            refused.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Entry.objects.filter(competition=competition, created_by=user).count() == 3
    assert len(refused) == 3


def test_decoded_uploads_per_person_are_limited_in_the_database(entry, innovator, colleague, media_root, settings):
    """Uploading and removing the same photo again and again costs a decode each time: an hourly count per person,
    kept in the database (kipp.limits), so every app server and process shares it."""
    from kipp import limits

    settings.UPLOADS_PER_PERSON_PER_HOUR = 2
    for number in (1, 2):
        attachment = services.add_attachment(
            entry=entry, user=innovator, kind="photo", uploaded=upload(f"{number}.png", png_bytes())
        )
        services.remove_attachment(attachment=attachment, user=innovator)
    assert_refused(entry, innovator, media_root, "photo", png_bytes(), "sudah mengunggah 2 berkas dalam satu jam ini")
    assert limits.count(f"entries.upload:{innovator.pk}", window=3600) == 3
    services.add_attachment(entry=entry, user=colleague, kind="photo", uploaded=upload("rekan.png", png_bytes()))
    assert Attachment.objects.filter(entry=entry, uploaded_by=colleague).count() == 1
