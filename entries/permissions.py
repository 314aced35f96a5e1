"""Named predicates on entries, used by views, templates, services and tests alike.

Higher layers (judging) add who else may view an entry with `register_view_rule(func)`, where
func(user, entry) -> bool, e.g. a judge assigned to the entry. entries never imports judging.
"""

from entries.enums import EDITABLE_STATUSES, WITHDRAWABLE_STATUSES, EntryStatus
from kipp.permissions import (
    is_active_user,
    is_agency_innovator,
    is_innovator,
    is_organiser,  # noqa: F401 (the views' organiser check: permissions.is_organiser)
    is_pending_member,
    is_verifier,
    is_verifier_of_region,
    organises_competition,
)

_view_rules = []


def register_view_rule(func):
    if func not in _view_rules:
        _view_rules.append(func)


def is_member_of_agency(user, entry):
    """A confirmed member of the entry's agency: speaks for it (submits, withdraws, edits any of its drafts)."""
    return is_agency_innovator(user, entry.agency_id)


def is_pending_author(user, entry):
    """A member of the entry's agency whose membership is not confirmed yet, on an entry they started themself."""
    return bool(is_pending_member(user) and user.agency_id == entry.agency_id and entry.created_by_id == user.pk)


def is_entry_organiser(user, entry):
    """An organiser of the entry's competition's organisation (never another organisation's: issue 13)."""
    return organises_competition(user, entry.competition)


def can_view_entry(user, entry):
    if not is_active_user(user):
        return False  # the view rules that higher layers register may rely on this
    if is_entry_organiser(user, entry) or is_member_of_agency(user, entry) or is_pending_author(user, entry):
        return True
    if entry.status != EntryStatus.DRAFT and is_entry_verifier(user, entry):
        return True
    return any(rule(user, entry) for rule in _view_rules)


def can_create_entry(user):
    """Any innovator, confirmed or pending: a draft of one's own speaks for nobody until it is submitted."""
    return is_innovator(user)


def can_edit_entry(user, entry):
    return (is_member_of_agency(user, entry) or is_pending_author(user, entry)) and entry.status in EDITABLE_STATUSES


def can_submit_entry(user, entry):
    """A submission speaks for the agency: confirmed members only."""
    return is_member_of_agency(user, entry) and entry.status in EDITABLE_STATUSES


def final_results_public_since(entry):
    """When the final results of the entry's competition became public (judging tells through the hook
    "final_results_public"), or None while they are not."""
    from kipp import hooks

    return hooks.collect_mapping("final_results_public", [entry.competition_id]).get(entry.competition_id)


def can_withdraw_entry(user, entry):
    """Withdraw: a member of the entry's agency, in a withdrawable status, until the final results are public."""
    return (
        is_member_of_agency(user, entry)
        and entry.status in WITHDRAWABLE_STATUSES
        and final_results_public_since(entry) is None
    )


def is_entry_verifier(user, entry):
    """A verifier of the entry's region in the competitions of the entry's organisation."""
    return is_verifier_of_region(user, entry.agency.region_id, entry.competition.organisation_id)


def can_verify_entry(user, entry):
    """Return or forward: the verifier of the entry's region, while the entry waits for verification."""
    return is_entry_verifier(user, entry) and entry.status == EntryStatus.SUBMITTED


def can_select_entry(user, entry):
    """Administrative selection: the organiser decides on forwarded entries."""
    return is_entry_organiser(user, entry) and entry.status == EntryStatus.FORWARDED


def can_extend_deadline(user, entry):
    return is_entry_organiser(user, entry) and entry.status in EDITABLE_STATUSES


def can_use_verifier_queue(user):
    return is_verifier(user)


def can_see_checks(user, entry):
    """The completeness checks of an entry: its organisers and its regional verifiers."""
    return is_entry_organiser(user, entry) or is_entry_verifier(user, entry)
