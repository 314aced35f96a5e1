"""Who may reset another person's second factor."""

from kipp.permissions import is_organiser, is_portal_administrator
from kipp.twofactor.policy import is_verified


def can_reset_second_factor(actor, person):
    """Another organiser who signed in with a second factor themself; never one's own (a lost device is reset by a
    colleague), and a portal administrator's device only by another portal administrator."""
    if not (is_organiser(actor) and is_verified(actor)):
        return False
    if person is None or person.pk == actor.pk or not person.is_active:
        return False
    return not person.is_superuser or is_portal_administrator(actor)
