"""Who may reset another person's second factor."""

from kipp.permissions import is_organiser, is_portal_administrator, organised_organisation_ids
from kipp.twofactor.policy import is_verified


def resettable_people(actor):
    """The people whose second factor `actor` may reset, before the per-person rules: the members (organisers,
    verifiers, judges) of the organisations `actor` organises; everyone for the portal administrator."""
    from kipp.models import User
    from kipp.organisations.models import Membership

    ids = organised_organisation_ids(actor)
    if ids is None:
        return User.objects.all()
    return User.objects.filter(pk__in=Membership.objects.filter(organisation_id__in=ids).values("user_id"))


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
