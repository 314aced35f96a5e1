"""Every uploaded image is cleaned here (evidence photos, record photos, an organisation's logo), before anything is
stored: only the header is read first (format and size, nothing decoded) and the pixel count is checked against
settings.UPLOAD_MAX_IMAGE_PIXELS; then the file is verified and decoded, with Pillow's own bound
(Image.MAX_IMAGE_PIXELS) set to the same value, so a decompression bomb is refused, never decoded. The picture is
re-encoded from its pixels, so no EXIF/GPS block, comment or trailing payload survives, and given a small JPEG
thumbnail. Stored names are generated (uuid); the uploaded name is kept only as sanitised display text.

The lowest layer holds it so that kipp's own uploads use the same cleaning; entries.uploads re-exports it."""

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
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
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


def _too_many_pixels(pixels=None):
    limit = number_format(settings.UPLOAD_MAX_IMAGE_PIXELS, force_grouping=True)  # 25.000.000 in Indonesian
    if pixels is None:
        message = _("Gambar terlalu besar (lebih dari %(limit)s piksel). Perkecil gambar lalu unggah lagi.")
        return ValidationError(message % {"limit": limit})
    message = _(
        "Gambar terlalu besar (%(pixels)s piksel; batasnya %(limit)s piksel). Perkecil gambar lalu unggah lagi."
    )
    return ValidationError(message % {"pixels": number_format(pixels, force_grouping=True), "limit": limit})


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


def _with_extension(name, extension):
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or _('berkas')}.{extension}"
