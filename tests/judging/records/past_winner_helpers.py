"""Builders for past-winner tests: an earlier competition's published list and a current competition's entries."""

import datetime

from django.utils import timezone

from judging.records.services import build_records
from tests.factories import CompetitionFactory, EntryFactory
from tests.judging.publication.helpers import closed_round, organisers, published

SMS = "Sapa Masyarakat Sekitar (SMS)"


def earlier_list(year=2026, kind="final", number="065/134/II/B", records=False, **overrides):
    """A competition of `year` whose published list selects E1 (SMS, rank 1) and E2, with E3 in reserve.
    {announcement, entries, organisers}."""
    round_, _next, entries, _judges = closed_round(top_n=2, reserve_n=1)
    competition = round_.competition
    competition.year = year
    competition.save(update_fields=["year"])
    e1 = entries["E1"]
    e1.title = SMS
    e1.short_name = "SMS"
    e1.save(update_fields=["title", "short_name"])
    a, b = organisers()
    announcement = published(round_, a, b, kind=kind, number=number, **overrides)
    if records:
        build_records(announcement=announcement)
    return {"announcement": announcement, "entries": entries, "organisers": (a, b)}


def current_competition(year=2027, years=1, stage="final"):
    return CompetitionFactory(year=year, past_winner_years=years, past_winner_stage=stage)


def forwarded_entry(competition, agency, title, **fields):
    now = timezone.now()
    return EntryFactory(
        competition=competition,
        agency=agency,
        title=title,
        status="forwarded",
        submitted_at=now - datetime.timedelta(days=2),
        forwarded_at=now - datetime.timedelta(days=1),
        **fields,
    )
