"""Who may do what with an organisation."""

from kipp.permissions import is_organiser_of


def can_edit_letterhead(user, organisation):
    """The organisation's own organisers (and the portal administrator)."""
    return is_organiser_of(user, organisation.pk)
