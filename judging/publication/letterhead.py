"""An announcement's letterhead (kop surat) as it stood when the announcement was prepared.

`freeze(organisation)` gives the fields a new announcement stores: the heading lines (`letterhead`), the address and
the stored name and size of the logo. The page, the manage page and the PDF print `of(announcement)`, never the
organisation's current letterhead, so a later change of the letterhead (a new logo, a new address) leaves every
prepared and published announcement as it was; approval seals these fields with the rest (judging 0020). The
organisation keeps its old logo files for that reason (kipp/organisations/services.py update_letterhead)."""

import mimetypes

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_GET

from kipp.organisations.letterhead import Letterhead

FIELDS = ("letterhead", "letterhead_address", "letterhead_logo", "letterhead_logo_width", "letterhead_logo_height")


def freeze(organisation):
    """The letterhead fields of an announcement prepared now (at least the organisation's name as heading)."""
    logo = organisation.logo.name if organisation.logo else ""
    return {
        "letterhead": "\n".join(organisation.heading) or organisation.name,
        "letterhead_address": organisation.address,
        "letterhead_logo": logo,
        "letterhead_logo_width": organisation.logo_width if logo else None,
        "letterhead_logo_height": organisation.logo_height if logo else None,
    }


def of(announcement):
    """The announcement's letterhead. Announcements prepared before the address was kept apart hold it as their
    last line; it is printed as the address then."""
    lines = [line.strip() for line in announcement.letterhead.splitlines() if line.strip()]
    address = announcement.letterhead_address
    if address and lines and lines[-1] == address:
        lines = lines[:-1]
    logo = announcement.letterhead_logo
    return Letterhead(
        name=announcement.round.competition.organisation.name,
        lines=lines,
        address=address,
        logo=logo,
        logo_width=announcement.letterhead_logo_width,
        logo_height=announcement.letterhead_logo_height,
        logo_url=reverse("judging:announcement_logo", args=[announcement.pk]) if logo else "",
    )


@require_GET
def logo(request, pk):
    """The logo an announcement was prepared with: public once the announcement is (like its page), before that
    to organisers only (its manage page); 404 for anyone else, so an unpublished announcement stays unknown."""
    from judging.models import Announcement
    from judging.publication.queries import visible_announcements
    from kipp.files import private_file_response
    from kipp.permissions import organises_competition

    announcement = Announcement.objects.select_related("round__competition").filter(pk=pk).first()
    if announcement is None or not announcement.letterhead_logo:
        raise Http404
    public = visible_announcements().filter(pk=pk).exists()
    if not public and not organises_competition(request.user, announcement.round.competition):
        raise Http404
    content_type = mimetypes.guess_type(announcement.letterhead_logo)[0] or "application/octet-stream"
    return private_file_response(announcement.letterhead_logo, content_type=content_type, inline=True, public=public)
