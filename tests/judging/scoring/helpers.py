"""Small builders for judging tests: a round with a rubric, entries, judges, and sheets written directly."""

import datetime
from decimal import Decimal

from django.utils import timezone

from judging.models import Assignment, Criterion, Round, RoundEntry, RoundJudge, Score, ScoreSheet
from tests.factories import CompetitionFactory, EntryFactory, JudgeFactory

BASE_TIME = timezone.make_aware(datetime.datetime(2023, 1, 10, 9, 0))


def make_round(
    criteria,
    *,
    competition=None,
    method="mean",
    top_n=2,
    reserve_n=1,
    tie_break=None,
    state="open",
    kind="desk",
    slug="penilaian-proposal",
    order=1,
    k=3,
):
    """criteria: [(key, weight, min, max)] or [(key, weight, min, max, required)]."""
    competition = competition or CompetitionFactory()
    round_ = Round.objects.create(
        competition=competition,
        slug=slug,
        name=slug.replace("-", " ").title(),
        order=order,
        kind=kind,
        aggregation=method,
        top_n=top_n,
        reserve_n=reserve_n,
        state=state,
        judges_per_entry=k,
        **({"tie_break": tie_break} if tie_break is not None else {}),
    )
    for index, spec in enumerate(criteria):
        key, weight, low, high = spec[:4]
        required = spec[4] if len(spec) > 4 else True
        Criterion.objects.create(
            round=round_,
            key=key,
            title=key.title(),
            weight=Decimal(str(weight)),
            scale_min=low,
            scale_max=high,
            required=required,
            order=index,
        )
    return round_


def add_entry(round_, code, *, minutes=0, agency=None):
    extra = {"agency": agency} if agency else {}
    entry = EntryFactory(
        competition=round_.competition,
        code=code,
        status="eligible",
        submitted_at=BASE_TIME + datetime.timedelta(minutes=minutes),
        decided_at=BASE_TIME + datetime.timedelta(days=30),
        **extra,
    )
    RoundEntry.objects.create(round=round_, entry=entry, source="eligible")
    return entry


def add_judge(round_, judge=None, **kwargs):
    judge = judge or JudgeFactory(**kwargs)
    RoundJudge.objects.get_or_create(round=round_, judge=judge)
    return judge


def add_sheet(round_, entry, judge, values, *, state="final", assign_only=False):
    """values: {criterion key: int or None}."""
    RoundJudge.objects.get_or_create(round=round_, judge=judge)
    assignment, _ = Assignment.objects.get_or_create(
        round=round_, entry=entry, judge=judge, defaults={"source": "manual"}
    )
    if assign_only:
        return assignment
    sheet = ScoreSheet.objects.create(
        assignment=assignment, state=state, submitted_at=timezone.now() if state == "final" else None
    )
    criteria = {c.key: c for c in round_.criteria.all()}
    Score.objects.bulk_create(
        [Score(sheet=sheet, criterion=criteria[key], value=v) for key, v in values.items() if v is not None]
    )
    return sheet
