"""The presentation schedule of a round: slots generated from the round's entries (the advancing entries, in their
presentation order) with breaks and a lunch, edited by form (move up/down, change time/room). The order of the
slots is written to RoundEntry.position, so the panelists' queues (judging.scoring.queries.judge_queue) follow it."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from judging.models import Round, RoundEntry, ScheduleSlot
from judging.scoring.schedule.enums import SlotKind
from judging.scoring.services import JudgingError
from judging.scoring.services.errors import require_organiser, require_round_not_closed
from kipp.services import record_event


def _check_round(round_):
    """A closed or published round's schedule stays as it was (the organiser reopens the round first)."""
    require_round_not_closed(round_)


def _plus(day, start, minutes):
    return (datetime.datetime.combine(day, start) + datetime.timedelta(minutes=minutes)).time()


def plan_slots(
    entry_ids,
    *,
    days,
    day_start=datetime.time(8, 30),
    day_end=datetime.time(16, 30),
    duration=25,
    break_every=4,
    break_minutes=10,
    lunch_start=datetime.time(12, 0),
    lunch_minutes=60,
):
    """Pure planning: [(kind, entry_id or None, date, start, minutes)]. Raises JudgingError if the days are full."""
    plan = []
    queue = list(entry_ids)
    for day in days:
        if not queue:
            break
        t, since_break, lunch_done = day_start, 0, False
        while queue:
            if not lunch_done and lunch_minutes and t >= lunch_start:
                plan.append((SlotKind.LUNCH, None, day, t, lunch_minutes))
                t, since_break, lunch_done = _plus(day, t, lunch_minutes), 0, True
                continue
            if _plus(day, t, duration) > day_end or _plus(day, t, duration) < t:
                break
            plan.append((SlotKind.PRESENTATION, queue.pop(0), day, t, duration))
            t, since_break = _plus(day, t, duration), since_break + 1
            if queue and break_every and since_break >= break_every and not (not lunch_done and t >= lunch_start):
                plan.append((SlotKind.BREAK, None, day, t, break_minutes))
                t, since_break = _plus(day, t, break_minutes), 0
    if queue:
        raise JudgingError(
            _("Hari yang dipilih tidak cukup: %(n)s proposal belum mendapat slot. Tambah hari atau perpendek durasi.")
            % {"n": len(queue)}
        )
    return plan


@transaction.atomic
def generate_schedule(*, round_, actor, days, room="", panel="", venue="", **options):
    """Replace the round's schedule with one generated from its entries in presentation order."""
    require_organiser(actor, round_.competition)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _check_round(round_)
    entries = list(
        RoundEntry.objects.filter(round=round_).order_by("position", "entry__code").values_list("entry_id", flat=True)
    )
    if not entries:
        raise JudgingError(_("Babak ini belum memiliki peserta."))
    plan = plan_slots(entries, days=sorted(days), **options)
    ScheduleSlot.objects.filter(round=round_).delete()
    ScheduleSlot.objects.bulk_create(
        [
            ScheduleSlot(
                round=round_,
                kind=kind,
                entry_id=entry_id,
                date=day,
                start=start,
                duration=minutes,
                room=room,
                panel=panel if kind == SlotKind.PRESENTATION else "",
                venue=venue,
                position=index,
            )
            for index, (kind, entry_id, day, start, minutes) in enumerate(plan, start=1)
        ]
    )
    _sync_positions(round_)
    record_event(
        actor=actor,
        action="schedule.generated",
        obj=round_,
        details={"slots": len(plan), "days": [d.isoformat() for d in sorted(days)], "room": room, "venue": venue},
    )
    return ScheduleSlot.objects.filter(round=round_).count()


def _sync_positions(round_):
    """RoundEntry.position = the order of the entry's slot (the panelists' queue follows it)."""
    order = list(
        ScheduleSlot.objects.filter(round=round_, kind=SlotKind.PRESENTATION)
        .order_by("date", "start", "position")
        .values_list("entry_id", flat=True)
    )
    items = {re.entry_id: re for re in RoundEntry.objects.filter(round=round_)}
    changed = []
    for position, entry_id in enumerate(order, start=1):
        item = items.get(entry_id)
        if item and item.position != position:
            item.position = position
            changed.append(item)
    RoundEntry.objects.bulk_update(changed, ["position"])


@transaction.atomic
def move_slot(*, slot, direction, actor):
    """Swap the slot's entry with the previous or next presentation (the times stay, the entries move)."""
    require_organiser(actor, slot.round.competition)
    slot = ScheduleSlot.objects.select_for_update().select_related("round").get(pk=slot.pk)
    _check_round(slot.round)
    if slot.kind != SlotKind.PRESENTATION:
        raise JudgingError(_("Hanya slot presentasi yang dapat dipindah."))
    others = ScheduleSlot.objects.select_for_update().filter(round=slot.round, kind=SlotKind.PRESENTATION)
    if direction == "up":
        other = others.filter(position__lt=slot.position).order_by("-position").first()
    elif direction == "down":
        other = others.filter(position__gt=slot.position).order_by("position").first()
    else:
        raise JudgingError(_("Arah tidak dikenal."))
    if other is None:
        raise JudgingError(_("Slot ini sudah di ujung jadwal."))
    a, b = slot.entry_id, other.entry_id
    slot.entry_id = None
    slot.kind = SlotKind.BREAK  # free the unique (round, entry) while swapping
    slot.save(update_fields=["entry", "kind"])
    other.entry_id = a
    other.save(update_fields=["entry"])
    slot.kind = SlotKind.PRESENTATION
    slot.entry_id = b
    slot.save(update_fields=["entry", "kind"])
    _sync_positions(slot.round)
    record_event(
        actor=actor, action="schedule.moved", obj=slot.round, details={"slot": slot.pk, "direction": direction}
    )
    return slot


@transaction.atomic
def update_slot(*, slot, actor, date, start, duration, room):
    """Change a slot's date, time, duration or room. Refused when it would overlap another slot in the same room."""
    require_organiser(actor, slot.round.competition)
    slot = ScheduleSlot.objects.select_for_update().select_related("round").get(pk=slot.pk)
    _check_round(slot.round)
    end = _plus(date, start, duration)
    for other in ScheduleSlot.objects.filter(round=slot.round, date=date, room=room).exclude(pk=slot.pk):
        other_end = _plus(other.date, other.start, other.duration)
        if start < other_end and other.start < end:
            raise JudgingError(
                _("Bentrok dengan slot %(start)s-%(end)s di ruang yang sama.")
                % {"start": other.start.strftime("%H:%M"), "end": other_end.strftime("%H:%M")}
            )
    before = {"date": slot.date.isoformat(), "start": slot.start.isoformat(), "room": slot.room}
    slot.date, slot.start, slot.duration, slot.room = date, start, duration, room
    slot.save(update_fields=["date", "start", "duration", "room"])
    _sync_positions(slot.round)
    record_event(
        actor=actor,
        action="schedule.slot_changed",
        obj=slot.round,
        details={"slot": slot.pk, "before": before, "after": {"date": date.isoformat(), "start": start.isoformat()}},
    )
    return slot
