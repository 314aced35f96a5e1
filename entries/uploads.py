"""Checking and cleaning uploaded evidence before anything is stored.

The cheap checks come first (the caller, entries.services.add_attachment, checks the upload's bytes, the entry's
total and count and the person's total before calling clean_upload); decoding comes last:
- Images (JPEG, PNG, WebP): cleaned by kipp.images (the one image cleaning of the portal: header and pixel count
  first, then decoded within bounds and re-encoded from its pixels, with a small JPEG thumbnail).
- PDFs are recognised by content (the %PDF- header and a strict parse with pypdf), never by the file name, and
  walked object by object for active content, within bounds, in a child process limited in CPU time and memory
  (entries/pdf_check.py), so a crafted file costs the portal's process nothing and the child no more than its limits.
- Stored names are generated (uuid); the uploaded name is kept only as sanitised display text.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from entries import pdf_check
from entries.enums import AttachmentKind
from kipp.images import (  # noqa: F401 (re-exported: the one image cleaning lives in kipp.images)
    IMAGE_FORMATS,
    THUMBNAIL_SIZE,
    CleanFile,
    _with_extension,
    clean_image,
    display_name,
    image_header,
    make_thumbnail,
    read_upload,
)

PDF_TYPE = ("application/pdf", "pdf")


def clean_upload(kind, uploaded):
    """Return a CleanFile for an evidence upload of `kind`, or raise ValidationError with a clear message."""
    return clean_data(kind, read_upload(uploaded), getattr(uploaded, "name", ""))


def clean_data(kind, data, name):
    """clean_upload for bytes already read (read_upload) and checked against the caller's limits."""
    name = display_name(name)
    if kind == AttachmentKind.PHOTO:
        return clean_image(data, name)
    if kind == AttachmentKind.DOCUMENT:
        return clean_pdf(data, name)
    if kind == AttachmentKind.DECREE:
        return clean_pdf(data, name) if data.startswith(b"%PDF-") else clean_image(data, name)
    raise ValidationError(_("Jenis lampiran tidak dikenal."))


def clean_pdf(data, name):
    """Accept a PDF only when it parses (strictly) and holds no active content. The check runs in a child process
    with a CPU-time and memory limit (entries/pdf_check.py): whatever a crafted file makes pypdf do (a few kB of
    compressed object streams can expand into minutes of parsing), one upload costs at most
    UPLOAD_PDF_CPU_SECONDS of CPU and UPLOAD_PDF_MEMORY_MB of memory, and the portal's own process none of it."""
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Berkas ini bukan PDF yang sah. Unggah dokumen dalam format PDF."))
    verdict = _checked_in_child(data)
    if verdict == pdf_check.ENCRYPTED:
        raise ValidationError(_("PDF terkunci kata sandi tidak dapat diterima."))
    if verdict == pdf_check.TOO_COMPLEX:
        raise ValidationError(
            _(
                "PDF ini terlalu rumit untuk diperiksa (lebih dari %(limit)s objek atau %(depth)s tingkat). Simpan "
                "ulang sebagai PDF biasa atau bagi menjadi beberapa berkas, lalu unggah lagi."
            )
            % {
                "limit": number_format(settings.UPLOAD_PDF_MAX_OBJECTS, force_grouping=True),
                "depth": settings.UPLOAD_PDF_MAX_DEPTH,
            }
        )
    if verdict == pdf_check.EMBEDDED:
        raise ValidationError(
            _(
                "PDF ini memuat berkas lain di dalamnya (lampiran tersemat) dan tidak dapat diterima. Hapus lampiran "
                "di dalam PDF atau simpan ulang dokumen sebagai PDF biasa, lalu unggah lagi."
            )
        )
    if verdict == pdf_check.ACTION:
        raise ValidationError(
            _(
                "PDF ini berisi JavaScript atau aksi otomatis (misalnya membuka program) dan tidak dapat diterima. "
                "Simpan ulang dokumen sebagai PDF biasa lalu unggah lagi."
            )
        )
    if verdict != pdf_check.CLEAN:
        raise ValidationError(_broken_pdf_message())
    content_type, extension = PDF_TYPE
    return CleanFile(
        content=data, content_type=content_type, extension=extension, display_name=_with_extension(name, extension)
    )


def _checked_in_child(data):
    """The verdict of entries/pdf_check.py run as a child process under its limits. A child that runs out of CPU
    time or memory (killed, or no verdict) means the file is too costly to check: TOO_COMPLEX."""
    cpu = settings.UPLOAD_PDF_CPU_SECONDS
    command = [
        sys.executable,
        "-m",
        "entries.pdf_check",
        str(settings.UPLOAD_PDF_MAX_OBJECTS),
        str(settings.UPLOAD_PDF_MAX_DEPTH),
        str(cpu),
        str(settings.UPLOAD_PDF_MEMORY_MB),
    ]
    environment = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(settings.BASE_DIR), "PYTHONHASHSEED": "0"}
    try:
        child = subprocess.run(  # noqa: S603 - our own module, the file on standard input
            command,
            input=data,
            capture_output=True,
            timeout=cpu * 3 + 10,
            cwd=settings.BASE_DIR,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return pdf_check.TOO_COMPLEX
    verdict = child.stdout.decode("ascii", "replace").strip()
    if child.returncode != 0 or verdict not in pdf_check.VERDICTS:
        return pdf_check.TOO_COMPLEX if child.returncode < 0 or b"MemoryError" in child.stderr else pdf_check.BROKEN
    return verdict


def _broken_pdf_message():
    return _(
        "Berkas ini bukan PDF yang sah: isinya rusak atau tidak dapat dibaca. Buka dokumen aslinya, simpan ulang "
        "atau ekspor sebagai PDF, lalu unggah lagi."
    )
