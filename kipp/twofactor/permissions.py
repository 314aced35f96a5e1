"""Who may reset another person's second factor."""

from kipp.permissions import is_organiser, is_portal_administrator, organised_organisation_ids
from kipp.twofactor.policy import is_verified


def resettable_people(actor):
    """The people whose second factor `actor` may reset, before the per-person rules: the members (organisers,
    verifiers, judges: accepted memberships only) of the organisations `actor` organises, everyone for the portal
    administrator; in both cases only people with a confirmed authenticator."""
    from kipp.models import User
    from kipp.organisations.models import Membership

    ids = organised_organisation_ids(actor)
    # Only someone who has a second factor to lose: a reset also ends the password and the sessions, which must
    # never be a way to lock out a person who has no device at all.
    people = User.objects.filter(totpdevice__confirmed=True).distinct()
    if ids is None:
        return people
    return people.filter(pk__in=Membership.objects.filter(organisation_id__in=ids).values("user_id"))


def can_reset_second_factor(actor, person):
    """Another organiser of the person's organisation who signed in with a second factor themself; never one's own
    (a lost device is reset by a colleague), and a portal administrator's device only by another portal
    administrator."""
    if not (is_organiser(actor) and is_verified(actor)):
        return False
    if person is None or person.pk == actor.pk or not person.is_active:
        return False
    if person.is_superuser and not is_portal_administrator(actor):
        return False
    return resettable_people(actor).filter(pk=person.pk).exists()
