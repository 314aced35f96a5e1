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
