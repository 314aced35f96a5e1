"""A letterhead (kop surat) as the page and the PDF print it: heading lines, address, logo. An organisation's
current one (`current`, its letterhead page's preview) and an announcement's as prepared
(judging/publication/letterhead.py) have this one shape, so one template (kipp/organisations/_letterhead.html) and
one PDF block draw both."""

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

# A logo is at most four times as tall as it is wide, or as wide as it is tall: a letterhead's logo is a crest or a
# badge, and a sliver 1 px wide would be drawn millions of points tall (the PDF could not be laid out).
MAX_LOGO_RATIO = 4


def logo_shape_refusal(width, height):
    """The message refusing a logo of this shape, or None."""
    if width and height and max(width / height, height / width) <= MAX_LOGO_RATIO:
        return None
    return _(
        "Bentuk logo terlalu memanjang (%(width)s × %(height)s piksel): sisi panjangnya paling banyak %(ratio)s kali "
        "sisi pendeknya. Potong logo lalu unggah lagi."
    ) % {"width": width, "height": height, "ratio": MAX_LOGO_RATIO}


def fit(width, height, box_width, box_height):
    """(w, h) of a picture of width x height drawn as large as fits in the box, keeping its shape."""
    scale = min(box_width / width, box_height / height)
    return width * scale, height * scale


@dataclass(frozen=True)
class Letterhead:
    name: str  # the organisation's name: the logo's text alternative, the heading when there are no lines
    lines: list
    address: str
    logo: str  # the logo's stored name ("" for none)
    logo_width: int | None
    logo_height: int | None
    logo_url: str

    @property
    def has_logo(self):
        return bool(self.logo and self.logo_width and self.logo_height)

    def logo_size(self, box=72):
        """The logo's (width, height) in whole pixels on a page, inside a square box (a logo stored before shapes were
        checked, however long, stays inside it)."""
        width, height = fit(self.logo_width, self.logo_height, box, box)
        return max(1, round(width)), max(1, round(height))

    @property
    def logo_display_width(self):
        return self.logo_size()[0]

    @property
    def logo_display_height(self):
        return self.logo_size()[1]

    @property
    def heading(self):
        return self.lines or [self.name]

    def logo_bytes(self):
        """The logo file's bytes, or None when there is none or it is gone."""
        if not self.has_logo:
            return None
        try:
            with default_storage.open(self.logo, "rb") as handle:
                return handle.read()
        except OSError:
            return None


def current(organisation):
    """The organisation's letterhead as it stands now."""
    logo = organisation.logo.name if organisation.logo else ""
    return Letterhead(
        name=organisation.name,
        lines=organisation.heading,
        address=organisation.address,
        logo=logo,
        logo_width=organisation.logo_width if logo else None,
        logo_height=organisation.logo_height if logo else None,
        logo_url=reverse("kipp:organisation_logo", args=[organisation.slug]) if logo else "",
    )
