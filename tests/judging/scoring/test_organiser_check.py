"""Scoring's organiser-only services use the base predicate kipp.permissions.is_organiser: an organiser whose account
was deactivated is refused, a superuser passes."""

import pytest

from judging.scoring import services
from kipp.errors import Refused, Stale
from tests.factories import OrganiserFactory, UserFactory
from tests.judging.scoring.helpers import add_entry, make_round

pytestmark = pytest.mark.django_db


def test_a_deactivated_organiser_cannot_open_or_close_a_round():
    round_ = make_round([("a", 1, 1, 10)], state="setup")
    former = OrganiserFactory(is_active=False)
    with pytest.raises(services.JudgingError, match="Hanya penyelenggara"):
        services.open_round(round_=round_, actor=former)
    round_.refresh_from_db()
    assert round_.state == "setup"
    services.open_round(round_=round_, actor=OrganiserFactory())
    with pytest.raises(services.JudgingError, match="Hanya penyelenggara"):
        services.close_round(round_=round_, actor=former)
    round_.refresh_from_db()
    assert round_.state == "open"


def test_a_deactivated_organiser_cannot_add_an_entry_to_a_round():
    round_ = make_round([("a", 1, 1, 10)], state="setup")
    entry = add_entry(make_round([("a", 1, 1, 10)], competition=round_.competition, slug="lain", order=2), "E9")
    with pytest.raises(services.JudgingError, match="Hanya penyelenggara"):
        services.add_round_entry(round_=round_, entry=entry, reason="Terlewat", actor=OrganiserFactory(is_active=False))
    assert not round_.round_entries.filter(entry=entry).exists()


def test_a_superuser_may_open_a_round():
    round_ = make_round([("a", 1, 1, 10)], state="setup")
    services.open_round(round_=round_, actor=UserFactory(role="innovator", is_superuser=True))
    round_.refresh_from_db()
    assert round_.state == "open"


def test_scoring_refusals_are_the_portal_error_classes():
    assert issubclass(services.JudgingError, Refused)
    assert issubclass(services.ConflictOfInterestError, Refused)
    assert issubclass(services.StaleSheetError, Stale)
