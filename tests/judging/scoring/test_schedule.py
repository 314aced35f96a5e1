"""Presentation schedule: generation with breaks and lunch, moving and editing slots, the panelists' queue order,
and who sees which schedule."""

import datetime

import pytest
from django.urls import reverse

from judging.models import RoundEntry, ScheduleSlot
from judging.scoring.queries import judge_queue
from judging.scoring.schedule import services as schedule
from judging.scoring.services import JudgingError, assign
from tests.factories import InnovatorFactory, JudgeFactory
from tests.judging.publication.helpers import closed_round, organisers, published

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 3, 6)


def test_plan_has_breaks_lunch_and_the_default_duration():
    plan = schedule.plan_slots(list(range(1, 11)), days=[DAY])
    kinds = [(kind, entry, start.strftime("%H:%M"), minutes) for kind, entry, _d, start, minutes in plan]
    assert kinds[:6] == [
        ("presentation", 1, "08:30", 25),
        ("presentation", 2, "08:55", 25),
        ("presentation", 3, "09:20", 25),
        ("presentation", 4, "09:45", 25),
        ("break", None, "10:10", 10),
        ("presentation", 5, "10:20", 25),
    ]
    assert ("lunch", None, "12:00", 60) in kinds
    assert [e for k, e, *_ in kinds if k == "presentation"] == list(range(1, 11))


def test_plan_refuses_when_the_days_are_full():
    with pytest.raises(JudgingError, match="tidak cukup"):
        schedule.plan_slots(list(range(40)), days=[DAY])


@pytest.fixture
def scene():
    round_, next_round, entries, judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b)
    return next_round, entries, a, b, announcement


def test_generation_orders_the_panelists_queue(scene):
    next_round, entries, a, b, _ann = scene
    panelist = JudgeFactory()
    from judging.models import RoundJudge

    RoundJudge.objects.create(round=next_round, judge=panelist)
    for entry in (entries["E1"], entries["E2"]):
        assign(round_=next_round, entry=entry, judge=panelist)
    schedule.generate_schedule(round_=next_round, actor=a, days=[DAY], room="Ballroom", venue="Four Points")
    slots = list(ScheduleSlot.objects.filter(round=next_round, kind="presentation").order_by("position"))
    assert [s.entry.code for s in slots] == ["E1", "E2"]
    schedule.move_slot(slot=slots[1], direction="up", actor=a)
    order = [
        s.entry.code for s in ScheduleSlot.objects.filter(round=next_round, kind="presentation").order_by("position")
    ]
    assert order == ["E2", "E1"]
    assert list(
        RoundEntry.objects.filter(round=next_round).order_by("position").values_list("entry__code", flat=True)
    ) == [
        "E2",
        "E1",
    ]
    assert [item["entry"].code for item in judge_queue(next_round, panelist)] == ["E2", "E1"]


def test_an_overlapping_edit_is_refused(scene):
    next_round, entries, a, b, _ann = scene
    schedule.generate_schedule(round_=next_round, actor=a, days=[DAY], room="Ballroom")
    first, second = ScheduleSlot.objects.filter(round=next_round).order_by("position")[:2]
    with pytest.raises(JudgingError, match="Bentrok"):
        schedule.update_slot(slot=second, actor=a, date=DAY, start=datetime.time(8, 40), duration=25, room="Ballroom")
    schedule.update_slot(slot=second, actor=a, date=DAY, start=datetime.time(8, 40), duration=25, room="Ruang B")
    second.refresh_from_db()
    assert second.room == "Ruang B"


def test_the_innovator_sees_the_slot_and_the_schedule_pages_are_guarded(client, scene):
    next_round, entries, a, b, _ann = scene
    schedule.generate_schedule(round_=next_round, actor=a, days=[DAY], room="Ballroom", venue="Four Points")
    innovator = InnovatorFactory(agency=entries["E1"].agency)
    client.force_login(innovator)
    body = client.get(reverse("entries:detail", args=[entries["E1"].pk])).content.decode()
    assert "data-slot=" in body and "08:30" in body and "Four Points" in body
    edit = reverse("judging:schedule", args=[next_round.competition.slug, next_round.slug])
    printable = reverse("judging:schedule_print", args=[next_round.competition.slug, next_round.slug])
    assert client.get(edit).status_code == 403
    assert client.get(printable).status_code == 403
    client.force_login(JudgeFactory())
    assert client.get(printable).status_code == 403
    client.force_login(a)
    assert client.get(edit).status_code == 200
    body = client.get(printable).content.decode()
    assert 'data-entry="E1"' in body and "08:55" in body


def test_a_slot_is_not_shown_before_the_previous_round_is_announced(client):
    round_, next_round, entries, judges = closed_round()
    a, b = organisers()
    RoundEntry.objects.create(round=next_round, entry=entries["E1"], source="organiser", reason="uji")
    schedule.generate_schedule(round_=next_round, actor=a, days=[DAY], room="Ballroom")
    client.force_login(InnovatorFactory(agency=entries["E1"].agency))
    body = client.get(reverse("entries:detail", args=[entries["E1"].pk])).content.decode()
    assert "data-slot=" not in body


def test_organiser_generates_and_moves_through_the_pages(client, scene):
    next_round, entries, a, b, _ann = scene
    client.force_login(a)
    url = reverse("judging:schedule", args=[next_round.competition.slug, next_round.slug])
    response = client.post(
        url,
        {
            "first_day": "2023-03-06",
            "day_count": 4,
            "day_start": "08:30",
            "day_end": "16:30",
            "duration": 25,
            "break_every": 4,
            "break_minutes": 10,
            "lunch_start": "12:00",
            "lunch_minutes": 60,
            "room": "Ballroom",
            "panel": "Panel 1",
            "venue": "Four Points by Sheraton Makassar",
        },
    )
    assert response.status_code == 302
    slot = ScheduleSlot.objects.filter(round=next_round, kind="presentation").order_by("position").last()
    client.post(reverse("judging:slot_action", args=[slot.pk, "up"]))
    assert ScheduleSlot.objects.filter(round=next_round, kind="presentation").order_by("position")[0].entry.code == "E2"


def test_an_inactive_organiser_may_not_generate_a_schedule(scene):
    next_round, entries, a, b, _ann = scene
    a.is_active = False
    a.save(update_fields=["is_active"])
    with pytest.raises(JudgingError, match="Hanya penyelenggara"):
        schedule.generate_schedule(round_=next_round, actor=a, days=[DAY], room="Ballroom")
    assert not ScheduleSlot.objects.filter(round=next_round).exists()
