"""Named predicates about people, used by views, templates and tests alike.

The base predicates (`is_organiser`, `is_judge`, `is_verifier`, `is_verifier_of_region`, `is_innovator`,
`is_agency_innovator`, `is_portal_administrator`) each check that the person is signed in and active; every app's
own predicates (entries/permissions.py, judging/*/permissions.py) combine them and never compare roles themselves.
"""

from django.db.models import Q

from kipp.organisations.enums import MembershipKind


def is_active_user(user):
    """Signed in with an account that is active: the base of every other predicate."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def memberships(user):
    """The person's memberships as (organisation_id, kind, region_id) tuples: read once per user object (one query
    per request), then kept on it. The one reader of kipp.organisations.Membership for permissions."""
    if not is_active_user(user):
        return ()
    cached = getattr(user, "_kipp_memberships", None)
    if cached is None:
        from kipp.organisations.models import Membership

        cached = tuple(Membership.objects.filter(user_id=user.pk).values_list("organisation_id", "kind", "region_id"))
        user._kipp_memberships = cached
    return cached


def forget_memberships(user):
    """After a membership of `user` changed in this request: the next predicate reads them again."""
    if hasattr(user, "_kipp_memberships"):
        del user._kipp_memberships


def _organisations_as(user, kind):
    return frozenset(org for org, k, _region in memberships(user) if k == kind)


def is_organiser(user):
    """An active organiser of at least one organisation, or an active superuser (who may do everything an organiser
    does, in every organisation)."""
    return bool(is_active_user(user) and (user.is_superuser or _organisations_as(user, MembershipKind.ORGANISER)))


def organised_organisation_ids(user):
    """The ids of the organisations `user` organises, as a frozenset; None means every organisation (an active
    superuser, the portal administrator). An empty set for anyone who organises nothing. Every organiser page and
    list narrows by it (issue 13: an organiser sees nothing of another organisation's that is not public)."""
    if not is_active_user(user):
        return frozenset()
    if user.is_superuser:
        return None
    return _organisations_as(user, MembershipKind.ORGANISER)


def is_organiser_of(user, organisation_id):
    """An organiser of the organisation `organisation_id` (an active superuser organises every one)."""
    if organisation_id is None or not is_organiser(user):
        return False
    ids = organised_organisation_ids(user)
    return ids is None or organisation_id in ids


def organises_competition(user, competition):
    """An organiser of `competition`'s organisation: every organiser predicate on a competition's object (entry,
    round, sheet, announcement, job, outbox) is this on the object's competition."""
    return competition is not None and is_organiser_of(user, competition.organisation_id)


def organised_q(user, path="organisation_id"):
    """The Q that narrows an organiser's list to the organisations they organise, `path` leading from the listed
    model to the organisation's id (e.g. "competition__organisation_id"); Q() for the portal administrator."""
    ids = organised_organisation_ids(user)
    return Q() if ids is None else Q(**{f"{path}__in": sorted(ids)})


def is_judge(user):
    """An active judge (evaluator or panelist) of at least one organisation; which rounds they score is the judging
    app's business."""
    return bool(is_active_user(user) and _organisations_as(user, MembershipKind.JUDGE))


def is_judge_of(user, organisation_id):
    """A judge the organisation `organisation_id` may put on its rounds."""
    return bool(is_active_user(user) and organisation_id in _organisations_as(user, MembershipKind.JUDGE))


def verified_region_ids(user, organisation_id=None):
    """The regions `user` verifies: in the competitions of `organisation_id`, or of any organisation (None)."""
    return frozenset(
        region
        for org, kind, region in memberships(user)
        if kind == MembershipKind.VERIFIER and (organisation_id is None or org == organisation_id)
    )


def is_verifier(user):
    """An active regional verifier of at least one region, in some organisation's competitions."""
    return bool(is_active_user(user) and verified_region_ids(user))


def is_verifier_of_region(user, region_id, organisation_id=None):
    """The verifier of `region_id`: in the competitions of `organisation_id` when given, else in any one's."""
    return bool(region_id and region_id in verified_region_ids(user, organisation_id))


def works_there_only(user):
    """Staff (an organiser, verifier or judge) whose agency is only where they work: recorded as not confirmed
    (declined) by the migration, the demo or an invitation. Such a person is not an innovator of that agency."""
    return bool(user.agency_declined_at is not None and memberships(user))


def is_innovator(user):
    """An active member of an agency, confirmed or not (may start drafts of their own); not staff whose agency is
    only where they work."""
    return bool(is_active_user(user) and user.agency_id is not None and not works_there_only(user))


def has_confirmed_agency(user):
    """An active innovator whose membership of their agency has been confirmed: they may speak for it."""
    return bool(is_innovator(user) and user.agency_confirmed_at is not None)


def is_agency_innovator(user, agency_id):
    """A confirmed member of the agency `agency_id`: acts on its entries, innovation records and replication
    requests. The base of every agency check in entries and judging."""
    return bool(agency_id is not None and has_confirmed_agency(user) and user.agency_id == agency_id)


def is_pending_member(user):
    return bool(is_innovator(user) and user.agency_confirmed_at is None)


def organises_region(user, region):
    """An organiser of an organisation that serves `region` (the national one serves every region)."""
    if not is_organiser(user):
        return False
    ids = organised_organisation_ids(user)
    if ids is None:
        return True
    from kipp.organisations.models import Organisation

    return (
        Organisation.objects.filter(pk__in=ids)
        .filter(Q(level="nasional") | Q(province_id=region.province_id) | Q(region_id=region.pk))
        .exists()
    )


def may_confirm_for_agency(user, agency):
    """Who confirms a sign-up into `agency`: its confirmed members, the verifier of its region, an organiser of an
    organisation that serves its region."""
    return bool(
        is_agency_innovator(user, agency.pk)
        or is_verifier_of_region(user, agency.region_id)
        or organises_region(user, agency.region)
    )


def can_confirm_member(user, member):
    """Confirm (or decline) `member`'s pending membership of their agency; nobody confirms themself."""
    return bool(
        member.agency_id is not None
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
