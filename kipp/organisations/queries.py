"""Reads of organisations: the open calls of the home pages (the portal's, grouped by organisation, and one
organisation's own) and the organisations a filter can choose from."""

from itertools import groupby

from django.utils import timezone

from kipp.organisations.models import Organisation
from kipp.queries import upcoming_or_open_competitions


def open_calls(at=None, organisation=None):
    """Public competitions not yet closed, with their organisation (one query), by organisation then opening."""
    competitions = upcoming_or_open_competitions(at or timezone.now()).select_related("organisation")
    if organisation is not None:
        competitions = competitions.filter(organisation=organisation)
    return competitions.order_by("organisation__name", "organisation_id", "opens_at", "id")


def open_calls_by_organisation(at=None):
    """[(organisation, [competition, ...]), ...] of open_calls(): the portal's home lists them so."""
    return [
        (organisation, list(competitions))
        for organisation, competitions in groupby(open_calls(at), key=lambda c: c.organisation)
    ]


def organisation_choices():
    """Organisations for the catalogue's and the API's filter (one query)."""
    return Organisation.objects.only("slug", "name").order_by("name")


def served_regions_q(organisation_ids, prefix="region"):
    """A Q on the region at `prefix` (e.g. "agency__region") for the regions the organisations serve: every region
    for a national one, its province's for a province, itself for a kabupaten/kota. `organisation_ids` None means
    every organisation (the portal administrator)."""
    from django.db.models import Q

    if organisation_ids is None:
        return Q()
    rows = list(Organisation.objects.filter(pk__in=organisation_ids).values_list("level", "province_id", "region_id"))
    if any(level == "nasional" for level, _p, _r in rows):
        return Q()
    provinces = [p for level, p, _r in rows if p is not None]
    regions = [r for level, _p, r in rows if r is not None]
    return Q(**{f"{prefix}__province_id__in": provinces}) | Q(**{f"{prefix}_id__in": regions})


def organised_organisations(user):
    """The organisations `user` organises (every one for the portal administrator), by name."""
    from kipp.permissions import organised_organisation_ids

    ids = organised_organisation_ids(user)
    rows = Organisation.objects.order_by("name")
    return rows if ids is None else rows.filter(pk__in=ids)


def organisation_people(user):
    """The memberships of the organisations `user` organises (their staff, verifiers and judges), with person,
    organisation and region (one query): an organiser sees only their own organisations' people."""
    from kipp.organisations.models import Membership
    from kipp.permissions import organised_organisation_ids

    ids = organised_organisation_ids(user)
    rows = Membership.everything.select_related("user", "user__agency", "organisation", "region")
    if ids is not None:
        rows = rows.filter(organisation_id__in=ids)
    return rows.order_by("organisation__name", "kind", "user__full_name", "pk")


def verifiers_of(region_id, organisation_id=None):
    """The people who verify `region_id` in the competitions of `organisation_id` (or of any organisation)."""
    from django.contrib.auth import get_user_model

    from kipp.organisations.enums import MembershipKind
    from kipp.organisations.models import Membership

    rows = Membership.objects.filter(kind=MembershipKind.VERIFIER, region_id=region_id)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    return get_user_model().objects.filter(pk__in=rows.values("user_id"))


def people_of(organisation_id, kind):
    """The people holding a membership of `kind` (a MembershipKind) in the organisation `organisation_id` (None:
    in any organisation), as a User queryset."""
    from django.contrib.auth import get_user_model

    from kipp.organisations.models import Membership

    rows = Membership.objects.filter(kind=kind)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    return get_user_model().objects.filter(pk__in=rows.values("user_id"))
