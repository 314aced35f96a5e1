"""Checking and cleaning uploaded evidence before anything is stored.

The cheap checks come first (the caller, entries.services.add_attachment, checks the upload's bytes, the entry's
total and count and the person's total before calling clean_upload); decoding comes last:
- Images (JPEG, PNG, WebP): only the header is read first (format and size, nothing decoded) and the pixel count
  is checked against settings.UPLOAD_MAX_IMAGE_PIXELS; then the file is verified and decoded, with Pillow's own
  bound (Image.MAX_IMAGE_PIXELS) set to the same value, so a decompression bomb is refused, never decoded. The
  picture is re-encoded from its pixels, so no EXIF/GPS block, comment or trailing payload survives, and given a
  small JPEG thumbnail.
- PDFs are recognised by content (the %PDF- header and a strict parse with pypdf), never by the file name, and
  walked object by object for active content, within bounds, in a child process limited in CPU time and memory
  (entries/pdf_check.py), so a crafted file costs the portal's process nothing and the child no more than its limits.
- Stored names are generated (uuid); the uploaded name is kept only as sanitised display text.
"""

import hashlib
import io
import os
import re
import subprocess
import sys
import unicodedata
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from entries import pdf_check
from entries.enums import AttachmentKind

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF_TYPE = ("application/pdf", "pdf")
THUMBNAIL_SIZE = (480, 360)
_UNSAFE_NAME_CHARS = re.compile(r"[^\w .()\-]+")


@dataclass
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    display_name: str
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None

    @property
    def size(self):
        return len(self.content)

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()

    def stored_name(self):
        return f"{uuid.uuid4().hex}.{self.extension}"


def display_name(name):
    """The uploaded name as harmless display text: no folders, no control characters, at most 120 chars."""
    name = unicodedata.normalize("NFKC", str(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    name = re.sub(r"\.{2,}", ".", name)
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110 - len(ext)] + "." + ext) if dot and len(ext) <= 8 else name[:120]
    return name or _("berkas")


def read_upload(uploaded, max_bytes=None):
    """Read an UploadedFile, refusing it before reading everything when it is over the per-file limit."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_FILE_BYTES
    too_big = _("Berkas terlalu besar: %(size)s; batasnya %(limit)s per berkas.")
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise ValidationError(too_big % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)})
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(too_big % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)})
    if not data:
        raise ValidationError(_("Berkas kosong."))
    return data


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


def _too_many_pixels(pixels=None):
    limit = f"{settings.UPLOAD_MAX_IMAGE_PIXELS:,}"
    if pixels is None:
        message = _("Gambar terlalu besar (lebih dari %(limit)s piksel). Perkecil gambar lalu unggah lagi.")
        return ValidationError(message % {"limit": limit})
    message = _(
        "Gambar terlalu besar (%(pixels)s piksel; batasnya %(limit)s piksel). Perkecil gambar lalu unggah lagi."
    )
    return ValidationError(message % {"pixels": f"{pixels:,}", "limit": limit})


def _not_an_image():
    return ValidationError(_("Berkas ini bukan gambar yang dapat dibaca (JPEG, PNG atau WebP)."))


def image_header(data):
    """Open the image without decoding it (Image.open reads only the header) and check its format and pixel
    count: a few microseconds, whatever the picture's size. Returns the unloaded image."""
    max_pixels = settings.UPLOAD_MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow refuses to open anything above twice this, warns above it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below, with the count
            probe = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _not_an_image() from exc
    if probe.format not in IMAGE_FORMATS:
        raise ValidationError(_("Foto harus berformat JPEG, PNG atau WebP."))
    pixels = probe.size[0] * probe.size[1]
    if pixels > max_pixels:
        raise _too_many_pixels(pixels)
    return probe


def _open_bounded(data):
    """Check the header (image_header), then verify and decode the image, refusing a decompression bomb."""
    probe = image_header(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _not_an_image() from exc
    return image


def clean_image(data, name):
    image = _open_bounded(data)
    source_format = image.format
    content_type, extension = IMAGE_FORMATS[source_format]
    ImageOps.exif_transpose(image, in_place=True)  # keep the picture upright (no copy), then drop the metadata
    clean = _pixels_only(image, source_format)
    del image  # one full-size copy at a time
    out = io.BytesIO()
    if source_format == "JPEG":
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif source_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=88)
    return CleanFile(
        content=out.getvalue(),
        content_type=content_type,
        extension=extension,
        display_name=_with_extension(name, extension),
        thumbnail=make_thumbnail(clean),
        width=clean.width,
        height=clean.height,
    )


def _pixels_only(image, target_format):
    """A new image holding only the pixels: no info dict, EXIF, ICC, text chunks or anything appended."""
    if target_format == "JPEG":
        mode = "RGB" if image.mode not in ("L", "RGB") else image.mode
    else:
        mode = image.mode if image.mode in ("L", "LA", "RGB", "RGBA") else "RGBA"
    converted = image.convert(mode) if image.mode != mode else image
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    clean.info = {}
    return clean


def make_thumbnail(image):
    """A JPEG of at most THUMBNAIL_SIZE, resized from `image` without copying it at full size first."""
    scale = min(THUMBNAIL_SIZE[0] / image.width, THUMBNAIL_SIZE[1] / image.height, 1)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    thumb = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0) if scale < 1 else image.copy()
    if thumb.mode in ("RGBA", "LA"):
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb, mask=thumb.getchannel("A"))
        thumb = background
    elif thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80)
    return out.getvalue()


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


def _with_extension(name, extension):
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or _('berkas')}.{extension}"
