"""Demo of past winners (issue 16; seed_demo, order 450, after publication and records).

kipp-sulsel-2027 gets the rule "selected in a final announcement of the previous 4 years" (so the 2023 Top 30 is in
its window and the 2022 Top 3 is not), and one forwarded 2027 entry of an agency whose innovation is on the visible
2023 final list, under a similar title (the earlier title with a new subtitle). Its flag shows on the 2027
administrative selection page. Idempotent: the rule is set only while it is off, the entry only when missing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from entries.enums import EntryStatus
from entries.models import Entry, StatusChange
from entries.services import next_entry_code
from judging.models import AnnouncementRow
from judging.publication.enums import AnnouncementKind
from judging.publication.queries import visible_announcements
from judging.scoring.enums import Outcome
from kipp.enums import PastWinnerStage
from kipp.models import Competition, User
from kipp.organisations.queries import verifiers_of

SUBTITLE = " Jilid 2: Perluasan Layanan"
YEARS_BACK = 4


def _earlier_row(earlier):
    """The best-ranked innovation selected in the visible 2023 final list whose agency has a demo innovator."""
    rows = (
        AnnouncementRow.objects.filter(
            announcement__in=visible_announcements(),
            announcement__kind=AnnouncementKind.FINAL,
            announcement__round__competition=earlier,
            outcome=Outcome.SELECTED,
        )
        .select_related("entry__agency")
        .order_by("rank")
    )
    innovators = set(
        User.objects.filter(agency__isnull=False, agency_declined_at__isnull=True).values_list("agency_id", flat=True)
    )
    return next((row for row in rows if row.entry.agency_id in innovators), None)


def seed_past_winners(ctx):
    upcoming = Competition.objects.filter(slug="kipp-sulsel-2027").first()
    earlier = Competition.objects.filter(slug="kipp-sulsel-2023").first()
    if upcoming is None or earlier is None:
        return
    if upcoming.past_winner_years == 0 and not upcoming.entries.filter(title__endswith=SUBTITLE).exists():
        upcoming.past_winner_years = YEARS_BACK
        upcoming.past_winner_stage = PastWinnerStage.FINAL
        upcoming.save(update_fields=["past_winner_years", "past_winner_stage"])
        ctx.count("past-winner rules")
    if upcoming.entries.filter(title__endswith=SUBTITLE).exists():
        return
    row = _earlier_row(earlier)
    if row is None:
        return
    user = (
        User.objects.filter(agency__isnull=False, agency_declined_at__isnull=True, agency_id=row.entry.agency_id)
        .order_by("pk")
        .first()
    )
    _seed_entry(upcoming, user, row)
    ctx.count("entries")


def _seed_entry(competition, user, row):
    now = timezone.now()
    submitted = now - datetime.timedelta(days=4)
    forwarded = now - datetime.timedelta(days=2)
    title = (row.entry.title[: 250 - len(SUBTITLE)] + SUBTITLE).strip()
    with transaction.atomic():
        entry = Entry.objects.create(
            competition=competition,
            agency_id=row.entry.agency_id,
            created_by=user,
            code=next_entry_code(competition),
            title=title,
            short_name=row.entry.short_name,
            group=row.entry.group,
            stage="pengembangan",
            started_on=row.entry.started_on,
            status=EntryStatus.FORWARDED,
            submitted_at=submitted,
            forwarded_at=forwarded,
        )
        verifier = verifiers_of(row.entry.agency.region_id).order_by("pk").first()
        StatusChange.objects.bulk_create(
            [
                StatusChange(entry=entry, from_status="", to_status="draft", actor=user, created_at=submitted),
                StatusChange(entry=entry, from_status="draft", to_status="submitted", actor=user, created_at=submitted),
                StatusChange(
                    entry=entry,
                    from_status="submitted",
                    to_status="forwarded",
                    actor=verifier or user,
                    created_at=forwarded,
                ),
            ]
        )
