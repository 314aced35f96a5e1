"""What every publication service shares: the announcement's text fields, the organiser check and the row lock."""

from django.utils.translation import gettext as _

from judging.models import Announcement
from judging.scoring.services import JudgingError
from kipp.permissions import is_organiser

TEXT_FIELDS = (
    "number",
    "title",
    "date",
    "place",
    "signatory_name",
    "signatory_title",
    "letterhead",
    "body",
    "show_ranks",
    "show_totals",
    "list_order",
    "embargo_until",
    "objection_days",
)


def require_organiser(actor):
    if not is_organiser(actor):
        raise JudgingError(_("Hanya penyelenggara yang boleh melakukan ini."))


def locked(announcement):
    return Announcement.objects.select_for_update().select_related("round__competition").get(pk=announcement.pk)
