"""Demo data of scoring in Jawa Timur (seed_demo, order 210): kovablik-jatim-2023's one round, scored and closed.

"Presentasi dan wawancara" (kind presentation, June 2023): the seven eligible entries of entries/demo/jatim.py,
panelist-jatim1..3 on every entry, every sheet final; closed by organiser-jatim@demo.kipp.id, with its ranking
snapshot (Top 5 and one reserve). Nothing is published: no announcement is prepared, so the organiser can take the
next step on `make run`. Idempotent (nothing is done when the round exists), deterministic for a seed
(ctx.rng("scoring-jatim")).
"""

import datetime

from entries.enums import EntryStatus
from entries.models import Entry
from judging.models import Assignment, Criterion, Round, Score, ScoreSheet
from judging.scoring import services
from judging.scoring.enums import RoundState, SheetState
from kipp.demo_jatim import ORGANISER, SLUG, WIB, panelist_emails
from kipp.models import Competition, User

ROUND_SLUG = "presentasi-wawancara"
COMMENTS = [
    "Paparan jelas, data dampak lengkap dan dapat diverifikasi.",
    "Inovasi relevan; rencana keberlanjutan perlu diperkuat.",
    "Kebaruan cukup, replikasi ke daerah lain masih terbatas.",
]


def _at(month, day, hour, minute=0):
    return datetime.datetime(2023, month, day, hour, minute, tzinfo=WIB)


def seed_jatim_round(ctx):
    competition = Competition.objects.filter(slug=SLUG).first()
    if competition is None or Round.objects.filter(competition=competition, slug=ROUND_SLUG).exists():
        return
    organiser = User.objects.filter(email=f"{ORGANISER[0]}@demo.kipp.id").first()
    found = {u.email: u for u in User.objects.filter(email__in=panelist_emails())}
    panelists = [found[email] for email in panelist_emails() if email in found]
    if organiser is None or not panelists:
        ctx.log("scoring: the Jawa Timur accounts are needed (kipp's seeders).")
        return
    if not Entry.objects.filter(competition=competition, status=EntryStatus.ELIGIBLE).exists():
        ctx.log(f"scoring: no eligible entries in {SLUG}; run the entries seeders first.")
        return
    round_ = services.create_round(
        competition=competition,
        slug=ROUND_SLUG,
        name="Presentasi dan wawancara",
        kind="presentation",
        actor=organiser,
        top_n=5,
        reserve_n=1,
        judges_per_entry=len(panelists),
        weight=100,
        opens_at=_at(6, 13, 8),
        closes_at=_at(6, 15, 17),
    )  # the first round: it takes the eligible entries
    ctx.count("judging rounds")
    services.add_judges(round_=round_, judges=panelists, actor=organiser)
    services.auto_assign(round_=round_, actor=organiser)
    Round.objects.filter(pk=round_.pk).update(state=RoundState.OPEN)
    _final_sheets(ctx, round_, ctx.rng("scoring-jatim"))
    services.close_round(round_=round_, actor=organiser)  # keeps its closing time (past) and stores the snapshot


def _final_sheets(ctx, round_, rng):
    """Every assignment scored and final, during the two days of presentations."""
    criteria = list(Criterion.objects.filter(round=round_).order_by("order"))
    positions = dict(round_.round_entries.values_list("entry_id", "position"))
    assignments = list(Assignment.objects.filter(round=round_).order_by("entry__code", "judge_id"))
    ctx.count("judging assignments", n=len(assignments))
    quality = {pk: min(1.0, max(0.0, rng.gauss(0.7, 0.1))) for pk in sorted(positions)}
    sheets = []
    for a in assignments:
        position = positions.get(a.entry_id) or 1
        slot = _at(6, 13 + (position - 1) // 4, 9) + datetime.timedelta(minutes=45 * ((position - 1) % 4) + 30)
        sheets.append(
            ScoreSheet(
                assignment=a,
                state=SheetState.FINAL,
                submitted_at=slot,
                overall_comment=COMMENTS[rng.randrange(len(COMMENTS))],
            )
        )
    sheets = ScoreSheet.objects.bulk_create(sheets)
    values = []
    for sheet in sheets:
        q = quality[sheet.assignment.entry_id]
        for c in criteria:
            x = min(1.0, max(0.0, q + rng.gauss(0, 0.08)))
            values.append(Score(sheet=sheet, criterion=c, value=c.scale_min + round(x * (c.scale_max - c.scale_min))))
    Score.objects.bulk_create(values)
    ctx.count("judging score sheets", n=len(sheets))
