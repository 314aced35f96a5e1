"""Who may do what with an organisation. For now every organiser edits every organisation's letterhead; the
memberships of issue 13 item 3 narrow this to the organisation's own organisers (change it here only)."""

from kipp.permissions import is_organiser


def can_edit_letterhead(user, organisation):
    return is_organiser(user)
