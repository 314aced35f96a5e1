"""Named predicates on entries, used by views, templates, services and tests alike.

Higher layers (judging) add who else may view an entry with `register_view_rule(func)`, where
func(user, entry) -> bool, e.g. a judge assigned to the entry. entries never imports judging.
"""

from entries.enums import EDITABLE_STATUSES, WITHDRAWABLE_STATUSES, EntryStatus

_view_rules = []


def register_view_rule(func):
    if func not in _view_rules:
        _view_rules.append(func)


def is_organiser(user):
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == "organiser"))


def is_verifier_of_region(user, region_id):
    return bool(user.is_authenticated and user.is_active and user.role == "verifier" and user.region_id == region_id)


def is_member_of_agency(user, entry):
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == "innovator"
        and user.agency_id is not None
        and user.agency_id == entry.agency_id
    )


def can_view_entry(user, entry):
    if not user.is_authenticated or not user.is_active:
        return False
    if is_organiser(user) or is_member_of_agency(user, entry):
        return True
    if entry.status != EntryStatus.DRAFT and is_verifier_of_region(user, entry.agency.region_id):
        return True
    return any(rule(user, entry) for rule in _view_rules)


def can_create_entry(user):
    return bool(user.is_authenticated and user.is_active and user.role == "innovator" and user.agency_id)


def can_edit_entry(user, entry):
    return is_member_of_agency(user, entry) and entry.status in EDITABLE_STATUSES


def can_submit_entry(user, entry):
    return can_edit_entry(user, entry)


def can_withdraw_entry(user, entry):
    return is_member_of_agency(user, entry) and entry.status in WITHDRAWABLE_STATUSES


def can_verify_entry(user, entry):
    """Return or forward: the verifier of the entry's region, while the entry waits for verification."""
    return is_verifier_of_region(user, entry.agency.region_id) and entry.status == EntryStatus.SUBMITTED


def can_select_entry(user, entry):
    """Administrative selection: the organiser decides on forwarded entries."""
    return is_organiser(user) and entry.status == EntryStatus.FORWARDED


def can_extend_deadline(user, entry):
    return is_organiser(user) and entry.status in EDITABLE_STATUSES


def can_use_verifier_queue(user):
    return bool(user.is_authenticated and user.is_active and user.role == "verifier" and user.region_id)
