"""Every write of scoring is refused once a round is closed or published (issue 17, finding 1 and item 2): each is
posted through the real page as the person who would make it, and each refusal says that the round is closed and
that the organiser reopens it first, and leaves the database as it was."""

import datetime

import pytest
from django.urls import reverse

from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    FieldCheck,
    RoundEntry,
    RoundJudge,
    ScheduleSlot,
    Score,
    ScoreSheet,
)
from judging.scoring import services
from tests.factories import JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 10)]
REFUSED = "sudah ditutup atau diumumkan"
REOPEN = "membukanya kembali dengan alasan"


def frozen(round_):
    """Everything a write on the round could change, as plain values."""
    round_.refresh_from_db()
    return {
        "round": (round_.state, round_.closes_at, round_.top_n, list(round_.tie_break)),
        "conflicts": sorted(Conflict.objects.values_list("judge_id", "entry_id", "round_id")),
        "entries": sorted(RoundEntry.objects.filter(round=round_).values_list("entry_id", "position")),
        "judges": sorted(RoundJudge.objects.filter(round=round_).values_list("judge_id", flat=True)),
        "assignments": sorted(Assignment.objects.filter(round=round_).values_list("entry_id", "judge_id")),
        "sheets": sorted(
            ScoreSheet.objects.filter(assignment__round=round_).values_list("id", "state", "version", "overall_comment")
        ),
        "scores": sorted(Score.objects.filter(sheet__assignment__round=round_).values_list("sheet_id", "value")),
        "criteria": sorted(Criterion.objects.filter(round=round_).values_list("key", "weight", "scale_max")),
        "slots": sorted(ScheduleSlot.objects.filter(round=round_).values_list("entry_id", "date", "start", "room")),
        "checks": sorted(FieldCheck.objects.filter(round=round_).values_list("item", "verified", "note")),
    }


def _close(round_, organiser, reason="Juri berhalangan"):
    services.close_round(round_=round_, actor=organiser, reason=reason)
    round_.refresh_from_db()
    return round_


@pytest.fixture(params=["closed", "published"])
def scene(request):
    """A desk round: judge 0 submitted E1 and E2, judge 1 submitted E1, left E2 as a draft and has E3 not started.
    The round is closed (or published) with a reason."""
    round_ = make_round(CRITERIA, k=2, top_n=1, reserve_n=0)
    judges = [add_judge(round_), add_judge(round_)]
    entries = {code: add_entry(round_, code, minutes=i) for i, code in enumerate(["E1", "E2", "E3"])}
    add_sheet(round_, entries["E1"], judges[0], {"a": 9, "b": 9})
    add_sheet(round_, entries["E2"], judges[0], {"a": 6, "b": 6})
    add_sheet(round_, entries["E1"], judges[1], {"a": 8, "b": 7})
    add_sheet(round_, entries["E2"], judges[1], {"a": 5}, state="draft")
    add_sheet(round_, entries["E3"], judges[1], {}, assign_only=True)
    organiser = OrganiserFactory()
    _close(round_, organiser)
    if request.param == "published":
        services.publish_round(round_=round_, actor=organiser)
        round_.refresh_from_db()
    return round_, judges, entries, organiser


def _refused(response):
    body = response.content.decode()
    assert REFUSED in body and REOPEN in body, body[:2000]


def _action(round_, action):
    return reverse("judging:round_action", args=[round_.competition.slug, round_.slug, action])


def test_the_judge_cannot_save_or_submit_a_sheet_of_a_closed_round(client, scene):
    round_, judges, entries, _organiser = scene
    before = frozen(round_)
    ids = {c.key: c.pk for c in round_.criteria.all()}
    client.force_login(judges[1])
    draft = Assignment.objects.get(round=round_, judge=judges[1], entry=entries["E2"])
    fresh = Assignment.objects.get(round=round_, judge=judges[1], entry=entries["E3"])
    for assignment, version in ((draft, 1), (fresh, 0)):
        for action in ("save", "submit"):
            data = {"version": version, f"score_{ids['a']}": 10, f"score_{ids['b']}": 10, "action": action}
            response = client.post(reverse("judging:sheet", args=[assignment.pk]), data)
            assert response.status_code == 400
            _refused(response)
    assert frozen(round_) == before


