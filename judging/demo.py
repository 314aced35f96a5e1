"""Demo data of judging (seed_demo, order 200, after kipp and entries).

kipp-sulsel-2023:
- penilaian-proposal: the eligible entries, evaluator1..M (--judges, default 9), 3 per entry, every sheet final with
  a realistic spread (one harsh and one lenient evaluator), two recusals with replacement judges; closed, with a
  snapshot. Top 50 + 5 reserve. Scores come from each entry's latent quality; the two Jeneponto entries of 2023
  ("Sapa Masyarakat Sekitar (SMS)", "Transportation Smart") get a strong quality, so they land in the Top 50.
- presentasi-wawancara: the Top 50 in desk rank order (presentation order), panelist1..6, open, partly scored.
- verifikasi-lapangan: set up (takes the selected entries once the presentation round closes).

kipp-jeneponto-2027 (judging/scoring/demo.py): a presentation round open now, panelist1 with ten sheets to score.

Idempotent (a round that exists is left alone) and deterministic for a seed (ctx.rng("judging")).
"""

import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from entries.enums import EntryStatus
from entries.models import Entry
from judging.models import Assignment, Conflict, Criterion, Round, Score, ScoreSheet
from judging.scoring import services
from judging.scoring.demo import seed_open_round
from judging.scoring.enums import AssignmentSource, ConflictSource, RoundState, SheetState
from kipp.models import Competition, User

WITA = ZoneInfo("Asia/Makassar")
STRONG = {"Sapa Masyarakat Sekitar (SMS)": 0.86, "Transportation Smart": 0.83}
HARSH, LENIENT = 4, 7  # evaluator4 scores low, evaluator7 high
RECUSALS = [
    "Saya pernah menjadi narasumber pelatihan yang melahirkan inovasi ini.",
    "Kerabat dekat saya bekerja di instansi pengusul.",
]


def _at(year, month, day, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=WITA)


def _judges(prefix, count):
    emails = [f"{prefix}{n}@demo.kipp.id" for n in range(1, count + 1)]
    found = {u.email: u for u in User.objects.filter(email__in=emails, role="judge")}
    return [found[e] for e in emails if e in found]


def _clip(x):
    return min(1.0, max(0.0, x))


def seed_judging(ctx):
    _seed_2023(ctx)
    seed_open_round(ctx)  # kipp-jeneponto-2027: judging/scoring/demo.py


def _seed_2023(ctx):
    competition = Competition.objects.filter(slug="kipp-sulsel-2023").first()
    if competition is None:
        ctx.log("judging: kipp-sulsel-2023 not found; run the kipp and entries seeders first.")
        return
    if not Entry.objects.filter(competition=competition, status=EntryStatus.ELIGIBLE).exists():
        ctx.log("judging: no eligible entries in kipp-sulsel-2023; run the entries seeder first.")
        return
    rng = ctx.rng("judging")
    evaluators = _judges("evaluator", ctx.options.get("judges") or 9)
    panelists = _judges("panelist", 6)
    # Sulawesi Selatan's organisers (another province's sort first by email): organiser2 acts, as it always has
    sulsel = ["organiser@demo.kipp.id", "organiser2@demo.kipp.id"]
    organiser = User.objects.filter(email__in=sulsel, role="organiser").order_by("email").first()
    desk = Round.objects.filter(competition=competition, slug="penilaian-proposal").first()
    if desk is None:
        desk = _seed_desk(ctx, competition, evaluators, organiser, rng)
    presentation = Round.objects.filter(competition=competition, slug="presentasi-wawancara").first()
    if presentation is None and desk.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        _seed_presentation(ctx, competition, panelists, organiser, rng)
    if not Round.objects.filter(competition=competition, slug="verifikasi-lapangan").exists():
        field = services.create_round(
            competition=competition,
            slug="verifikasi-lapangan",
            name="Verifikasi lapangan",
            kind="field",
            actor=organiser,
            top_n=30,
            reserve_n=0,
            judges_per_entry=2,
            weight=0,
            opens_at=_at(2023, 3, 13, 8),
            closes_at=_at(2023, 3, 26, 17),
        )
        services.add_judges(round_=field, judges=evaluators, actor=organiser)
        ctx.count("judging rounds")


