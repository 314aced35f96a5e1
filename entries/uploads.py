"""Checking and cleaning uploaded evidence before anything is stored.

- Images (JPEG, PNG, WebP) are opened and verified with Pillow, bounded in pixels
  (settings.UPLOAD_MAX_IMAGE_PIXELS: decompression bombs are refused), then re-encoded from their pixels, so
  no EXIF/GPS block, comment or trailing payload survives, and given a small JPEG thumbnail.
- PDFs are recognised by content (the %PDF- header and a parse with pypdf), never by the file name.
- Stored names are generated (uuid); the uploaded name is kept only as sanitised display text.
"""

import hashlib
import io
import re
import unicodedata
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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
    data = read_upload(uploaded)
    name = display_name(getattr(uploaded, "name", ""))
    if kind == AttachmentKind.PHOTO:
        return clean_image(data, name)
    if kind == AttachmentKind.DOCUMENT:
        return clean_pdf(data, name)
    if kind == AttachmentKind.DECREE:
        return clean_pdf(data, name) if data.startswith(b"%PDF-") else clean_image(data, name)
    raise ValidationError(_("Jenis lampiran tidak dikenal."))


def _open_bounded(data):
    """Open and fully decode an image, refusing anything above the pixel bound before decoding it."""
    max_pixels = settings.UPLOAD_MAX_IMAGE_PIXELS
    bomb = _("Gambar terlalu besar (%(pixels)s piksel; batasnya %(limit)s piksel). Perkecil gambar lalu unggah lagi.")
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            pixels = probe.size[0] * probe.size[1]
            if pixels > max_pixels:
                raise ValidationError(bomb % {"pixels": f"{pixels:,}", "limit": f"{max_pixels:,}"})
            if probe.format not in IMAGE_FORMATS:
                raise ValidationError(_("Foto harus berformat JPEG, PNG atau WebP."))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(bomb % {"pixels": "?", "limit": f"{max_pixels:,}"}) from exc
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(_("Berkas ini bukan gambar yang dapat dibaca (JPEG, PNG atau WebP).")) from exc
    return image


def clean_image(data, name):
    image = _open_bounded(data)
    source_format = image.format
    content_type, extension = IMAGE_FORMATS[source_format]
    image = ImageOps.exif_transpose(image)  # keep the picture upright, then drop the metadata
    clean = _pixels_only(image, source_format)
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
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
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
    not_pdf = _("Berkas ini bukan PDF yang sah. Unggah dokumen dalam format PDF.")
    if not data.startswith(b"%PDF-"):
        raise ValidationError(not_pdf)
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("PDF terkunci kata sandi tidak dapat diterima."))
        if len(reader.pages) < 1:
            raise ValidationError(not_pdf)
        if has_active_content(reader, data):
            raise ValidationError(
                _(
                    "PDF ini berisi JavaScript atau aksi otomatis (misalnya membuka program) dan tidak dapat diterima. "
                    "Simpan ulang dokumen sebagai PDF biasa lalu unggah lagi."
                )
            )
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on a broken file
        raise ValidationError(not_pdf) from exc
    content_type, extension = PDF_TYPE
    return CleanFile(
        content=data, content_type=content_type, extension=extension, display_name=_with_extension(name, extension)
    )


_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm"}


def _is_active_action(action):
    action = action.get_object() if action is not None else None
    return hasattr(action, "get") and action.get("/S") in _ACTIVE_ACTIONS


def has_active_content(reader, data):
    """JavaScript or actions that run something: named in the file's bytes, in the catalog (OpenAction, AA,
    Names/JavaScript), or on a page (AA, link annotations). An OpenAction that only sets the first view stays."""
    if b"/JavaScript" in data or b"/Launch" in data:
        return True
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    if "/AA" in root or _is_active_action(root.get("/OpenAction")):
        return True
    if names is not None and "/JavaScript" in names.get_object():
        return True
    for page in reader.pages:
        if "/AA" in page:
            return True
        for annot in page.get("/Annots") or []:
            if _is_active_action(annot.get_object().get("/A")):
                return True
    return False


def _with_extension(name, extension):
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or _('berkas')}.{extension}"
