"""What every publication service shares: the announcement's text fields, the organiser check and the row lock."""

from judging.models import Announcement
from judging.scoring.services.errors import require_organiser  # noqa: F401 (the one organiser check, by name)

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


def locked(announcement):
    return Announcement.objects.select_for_update().select_related("round__competition").get(pk=announcement.pk)