class _DeskQuality(NamedTuple):
    """Where the desk round's scores come from: each entry's latent quality, each judge's bias and each
    (entry, criterion) aspect, drawn once from the seed."""

    criteria: list
    entries: dict
    quality: dict
    bias: dict
    aspect: dict


def _seed_desk(ctx, competition, evaluators, organiser, rng):
    desk = _open_desk_round(ctx, competition, evaluators, organiser)
    model = _desk_quality(desk, evaluators, rng)
    assignments = list(Assignment.objects.filter(round=desk).order_by("entry__code", "judge_id"))
    recused, replacements = _recusals_with_replacements(competition, desk, assignments, model.entries, evaluators, rng)
    assignments += replacements
    ctx.count("judging assignments", n=len(assignments))
    ctx.count("judging conflicts (recusals)", n=len(recused))
    sheets = _final_desk_sheets(assignments, model, rng)
    ctx.count("judging score sheets", n=len(sheets))
    services.close_round(round_=desk, actor=organiser)
    Round.objects.filter(pk=desk.pk).update(closes_at=_at(2023, 2, 17, 17))
    desk.refresh_from_db()
    return desk


def _open_desk_round(ctx, competition, evaluators, organiser):
    """The desk round, its evaluators assigned three to an entry, open."""
    desk = services.create_round(
        competition=competition,
        slug="penilaian-proposal",
        name="Penilaian proposal (desk evaluation)",
        kind="desk",
        actor=organiser,
        top_n=50,
        reserve_n=5,
        judges_per_entry=3,
        weight=70,
        opens_at=_at(2023, 1, 16, 8),
        closes_at=_at(2023, 2, 17, 17),
    )
    ctx.count("judging rounds")
    services.add_judges(round_=desk, judges=evaluators, actor=organiser)
    services.auto_assign(round_=desk, actor=organiser)
    Round.objects.filter(pk=desk.pk).update(state=RoundState.OPEN)
    return desk


def _desk_quality(desk, evaluators, rng):
    criteria = list(Criterion.objects.filter(round=desk).order_by("order"))
    bias = {}
    for number, judge in enumerate(evaluators, start=1):
        bias[judge.pk] = -0.13 if number == HARSH else 0.12 if number == LENIENT else rng.uniform(-0.03, 0.03)
    entries = {e.pk: e for e in Entry.objects.filter(round_entries__round=desk).order_by("code")}
    quality = {pk: STRONG.get(e.title, _clip(rng.gauss(0.6, 0.12))) for pk, e in entries.items()}
    aspect = {(pk, c.pk): rng.gauss(0, 0.06) for pk in entries for c in criteria}
    return _DeskQuality(criteria, entries, quality, bias, aspect)


def _recusals_with_replacements(competition, desk, assignments, entries, evaluators, rng):
    """Two recusals, on ordinary entries: the judge had scored, then declared a conflict; a replacement judge
    (the least loaded free evaluator) scores. Returns (recused assignments, replacement assignments)."""
    ordinary = [a for a in assignments if entries[a.entry_id].title not in STRONG]
    recused = [ordinary[i] for i in sorted(rng.sample(range(len(ordinary)), min(2, len(ordinary))))]
    replacements = []
    blocked = {(c.judge_id, c.entry_id) for c in Conflict.objects.filter(competition=competition)}
    taken = {(a.entry_id, a.judge_id) for a in assignments}
    loads = {j.pk: 0 for j in evaluators}
    for a in assignments:
        loads[a.judge_id] += 1
    for a, reason in zip(recused, RECUSALS, strict=False):
        Conflict.objects.create(
            competition=competition,
            round=desk,
            judge_id=a.judge_id,
            entry_id=a.entry_id,
            source=ConflictSource.DECLARED,
            reason=reason,
            created_by_id=a.judge_id,
        )
        free = [j.pk for j in evaluators if (j.pk, a.entry_id) not in blocked and (a.entry_id, j.pk) not in taken]
        if not free:  # a small demo (--judges 3): the entry stays short of k
            continue
        judge_id = min(free, key=lambda pk: (loads[pk], pk))
        loads[judge_id] += 1
        taken.add((a.entry_id, judge_id))
        replacements.append(
            Assignment(round=desk, entry_id=a.entry_id, judge_id=judge_id, source=AssignmentSource.REPLACEMENT)
        )
    return recused, Assignment.objects.bulk_create(replacements)


