"""The selected entries of a published round announcement enter the next round (and entries no longer selected leave
it, unless a judge has started on them)."""

from django.db import transaction
from django.utils.translation import gettext as _

from judging.models import Round, RoundEntry, ScoreSheet
from judging.publication.enums import AnnouncementKind, AnnouncementState
from judging.scoring.enums import Outcome, RoundEntrySource, RoundState
from kipp.services import record_event


def next_round(round_):
    return Round.objects.filter(competition_id=round_.competition_id, order__gt=round_.order).order_by("order").first()


def advance_refusal(announcement):
    """The message for the organiser when the next round is already closed or published, so that approving this
    announcement does not change its entries; else None."""
    target = next_round(announcement.round)
    if announcement.kind != AnnouncementKind.ROUND or target is None:
        return None
    if target.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        return None
    return _(
        "Babak berikutnya, %(round)s, sudah %(state)s: proposal terpilih pengumuman ini tidak ditambahkan ke babak "
        "itu dan tidak ada proposal yang dikeluarkan darinya. Buka kembali babak itu (dengan alasan) lalu tambahkan "
        "proposal di pengaturannya bila perlu."
    ) % {"round": target.name, "state": target.get_state_display().lower()}


@transaction.atomic
def advance_selected(*, announcement, actor):
    """The selected entries of a published announcement of a round enter the next round (source previous round),
    in rank order; entries taken earlier from the ranking but not selected in the announcement (a reasoned change
    or a replacement) leave it, unless a judge has already started on them. Returns (added, removed)."""
    if announcement.kind != AnnouncementKind.ROUND or announcement.state != AnnouncementState.PUBLISHED:
        return 0, 0
    target = next_round(announcement.round)
    if target is None:
        return 0, 0
    if target.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        # Its scoring is over: nothing joins or leaves it silently (advance_refusal says so to the organiser).
        record_event(
            actor=actor,
            action="publication.advance_skipped",
            obj=target,
            details={"announcement": announcement.pk, "state": target.state},
        )
        return 0, 0
    selected = list(
        announcement.rows.filter(outcome=Outcome.SELECTED).order_by("rank").values_list("entry_id", flat=True)
    )
    existing = {re.entry_id: re for re in RoundEntry.objects.filter(round=target)}
    start = max([re.position or 0 for re in existing.values()], default=0)
    new = [
        RoundEntry(round=target, entry_id=entry_id, source=RoundEntrySource.PREVIOUS_ROUND, position=start + i)
        for i, entry_id in enumerate((e for e in selected if e not in existing), start=1)
    ]
    RoundEntry.objects.bulk_create(new)
    stale = [
        re
        for entry_id, re in existing.items()
        if entry_id not in selected and re.source == RoundEntrySource.PREVIOUS_ROUND
    ]
    started = set(
        ScoreSheet.objects.filter(
            assignment__round=target, assignment__entry_id__in=[re.entry_id for re in stale]
        ).values_list("assignment__entry_id", flat=True)
    )
    removable = [re.entry_id for re in stale if re.entry_id not in started]
    if removable:
        from judging.models import Assignment, ScheduleSlot

        Assignment.objects.filter(round=target, entry_id__in=removable).delete()
        ScheduleSlot.objects.filter(round=target, entry_id__in=removable).delete()
        RoundEntry.objects.filter(round=target, entry_id__in=removable).delete()
    if new or removable:
        from judging.scoring.services import refresh_automatic_conflicts

        refresh_automatic_conflicts(round_=target)
        record_event(
            actor=actor,
            action="publication.advanced",
            obj=target,
            details={"announcement": announcement.pk, "added": len(new), "removed": len(removable)},
        )
    return len(new), len(removable)
