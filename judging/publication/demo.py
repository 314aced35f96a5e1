"""Demo data of publication (seed_demo, order 300, after the judging seeder).

kipp-sulsel-2023, as in 2023:
- the Top 50 of penilaian-proposal published as Pengumuman 065/134/II/B, prepared by organiser@demo.kipp.id and
  approved by organiser2@demo.kipp.id (20 February 2023), both Jeneponto entries in it; one objection, answered;
- the presentation schedule of presentasi-wawancara: 6-9 March 2023 at Four Points by Sheraton Makassar before
  panelist1..6 (one panel);
- presentasi-wawancara completed (the judging seeder leaves it partly scored; the Top 30 needs it) and closed;
- verifikasi-lapangan (13-26 March 2023): the presentation round's selected entries, a site checklist per entry and
  the field rubric scored by two evaluators each, closed;
- the Top 30 (final result: desk 70 + presentation 30, field weight 0) published as a final announcement.

Dates are those of 2023; no emails are sent (notified_at is set to the publication time). Idempotent: each step is
skipped when its result exists. Deterministic for a seed (ctx.rng("publication")).
"""

import datetime
from zoneinfo import ZoneInfo

from judging.models import (
    Announcement,
    Assignment,
    Criterion,
    FieldCheck,
    Round,
    ScheduleSlot,
    Score,
    ScoreSheet,
)
from judging.publication import services as pub
from judging.publication.enums import AnnouncementKind
from judging.scoring import services
from judging.scoring.enums import Outcome, RoundState, SheetState
from judging.scoring.field.services import DEFAULT_ITEMS
from judging.scoring.queries import recused_q
from judging.scoring.schedule.services import generate_schedule
from kipp.models import Competition, User

WITA = ZoneInfo("Asia/Makassar")
TOP50_NUMBER = "065/134/II/B"
TOP30_NUMBER = "065/312/III/B"
JENEPONTO_TITLES = ("Sapa Masyarakat Sekitar (SMS)", "Transportation Smart")
LETTERHEAD = (
    "PEMERINTAH PROVINSI SULAWESI SELATAN\nSEKRETARIAT DAERAH\nBIRO ORGANISASI\nJl. Urip Sumoharjo No. 269, Makassar"
)
# (name, title) of the signatory; the name is the demo's own (a person's name, not a position).
SIGNATORY = ("Andi Rahmat Hidayat, S.STP., M.Si.", "Kepala Biro Organisasi Setda Provinsi Sulawesi Selatan")
VENUE = "Four Points by Sheraton Makassar"


def _at(month, day, hour=9, minute=0):
    return datetime.datetime(2023, month, day, hour, minute, tzinfo=WITA)


def seed_publication(ctx):
    competition = Competition.objects.filter(slug="kipp-sulsel-2023").first()
    rounds = {r.slug: r for r in Round.objects.filter(competition=competition)} if competition else {}
    desk = rounds.get("penilaian-proposal")
    if desk is None or desk.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        ctx.log("publication: penilaian-proposal is not closed; run the judging seeder first.")
        return
    organiser = User.objects.filter(email="organiser@demo.kipp.id").first()
    approver = User.objects.filter(email="organiser2@demo.kipp.id").first()
    if organiser is None or approver is None:
        ctx.log("publication: organiser@ and organiser2@demo.kipp.id are needed.")
        return
    rng = ctx.rng("publication")
    top50 = _top50(ctx, desk, organiser, approver)
    _objection(ctx, top50, approver, rng)
    presentation = rounds.get("presentasi-wawancara")
    field = rounds.get("verifikasi-lapangan")
    if presentation is None:
        return
    _schedule(ctx, presentation, organiser)
    _complete_presentation(ctx, presentation, organiser, rng)
    if field is not None:
        _field(ctx, field, organiser, rng)
        _top30(ctx, field, organiser, approver)


