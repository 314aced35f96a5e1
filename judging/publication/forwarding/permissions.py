"""Who configures and who nominates (built on kipp.permissions' organisation predicates only)."""

from kipp.permissions import is_organiser_of, organised_organisation_ids


def can_configure_feeding(user, competition):
    """An organiser of the upper competition's organisation sets which competitions feed it and its quota."""
    return is_organiser_of(user, competition.organisation_id)


def can_nominate_from(user, competition):
    """An organiser of the lower competition's organisation nominates from its public final list."""
    return is_organiser_of(user, competition.organisation_id)


def forwarding_scope(user):
    """The organisation ids whose competitions the person's forwarding page shows (None: every one)."""
    return organised_organisation_ids(user)