def test_the_judge_cannot_recuse_from_a_closed_round_through_the_page(client, scene):
    """The finding: POST a reason to /penilaian/lembar/<pk>/konflik/ on a published round's final sheet."""
    round_, judges, entries, _organiser = scene
    before = frozen(round_)
    client.force_login(judges[1])
    assignment = Assignment.objects.get(round=round_, judge=judges[1], entry=entries["E1"])
    response = client.post(reverse("judging:declare_conflict", args=[assignment.pk]), {"reason": "Kerabat"})
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert frozen(round_) == before


def test_the_organiser_cannot_unlock_a_final_sheet_of_a_closed_round(client, scene):
    round_, judges, entries, organiser = scene
    before = frozen(round_)
    sheet = ScoreSheet.objects.get(assignment__judge=judges[0], assignment__entry=entries["E1"])
    client.force_login(organiser)
    response = client.post(reverse("judging:sheet_unlock", args=[sheet.pk]), {"reason": "Salah ketik"}, follow=True)
    _refused(response)
    assert frozen(round_) == before


@pytest.mark.parametrize(
    "action,data",
    [
        ("assign", "assign"),
        ("auto-assign", None),
        ("replace", "replace"),
        ("judges", "judges"),
        ("conflict", "conflict"),
        ("entry", "entry"),
        ("criterion", "criterion"),
        ("criterion-delete", "criterion-delete"),
    ],
)
def test_the_organiser_cannot_change_who_or_how_a_closed_round_scores(client, scene, action, data):
    round_, judges, entries, organiser = scene
    late_judge = add_judge(round_)
    late_entry = add_entry(round_, "E9", minutes=9)
    RoundEntry.objects.filter(round=round_, entry=late_entry).delete()
    RoundJudge.objects.filter(round=round_, judge=late_judge).delete()
    add_judge(round_, JudgeFactory())  # a judge of the round with no assignment (a replacement candidate)
    spare = RoundJudge.objects.filter(round=round_).exclude(judge__in=judges).get().judge
    criterion = round_.criteria.get(key="b")
    forms = {
        "assign": {"entry": entries["E3"].pk, "judges": [spare.pk]},
        "replace": {"entry": entries["E3"].pk, "judge": spare.pk},
        "judges": {"judges": [late_judge.pk]},
        "conflict": {"judge": judges[0].pk, "entry": entries["E1"].pk, "reason": "Kerabat"},
        "entry": {"code": "E9", "reason": "Tertinggal"},
        "criterion": {
            "criterion": criterion.pk,
            "key": "b",
            "title": "B",
            "weight": "9",
            "scale_min": 1,
            "scale_max": 10,
            "order": 1,
            "required": "on",
        },
        "criterion-delete": {"criterion": criterion.pk},
    }
    before = frozen(round_)
    client.force_login(organiser)
    response = client.post(_action(round_, action), forms.get(data, {}), follow=True)
    _refused(response)
    assert frozen(round_) == before


def test_unassigning_in_a_closed_round_is_refused(scene):
    round_, judges, entries, organiser = scene
    spare = add_judge(round_)
    assignment = Assignment.objects.create(round=round_, entry=entries["E3"], judge=spare, source="manual")
    before = frozen(round_)
    with pytest.raises(services.JudgingError, match=REFUSED):
        services.unassign(assignment=assignment, actor=organiser)
    assert frozen(round_) == before


def test_the_settings_of_a_closed_round_deadline_and_tie_break_are_not_changed(client, scene):
    round_, _judges, _entries, organiser = scene
    before = frozen(round_)
    client.force_login(organiser)
    data = {
        "name": round_.name,
        "top_n": 3,
        "reserve_n": 0,
        "judges_per_entry": 2,
        "aggregation": "median",
        "weight": 1,
        "closes_at": "2030-01-01T10:00",
        "tie_break_1": "submitted_at",
    }
    response = client.post(_action(round_, "settings"), data, follow=True)
    assert "Pengaturan babak hanya dapat diubah sebelum penilaian dibuka" in response.content.decode()
    assert frozen(round_) == before


