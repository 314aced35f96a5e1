"""A letterhead (kop surat) as the page and the PDF print it: heading lines, address, logo. An organisation's
current one (`current`, its letterhead page's preview) and an announcement's as prepared
(judging/publication/letterhead.py) have this one shape, so one template (kipp/organisations/_letterhead.html) and
one PDF block draw both."""

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.urls import reverse


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