def _final_desk_sheets(assignments, model, rng):
    """A final sheet for every assignment, submitted during the four weeks of the round, scored from the entry's
    quality, the judge's bias, the aspect and some noise. Returns the sheets."""
    sheets, values = [], []
    start = _at(2023, 1, 17, 8)
    for a in assignments:
        submitted = start + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 28))
        sheets.append(
            ScoreSheet(
                assignment=a,
                state=SheetState.FINAL,
                submitted_at=submitted,
                overall_comment=_comment(rng, model.quality[a.entry_id]),
            )
        )
    sheets = ScoreSheet.objects.bulk_create(sheets)
    for sheet in sheets:
        a = sheet.assignment
        for c in model.criteria:
            noise = rng.gauss(0, 0.07)
            x = _clip(model.quality[a.entry_id] + model.bias[a.judge_id] + model.aspect[(a.entry_id, c.pk)] + noise)
            values.append(Score(sheet=sheet, criterion=c, value=c.scale_min + round(x * (c.scale_max - c.scale_min))))
    Score.objects.bulk_create(values)
    return sheets


def _comment(rng, quality):
    if quality > 0.8:
        return rng.choice(["Dampak terukur dan kuat; layak direplikasi.", "Inovasi matang, bukti dampak lengkap."])
    if quality > 0.6:
        return rng.choice(["Cukup baik; data dampak perlu dipertajam.", "Menarik, strategi keberlanjutan belum rinci."])
    return rng.choice(["Bukti dampak masih lemah.", "Kebaruan kurang jelas dibanding inovasi sejenis."])


def _seed_presentation(ctx, competition, panelists, organiser, rng):
    presentation = services.create_round(
        competition=competition,
        slug="presentasi-wawancara",
        name="Presentasi dan wawancara",
        kind="presentation",
        actor=organiser,
        top_n=30,
        reserve_n=0,
        judges_per_entry=len(panelists) or 1,
        weight=30,
        opens_at=_at(2023, 3, 6, 8),
        closes_at=_at(2023, 3, 9, 17),
    )  # takes the Top 50 of the desk round, in rank order (the presentation order)
    ctx.count("judging rounds")
    if not panelists:
        return presentation
    services.add_judges(round_=presentation, judges=panelists, actor=organiser)
    services.auto_assign(round_=presentation, actor=organiser)
    Round.objects.filter(pk=presentation.pk).update(state=RoundState.OPEN)
    criteria = list(Criterion.objects.filter(round=presentation).order_by("order"))
    order = dict(presentation.round_entries.values_list("entry_id", "position"))
    assignments = list(Assignment.objects.filter(round=presentation).order_by("entry__code", "judge_id"))
    ctx.count("judging assignments", n=len(assignments))
    sheets, values = [], []
    for a in assignments:
        position = order.get(a.entry_id) or 99
        if position <= 20:  # days 1-2: scored and submitted
            state = SheetState.FINAL
        elif position <= 26 and rng.random() < 0.6:  # day 3 morning: some drafts
            state = SheetState.DRAFT
        else:
            continue
        day = _at(2023, 3, 6, 9) + datetime.timedelta(days=(position - 1) // 10, minutes=30 * ((position - 1) % 10))
        sheets.append(ScoreSheet(assignment=a, state=state, submitted_at=day if state == SheetState.FINAL else None))
    sheets = ScoreSheet.objects.bulk_create(sheets)
    quality = {}
    for sheet in sheets:
        a = sheet.assignment
        q = quality.setdefault(a.entry_id, _clip(rng.gauss(0.7, 0.1)))
        for c in criteria:
            if sheet.state == SheetState.DRAFT and rng.random() < 0.4:
                continue
            x = _clip(q + rng.gauss(0, 0.08))
            values.append(Score(sheet=sheet, criterion=c, value=c.scale_min + round(x * (c.scale_max - c.scale_min))))
    Score.objects.bulk_create(values)
    ctx.count("judging score sheets", n=len(sheets))
    return presentation