@pytest.fixture
def closed_presentation():
    """A presentation round with a schedule of two slots, closed."""
    round_ = make_round(CRITERIA, k=1, kind="presentation", slug="presentasi-wawancara")
    judge = add_judge(round_)
    entries = [add_entry(round_, code, minutes=i) for i, code in enumerate(["P1", "P2"])]
    for entry in entries:
        add_sheet(round_, entry, judge, {"a": 7, "b": 7})
    organiser = OrganiserFactory()
    from judging.scoring.schedule import services as schedule

    schedule.generate_schedule(round_=round_, actor=organiser, days=[datetime.date(2023, 3, 6)], room="A")
    return _close(round_, organiser), judge, organiser


def test_the_schedule_of_a_closed_round_is_not_changed(client, closed_presentation):
    round_, _judge, organiser = closed_presentation
    before = frozen(round_)
    slot = ScheduleSlot.objects.filter(round=round_, kind="presentation").order_by("position").last()
    client.force_login(organiser)
    generate = {
        "first_day": "2023-03-07",
        "day_count": 1,
        "day_start": "08:00",
        "day_end": "16:00",
        "duration": 30,
        "break_every": 0,
        "break_minutes": 0,
        "lunch_start": "12:00",
        "lunch_minutes": 0,
    }
    responses = [
        client.post(reverse("judging:schedule", args=[round_.competition.slug, round_.slug]), generate, follow=True),
        client.post(reverse("judging:slot_action", args=[slot.pk, "up"]), follow=True),
        client.post(
            reverse("judging:slot_action", args=[slot.pk, "edit"]),
            {f"s{slot.pk}-date": "2023-03-08", f"s{slot.pk}-start": "14:00", f"s{slot.pk}-duration": 20},
            follow=True,
        ),
    ]
    for response in responses:
        _refused(response)
    assert frozen(round_) == before


def test_field_checks_of_a_closed_round_are_not_changed(client):
    round_ = make_round([("lokasi", 1, 1, 10)], kind="field", slug="verifikasi-lapangan", k=1)
    entry = add_entry(round_, "F1")
    judge = add_judge(round_)
    add_sheet(round_, entry, judge, {"lokasi": 8})
    url = reverse("judging:field_entry", args=[round_.competition.slug, round_.slug, entry.pk])
    client.force_login(judge)
    client.get(url)  # the default checklist is written while the round is open
    check = FieldCheck.objects.filter(round=round_, entry=entry).order_by("order").first()
    client.post(url, {"check": check.pk, "verified": "yes", "note": "Sesuai."})
    _close(round_, OrganiserFactory())
    before = frozen(round_)
    for data in ({"check": check.pk, "verified": "no", "note": "Ternyata tidak."}, {"new_item": "Papan informasi"}):
        _refused(client.post(url, data, follow=True))
    assert frozen(round_) == before


def test_a_closed_field_round_writes_no_checklist_when_its_page_opens(client):
    round_ = make_round([("lokasi", 1, 1, 10)], kind="field", slug="verifikasi-lapangan", k=1, state="closed")
    entry = add_entry(round_, "F1")
    client.force_login(OrganiserFactory())
    response = client.get(reverse("judging:field_entry", args=[round_.competition.slug, round_.slug, entry.pk]))
    assert response.status_code == 200
    assert not FieldCheck.objects.exists()


def test_after_reopening_with_a_reason_the_judge_scores_again(client, scene):
    round_, judges, entries, organiser = scene
    services.reopen_round(round_=round_, actor=organiser, reason="Satu lembar tertinggal")
    ids = {c.key: c.pk for c in round_.criteria.all()}
    client.force_login(judges[1])
    assignment = Assignment.objects.get(round=round_, judge=judges[1], entry=entries["E3"])
    data = {"version": 0, f"score_{ids['a']}": 4, f"score_{ids['b']}": 4, "action": "submit"}
    response = client.post(reverse("judging:sheet", args=[assignment.pk]), data)
    assert response.status_code == 302
    assert ScoreSheet.objects.get(assignment=assignment).state == "final"
