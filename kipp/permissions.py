"""Named predicates about people, used by views, templates and tests alike.

The base predicates (`is_organiser`, `is_judge`, `is_verifier`, `is_verifier_of_region`, `is_innovator`,
`is_agency_innovator`, `is_portal_administrator`) each check that the person is signed in and active; every app's
own predicates (entries/permissions.py, judging/*/permissions.py) combine them and never compare roles themselves.
"""

from kipp.enums import Role


def is_active_user(user):
    """Signed in with an account that is active: the base of every other predicate."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_organiser(user):
    """An active organiser, or an active superuser (who may do everything an organiser does)."""
    return bool(is_active_user(user) and (user.role == Role.ORGANISER or user.is_superuser))


def organised_organisation_ids(user):
    """The ids of the organisations `user` organises, as a frozenset; None means every organisation (an active
    superuser, the portal administrator). An empty set for anyone who organises nothing. Every organiser page and
    list narrows by it (issue 13: an organiser sees nothing of another organisation's that is not public)."""
    if not is_active_user(user):
        return frozenset()
    if user.is_superuser:
        return None
    if user.role != Role.ORGANISER:
        return frozenset()
    from kipp.models import Organisation

    return frozenset(Organisation.objects.values_list("pk", flat=True))


def is_organiser_of(user, organisation_id):
    """An organiser of the organisation `organisation_id` (an active superuser organises every one)."""
    if organisation_id is None or not is_organiser(user):
        return False
    ids = organised_organisation_ids(user)
    return ids is None or organisation_id in ids


def is_judge(user):
    """An active judge (evaluator or panelist); which rounds they score is the judging app's business."""
    return bool(is_active_user(user) and user.role == Role.JUDGE)


def is_verifier(user):
    """An active regional verifier with a region."""
    return bool(is_active_user(user) and user.role == Role.VERIFIER and user.region_id is not None)


def is_verifier_of_region(user, region_id):
    return bool(region_id and is_verifier(user) and user.region_id == region_id)


def is_innovator(user):
    """An active innovator with an agency, confirmed or not (may start drafts of their own)."""
    return bool(is_active_user(user) and user.role == Role.INNOVATOR and user.agency_id is not None)


def has_confirmed_agency(user):
    """An active innovator whose membership of their agency has been confirmed: they may speak for it."""
    return bool(is_innovator(user) and user.agency_confirmed_at is not None)


def is_agency_innovator(user, agency_id):
    """A confirmed member of the agency `agency_id`: acts on its entries, innovation records and replication
    requests. The base of every agency check in entries and judging."""
    return bool(agency_id is not None and has_confirmed_agency(user) and user.agency_id == agency_id)


def is_pending_member(user):
    return bool(is_innovator(user) and user.agency_confirmed_at is None)


def may_confirm_for_agency(user, agency):
    """Who confirms a sign-up into `agency`: its confirmed members, the verifier of its region, an organiser."""
    return bool(
        is_organiser(user) or is_agency_innovator(user, agency.pk) or is_verifier_of_region(user, agency.region_id)
    )


def can_confirm_member(user, member):
    """Confirm (or decline) `member`'s pending membership of their agency; nobody confirms themself."""
    return bool(
        member.role == Role.INNOVATOR
        and member.agency_id is not None
        and member.agency_confirmed_at is None
        and member.agency_declined_at is None
        and getattr(user, "pk", None) != member.pk
        and may_confirm_for_agency(user, member.agency)
    )


def can_see_pending_members(user):
    """The page of pending members: organisers, regional verifiers and confirmed innovators."""
    return bool(is_organiser(user) or is_verifier(user) or has_confirmed_agency(user))


def is_portal_administrator(user):
    """The Django admin is for portal administrators (active superusers) only; organisers use the portal's pages."""
    return bool(is_active_user(user) and user.is_superuser)


def can_invite(user):
    """Organisers invite regional verifiers and judges."""
    return is_organiser(user)


def can_manage_competitions(user):
    return is_organiser(user)
