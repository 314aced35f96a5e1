"""Reads of a round's presentation schedule."""

from collections import defaultdict

from judging.models import ScheduleSlot


def schedule(round_):
    """The round's slots in order, with entry and agency. One query."""
    return list(
        ScheduleSlot.objects.filter(round=round_).select_related("entry__agency").order_by("date", "start", "position")
    )


def schedule_days(slots):
    days = defaultdict(list)
    for slot in slots:
        days[slot.date].append(slot)
    return sorted(days.items())