def _announce(ctx, round_, organiser, approver, *, kind, number, title, body, day, top_label):
    announcement = Announcement.objects.filter(round=round_, kind=kind, number=number).order_by("-version").first()
    if announcement is not None:
        return announcement
    prepared = _at(day[0], day[1], 9)
    announcement = pub.prepare_announcement(
        round_=round_,
        actor=organiser,
        kind=kind,
        now=prepared,
        number=number,
        title=title,
        date=prepared.date(),
        place="Makassar",
        signatory_name=SIGNATORY[0],
        signatory_title=SIGNATORY[1],
        letterhead=LETTERHEAD,
        body=body,
        show_ranks=kind == AnnouncementKind.FINAL,
        show_totals=False,
        acknowledge_few_judges=True,  # the demo's desk round has entries with a recused judge, on purpose
        list_order="rank" if kind == AnnouncementKind.FINAL else "alphabetical",
        embargo_until=_at(day[0], day[1], 15),
        objection_days=5,
    )
    if kind == AnnouncementKind.ROUND:
        _keep_jeneponto(announcement, organiser)
    pub.submit_for_approval(announcement=announcement, actor=organiser, now=_at(day[0], day[1], 10))
    Announcement.objects.filter(pk=announcement.pk).update(notified_at=_at(day[0], day[1], 15))  # no demo emails
    announcement = pub.approve_announcement(announcement=announcement, actor=approver, now=_at(day[0], day[1], 14))
    ctx.count(f"announcements ({top_label})")
    return announcement


def _keep_jeneponto(announcement, organiser):
    """The judging seeder gives both Jeneponto entries a strong quality; should one still miss the Top 50, the
    demo makes the organiser's reasoned change explicit (as the real panel may do) instead of hiding it."""
    for row in announcement.rows.filter(title__in=JENEPONTO_TITLES).exclude(outcome=Outcome.SELECTED):
        pub.change_outcome(
            announcement=announcement,
            entry=row.entry,
            to_outcome=Outcome.SELECTED,
            reason="Keputusan rapat pleno tim evaluator: keterwakilan daerah (demo).",
            actor=organiser,
        )


def _top50(ctx, desk, organiser, approver):
    competition = desk.competition
    return _announce(
        ctx,
        desk,
        organiser,
        approver,
        kind=AnnouncementKind.ROUND,
        number=TOP50_NUMBER,
        title=f"Top 50 {competition.name}",
        body=(
            f"Berdasarkan hasil penilaian proposal oleh tim evaluator {competition.name}, dengan ini diumumkan 50 "
            "(lima puluh) inovasi terbaik yang berhak mengikuti tahap presentasi dan wawancara pada 6-9 Maret 2023 "
            f"di {VENUE}.\n\nSanggahan atas pengumuman ini dapat diajukan melalui portal selama 5 (lima) hari sejak "
            "pengumuman ini terbit. Jadwal presentasi setiap peserta dapat dilihat pada halaman proposal masing-masing."
        ),
        day=(2, 20),
        top_label="Top 50",
    )


def _objection(ctx, announcement, approver, rng):
    if announcement.objections.exists():
        return
    rows = list(announcement.rows.filter(outcome=Outcome.SELECTED).exclude(title__in=JENEPONTO_TITLES).order_by("rank"))
    if not rows:
        return
    row = rows[rng.randrange(len(rows))]
    objection = pub.file_objection(
        announcement=announcement,
        entry=row.entry,
        reason=(
            "Menurut kami inovasi ini baru berjalan sejak pertengahan 2021, sehingga belum memenuhi syarat usia "
            "inovasi dua tahun."
        ),
        name="Andi Baso Mappaseng",
        email="andi.baso@example.org",
        now=_at(2, 21, 10),
    )
    pub.answer_objection(
        objection=objection,
        actor=approver,
        answer=(
            "Terima kasih. Tim telah memeriksa SK inovasi dan laporan pelaksanaan: inovasi mulai diterapkan pada "
            "Januari 2020, sehingga memenuhi syarat usia. Proposal tetap dalam daftar Top 50."
        ),
        now=_at(2, 23, 11),
    )
    ctx.count("objections (answered)")


def _schedule(ctx, presentation, organiser):
    if ScheduleSlot.objects.filter(round=presentation).exists():
        return
    if presentation.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        return
    count = generate_schedule(
        round_=presentation,
        actor=organiser,
        days=[datetime.date(2023, 3, d) for d in (6, 7, 8, 9)],  # 08:30-16:30, 25-minute slots, the defaults
        room="Ballroom",
        panel="Panel (panelist1-6)",
        venue=VENUE,
    )
    ctx.count("schedule slots", n=count)


