"""Named predicates of innovation records, used by views, templates, services and tests alike.

Acting for an agency (updating its records, answering or requesting replication) needs a confirmed membership
(kipp.permissions.is_agency_innovator); a pending sign-up acts for nobody.
"""

from kipp.permissions import has_confirmed_agency, is_agency_innovator, is_organiser


def _active_innovator(user):
    return has_confirmed_agency(user)


def can_update_record(user, record):
    """The innovators of the owning agency keep its record current."""
    return is_agency_innovator(user, record.agency_id)


def can_request_replication(user, record):
    """A signed-in innovator of another agency."""
    return _active_innovator(user) and user.agency_id != record.agency_id


def can_answer_replication(user, replication):
    return is_agency_innovator(user, replication.record.agency_id)


def can_mark_implemented(user, replication):
    """The requesting agency reports that it has put the innovation to work (or the owner, who saw it)."""
    return _active_innovator(user) and user.agency_id in (replication.requester_agency_id, replication.record.agency_id)


def can_see_replication(user, replication):
    """Open requests (contact, plan) are seen by both agencies only; agreed and implemented ones are public."""
    if replication.state in ("agreed", "implemented"):
        return True
    return _active_innovator(user) and user.agency_id in (replication.requester_agency_id, replication.record.agency_id)


def can_edit_profile(user, entry):
    """What the entry's public record shows (contacts, photos) is chosen by the innovators of its agency."""
    return is_agency_innovator(user, entry.agency_id)


def can_manage_records(user):
    """Organisers see the catalogue's announcements and build the records that are missing."""
    return is_organiser(user)


def can_see_certainty(user):
    return is_organiser(user)
