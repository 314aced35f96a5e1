"""Attack corpus for evidence uploads, sent through the real upload view (POST /proposal/<pk>/lampiran/).

Refused: a decompression bomb, an SVG with script (as .svg and renamed .png), a zero-byte file, a file over the
limit, HTML named .jpg, a PDF with JavaScript (OpenAction, Names tree, link annotation, Launch).
Accepted but made harmless: a JPEG/HTML polyglot (re-encoded: the HTML does not survive), a real PNG named
.pdf (stored as .png by content), a name with ../ (stored under a generated name in the entry's folder).
"""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from entries.models import Attachment
from tests.security.conftest import png_bytes

pytestmark = pytest.mark.django_db


def upload(client, entry, kind, name, data, content_type="application/octet-stream"):
    return client.post(
        reverse("entries:attachment_add", args=[entry.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type=content_type)},
        follow=True,
    )


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width=100_000, height=100_000):
    """A valid PNG header declaring 10 gigapixels, with a tiny compressed body (a few hundred bytes)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * (width // 8)
    body = zlib.compress(row * 8, 9)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b"")


HTML = b"<html><body><script>alert('polyglot')</script></body></html>"


def jpeg_html_polyglot():
    """A JPEG that a browser sniffing for HTML could take for a page: HTML in a comment segment and after EOI."""
    jpeg = png_bytes(fmt="JPEG")
    comment = b"\xff\xfe" + struct.pack(">H", len(HTML) + 2) + HTML
    return jpeg[:2] + comment + jpeg[2:] + HTML


SVG = b"""<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">
<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"""


def pdf_with(mutate):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    mutate(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def js_action(kind="/JavaScript"):
    action = DictionaryObject()
    action[NameObject("/S")] = NameObject(kind)
    if kind == "/JavaScript":
        action[NameObject("/JS")] = TextStringObject("app.alert('x')")
    else:
        action[NameObject("/F")] = TextStringObject("calc.exe")
    return action


def _open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js_action())


def _names_js(writer):
    from pypdf.generic import ArrayObject

    tree = DictionaryObject()
    tree[NameObject("/Names")] = ArrayObject([TextStringObject("start"), writer._add_object(js_action())])
    names = DictionaryObject()
    names[NameObject("/JavaScript")] = writer._add_object(tree)
    writer._root_object[NameObject("/Names")] = names


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js_action("/Launch"))


def _page_aa(writer):
    aa = DictionaryObject()
    aa[NameObject("/O")] = writer._add_object(js_action())
    writer.pages[0][NameObject("/AA")] = aa


REFUSED = [
    ("decompression bomb", "photo", "peta.png", bomb_png(), "image/png", "terlalu besar"),
    ("svg with script", "photo", "logo.svg", SVG, "image/svg+xml", "bukan gambar"),
    ("svg renamed png", "photo", "logo.png", SVG, "image/png", "bukan gambar"),
    ("html named jpg", "photo", "foto.jpg", HTML, "image/jpeg", "bukan gambar"),
    (
        "pdf with OpenAction JavaScript",
        "document",
        "proposal.pdf",
        pdf_with(_open_action),
        "application/pdf",
        "JavaScript",
    ),
    (
        "pdf with a JavaScript names tree",
        "document",
        "proposal.pdf",
        pdf_with(_names_js),
        "application/pdf",
        "JavaScript",
    ),
    ("pdf that launches a program", "decree", "sk.pdf", pdf_with(_launch), "application/pdf", "JavaScript"),
    ("pdf with a page open action", "document", "sk.pdf", pdf_with(_page_aa), "application/pdf", "JavaScript"),
    ("svg as decree", "decree", "sk.svg", SVG, "image/svg+xml", "bukan"),
]


@pytest.mark.parametrize(
    ("kind", "name", "data", "ctype", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_refused_uploads_leave_nothing_behind(client, entry, innovator, media_root, kind, name, data, ctype, message):
    client.force_login(innovator)
    response = upload(client, entry, kind, name, data, ctype)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.filter(entry=entry).exists()
    assert not any(p.is_file() for p in media_root.rglob("*")) if media_root.exists() else True


def test_zero_byte_file_refused(client, entry, innovator, media_root):
    client.force_login(innovator)
    response = upload(client, entry, "photo", "kosong.jpg", b"", "image/jpeg")
    html = response.content.decode()
    assert "kosong" in html.lower() or "empty" in html.lower()
    assert not Attachment.objects.filter(entry=entry).exists()


def test_file_over_the_limit_refused_before_it_is_read_whole(client, entry, innovator, media_root, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 20_000
    client.force_login(innovator)
    import os

    from PIL import Image

    noise = Image.frombytes("RGB", (120, 120), os.urandom(120 * 120 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > settings.UPLOAD_MAX_FILE_BYTES
    response = upload(client, entry, "photo", "besar.png", out.getvalue(), "image/png")
    assert "terlalu besar" in response.content.decode()
    assert not Attachment.objects.filter(entry=entry).exists()


def test_jpeg_html_polyglot_is_stored_without_the_html_and_served_as_an_attachment(
    client, entry, innovator, media_root
):
    client.force_login(innovator)
    data = jpeg_html_polyglot()
    assert HTML in data
    upload(client, entry, "photo", "foto.jpg", data, "image/jpeg")
    attachment = Attachment.objects.get(entry=entry)
    stored = attachment.file.read()
    assert stored.startswith(b"\xff\xd8") and b"<script" not in stored and b"<html" not in stored
    response = client.get(reverse("entries:attachment", args=[attachment.pk]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"<script" not in body
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    # re-encoded images are shown inline (thumbnails, entry page); the type is fixed and sniffing is off
    assert response["Content-Disposition"].split(";")[0] in ("inline", "attachment")


def test_wrong_extension_is_decided_by_content(client, entry, innovator, media_root):
    client.force_login(innovator)
    upload(client, entry, "photo", "foto.pdf", png_bytes(), "application/pdf")
    attachment = Attachment.objects.get(entry=entry)
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")
    assert attachment.original_name == "foto.png"


def test_path_traversal_in_the_name_stays_inside_the_entry_folder(client, entry, innovator, media_root):
    client.force_login(innovator)
    upload(client, entry, "photo", "../../../../etc/cron.d/evil.png", png_bytes(), "image/png")
    attachment = Attachment.objects.get(entry=entry)
    assert ".." not in attachment.file.name
    assert attachment.file.name.startswith(f"entries/{entry.competition_id}/{entry.pk}/")
    assert "evil" not in attachment.file.name  # the stored name is generated
    assert "/" not in attachment.original_name
    stored = (media_root / attachment.file.name).resolve()
    assert stored.is_relative_to(media_root.resolve())


def test_plain_pdf_with_a_view_open_action_is_still_accepted(client, entry, innovator, media_root):
    """Office suites write an OpenAction that only sets the first view: that is not active content."""
    from pypdf.generic import ArrayObject

    def fit_view(writer):
        writer._root_object[NameObject("/OpenAction")] = ArrayObject(
            [writer.pages[0].indirect_reference, NameObject("/Fit")]
        )
        writer._root_object[NameObject("/PageLayout")] = NameObject("/SinglePage")

    client.force_login(innovator)
    upload(client, entry, "document", "laporan.pdf", pdf_with(fit_view), "application/pdf")
    assert Attachment.objects.filter(entry=entry, content_type="application/pdf").count() == 1