def _score_all(round_, rng, quality, start, days):
    """Every assignment of the round gets a final sheet with every criterion (drafts are completed)."""
    criteria = list(Criterion.objects.filter(round=round_).order_by("order"))
    assignments = list(
        Assignment.objects.filter(round=round_)
        .annotate(recused=recused_q())
        .filter(recused=False)
        .select_related("sheet")
        .order_by("entry__code", "judge_id")
    )
    new_sheets, to_finish = [], []
    for a in assignments:
        when = start + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * days))
        sheet = getattr(a, "sheet", None)
        if sheet is None:
            new_sheets.append(ScoreSheet(assignment=a, state=SheetState.FINAL, submitted_at=when))
        elif sheet.state == SheetState.DRAFT:
            sheet.state, sheet.submitted_at, sheet.version = SheetState.FINAL, when, sheet.version + 1
            to_finish.append(sheet)
    created = ScoreSheet.objects.bulk_create(new_sheets)
    ScoreSheet.objects.bulk_update(to_finish, ["state", "submitted_at", "version"])
    sheets = created + to_finish
    have = set(Score.objects.filter(sheet__in=sheets).values_list("sheet_id", "criterion_id"))
    values = []
    for sheet in sheets:
        entry_id = sheet.assignment.entry_id
        q = quality.setdefault(entry_id, min(1.0, max(0.0, rng.gauss(0.7, 0.1))))
        for c in criteria:
            if (sheet.pk, c.pk) in have:
                continue
            x = min(1.0, max(0.0, q + rng.gauss(0, 0.08)))
            values.append(Score(sheet=sheet, criterion=c, value=c.scale_min + round(x * (c.scale_max - c.scale_min))))
    Score.objects.bulk_create(values)
    return len(sheets)


def _quality_from_desk(round_):
    """Presentation quality follows the desk result a little (good proposals tend to present well)."""
    desk_row = {row.entry_id: row.total for row in Announcement.objects.get(number=TOP50_NUMBER, version=1).rows.all()}
    return {entry_id: min(1.0, max(0.0, (total or 60) / 100 + 0.05)) for entry_id, total in desk_row.items()}


def _complete_presentation(ctx, presentation, organiser, rng):
    if presentation.state != RoundState.OPEN:
        return
    n = _score_all(presentation, rng, _quality_from_desk(presentation), _at(3, 6, 9), 4)
    services.close_round(round_=presentation, actor=organiser)
    Round.objects.filter(pk=presentation.pk).update(closes_at=_at(3, 9, 17))
    ctx.count("presentation sheets completed", n=n)


def _field(ctx, field, organiser, rng):
    field.refresh_from_db()
    if field.state != RoundState.SETUP:
        return
    if not field.round_entries.exists():
        services.take_selected_entries(round_=field, actor=organiser)
    if not Assignment.objects.filter(round=field).exists():
        services.auto_assign(round_=field, actor=organiser)
    Round.objects.filter(pk=field.pk).update(state=RoundState.OPEN)
    n = _score_all(field, rng, {}, _at(3, 13, 9), 13)
    checks = []
    for re in field.round_entries.select_related("entry").order_by("position", "entry__code"):
        for order, item in enumerate(DEFAULT_ITEMS, start=1):
            ok = rng.random() > 0.08
            checks.append(
                FieldCheck(
                    round=field,
                    entry=re.entry,
                    item=item,
                    order=order,
                    verified=ok,
                    note="" if ok else "Belum lengkap saat kunjungan; dokumen susulan diminta.",
                    checked_by=organiser,
                    checked_at=_at(3, 13, 10) + datetime.timedelta(days=rng.randrange(0, 13)),
                )
            )
    FieldCheck.objects.bulk_create(checks, ignore_conflicts=True)
    field.refresh_from_db()
    services.close_round(round_=field, actor=organiser)
    Round.objects.filter(pk=field.pk).update(closes_at=_at(3, 26, 17))
    ctx.count("field verification sheets", n=n)
    ctx.count("field checklist items", n=len(checks))


def _top30(ctx, field, organiser, approver):
    field.refresh_from_db()
    if field.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        return
    competition = field.competition
    _announce(
        ctx,
        field,
        organiser,
        approver,
        kind=AnnouncementKind.FINAL,
        number=TOP30_NUMBER,
        title=f"Top 30 {competition.name}",
        body=(
            f"Berdasarkan hasil penilaian proposal (bobot 70%), presentasi dan wawancara (bobot 30%), serta "
            f"verifikasi lapangan 13-26 Maret 2023, dengan ini diumumkan 30 (tiga puluh) inovasi terbaik "
            f"{competition.name}. Inovasi terpilih didokumentasikan, dibina, dan diusulkan ke KIPP tingkat nasional."
        ),
        day=(3, 31),
        top_label="Top 30",
    )
