import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from entries import services
from entries.models import Attachment
from entries.uploads import display_name
from tests.entries.conftest import minimal_pdf, png_bytes, upload


def jpeg_with_gps_and_payload():
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {2: (5.0, 10.0, 0.0), 1: "S"}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue() + b"<?php echo 'payload'; ?>"


def stored_bytes(attachment):
    with attachment.file.open("rb") as handle:
        return handle.read()


def test_photo_is_reencoded_without_exif_gps_or_trailing_payload(entry, innovator, media_root):
    raw = jpeg_with_gps_and_payload()
    assert b"KameraRahasia" in raw and Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)
    attachment = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("IMG_0001.jpg", raw)
    )
    data = stored_bytes(attachment)
    assert b"payload" not in data and b"KameraRahasia" not in data
    reopened = Image.open(io.BytesIO(data))
    assert reopened.format == "JPEG"
    assert not reopened.getexif()
    assert attachment.content_type == "image/jpeg"
    assert attachment.thumbnail and attachment.width == 64
    assert len(attachment.sha256) == 64


def test_png_and_webp_accepted(entry, innovator, media_root):
    png = services.add_attachment(entry=entry, user=innovator, kind="photo", uploaded=upload("a.png", png_bytes()))
    webp = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("b.webp", png_bytes(fmt="WEBP"))
    )
    assert (png.content_type, webp.content_type) == ("image/png", "image/webp")


def test_stored_name_is_generated_and_dotdot_name_is_harmless(entry, innovator, media_root):
    attachment = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("../../../etc/passwd.png", png_bytes())
    )
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    assert attachment.file.name.startswith(f"entries/{entry.competition_id}/{entry.pk}/")
    assert attachment.original_name == "passwd.png"
    assert (media_root / attachment.file.name).is_file()
    assert not (media_root.parent / "etc").exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("..\\..\\win.ini", "win.ini"),
        ("<script>x</script>.pdf", "script_.pdf"),
        ("", "berkas"),
        ("a\x00b.pdf", "ab.pdf"),
    ],
)
def test_display_name_sanitised(raw, expected):
    assert display_name(raw) == expected


def refused(entry, innovator, kind, uploaded, match):
    before = entry.version
    with pytest.raises(ValidationError, match=match):
        services.add_attachment(entry=entry, user=innovator, kind=kind, uploaded=uploaded)
    entry.refresh_from_db()
    assert entry.version == before
    assert not Attachment.objects.filter(entry=entry).exists()


def test_file_over_the_limit_refused(entry, innovator, settings, media_root):
    settings.UPLOAD_MAX_FILE_BYTES = 1000
    refused(entry, innovator, "photo", upload("big.png", png_bytes((400, 400), fmt="BMP")), "terlalu besar")
    assert not any(media_root.rglob("*.*")) if media_root.exists() else True


def test_entry_total_over_the_limit_refused(entry, innovator, settings, media_root):
    first = png_bytes((50, 50))
    services.add_attachment(entry=entry, user=innovator, kind="photo", uploaded=upload("1.png", first))
    settings.UPLOAD_MAX_ENTRY_BYTES = Attachment.objects.get().size + 10
    with pytest.raises(ValidationError, match="Total lampiran"):
        services.add_attachment(
            entry=entry, user=innovator, kind="photo", uploaded=upload("2.png", png_bytes((60, 60)))
        )
    assert Attachment.objects.count() == 1
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 2  # the first photo and its thumbnail


def test_text_file_named_jpg_refused(entry, innovator, media_root):
    refused(entry, innovator, "photo", upload("foto.jpg", b"just some text, not an image\n" * 10), "bukan gambar")


def test_decompression_bomb_png_refused(entry, innovator, settings, media_root):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000
    out = io.BytesIO()
    Image.new("1", (5000, 5000)).save(out, "PNG")  # 25 megapixels in a few kilobytes
    assert len(out.getvalue()) < 50_000
    refused(entry, innovator, "photo", upload("bomb.png", out.getvalue()), "terlalu besar")


def test_huge_bomb_beyond_twice_the_limit_refused(entry, innovator, settings, media_root):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100_000
    out = io.BytesIO()
    Image.new("1", (3000, 3000)).save(out, "PNG")
    refused(entry, innovator, "photo", upload("bomb.png", out.getvalue()), "piksel")


def test_pdf_that_is_not_a_pdf_refused(entry, innovator, media_root):
    refused(entry, innovator, "document", upload("laporan.pdf", b"<html>not a pdf</html>"), "bukan PDF")


def test_truncated_pdf_with_header_refused(entry, innovator, media_root):
    refused(entry, innovator, "document", upload("laporan.pdf", b"%PDF-1.7\n garbage garbage"), "bukan PDF")


def test_gif_refused_as_photo(entry, innovator, media_root):
    refused(entry, innovator, "photo", upload("a.gif", png_bytes(fmt="GIF")), "JPEG, PNG atau WebP")


def test_valid_pdf_accepted_as_document_and_decree(entry, innovator, media_root):
    document = services.add_attachment(
        entry=entry, user=innovator, kind="document", uploaded=upload("laporan.exe", minimal_pdf())
    )
    assert document.content_type == "application/pdf" and document.original_name == "laporan.pdf"
    decree = services.add_attachment(
        entry=entry, user=innovator, kind="decree", uploaded=upload("sk.pdf", minimal_pdf())
    )
    assert decree.kind == "decree"


def test_upload_by_another_agency_refused(entry, other_innovator, media_root):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.add_attachment(entry=entry, user=other_innovator, kind="photo", uploaded=upload("a.png", png_bytes()))
    assert not Attachment.objects.exists()


def test_remove_attachment_deletes_file(entry, innovator, media_root):
    attachment = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("a.png", png_bytes())
    )
    path = media_root / attachment.file.name
    services.remove_attachment(attachment=attachment, user=innovator)
    assert not Attachment.objects.exists() and not path.exists()
