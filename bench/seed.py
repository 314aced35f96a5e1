"""Benchmark datasets, written in SQL (INSERT ... SELECT generate_series), never row by row through the ORM.

Run only inside the benchmark's own database (bench.settings refuses the demo database). Each dataset is one
competition `bench-<name>` with one desk round `penilaian-proposal` (7 criteria, KIPP 2023 weights without the
summary, scale 1..10), k judges per entry, final sheets (~2% drafts, 0.5% of assignments recused by a conflict).
Scores: entry quality, judge bias (harsh and lenient) and noise. Small objects go through bulk_create; the bulk
(entries, round entries, assignments, sheets, scores) through SQL in chunks, with progress and time left."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.progress import Progress, say
from entries.models import Entry
from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    EntryTotal,
    Round,
    RoundEntry,
    RoundJudge,
    Score,
    ScoreSheet,
    SheetTotal,
)
from judging.publication import services as publication_services
from judging.publication.models import Announcement
from judging.scoring.services import close_round
from judging.scoring.totals import refresh_round_totals
from kipp.models import Agency, Category, Competition, Membership, Organisation, Region, User
from kipp.organisations.enums import MembershipKind

PASSWORD = "bench-password-2026"  # noqa: S105 - benchmark accounts in the benchmark database only
CRITERIA = [
    ("latar_belakang", "Latar belakang dan tujuan", 10),
    ("kebaruan", "Kebaruan / nilai tambah", 15),
    ("implementasi", "Implementasi inovasi", 5),
    ("signifikansi", "Signifikansi", 30),
    ("adaptabilitas", "Adaptabilitas", 20),
    ("sumber_daya", "Sumber daya", 5),
    ("keberlanjutan", "Strategi keberlanjutan", 15),
]
ROUND_SLUG = "penilaian-proposal"
BURST_SLUG = "presentasi-burst"
AGENCIES_PER_REGION = 10
BENCH_PROVINCE = "73"  # the bench's agencies are in one province's 24 regions (all 552 would be 5,520 agencies)
CHUNK_ENTRIES = 2_500


@dataclass(frozen=True)
class Dataset:
    name: str
    entries: int
    judges: int
    k: int = 3
    round_entries: int | None = None  # None: every entry is in the round
    burst_judges: int = 0  # extra judges with one unscored assignment each in a second round (the burst)

    @property
    def slug(self):
        return f"bench-{self.name.lower()}"

    @property
    def in_round(self):
        return self.round_entries or self.entries

    @property
    def expected_scores(self):
        return self.in_round * self.k * len(CRITERIA)


DATASETS = {
    "S": Dataset("S", entries=141, judges=9),
    "M": Dataset("M", entries=5_000, judges=60, burst_judges=64),
    "L": Dataset("L", entries=50_000, judges=500),
    # the dashboard comparison, like-for-like with pretalx's review dashboard: a round that ranks all 2,000 entries,
    # 3 judges each, 7 weighted criteria (42,000 scores); the page shows 250 rows
    "D": Dataset("D", entries=2_000, judges=30),
    # M while scoring is open (never published): the dashboard's first request after a sheet is submitted, as every
    # request after a submit is during live scoring (issue 18)
    "MO": Dataset("MO", entries=5_000, judges=60),
    # publishing to every entrant (issue 14): a round of 3,500 entrants, national scale
    "P": Dataset("P", entries=3_500, judges=30),
}


def T(model):
    return model._meta.db_table


def dataset_state(ds):
    """(entries, scores) present for a dataset, or None when its competition does not exist."""
    comp = Competition.objects.filter(slug=ds.slug).first()
    if comp is None:
        return None
    scores = Score.objects.filter(sheet__assignment__round__competition=comp, sheet__assignment__round__slug=ROUND_SLUG)
    return Entry.objects.filter(competition=comp).count(), scores.count()


def is_complete(ds):
    state = dataset_state(ds)
    if state is None:
        return False
    entries, scores = state
    drafts_and_recusals_margin = 0.05
    return entries == ds.entries and scores >= ds.expected_scores * (1 - drafts_and_recusals_margin)


def drop_dataset(ds):
    comp = Competition.objects.filter(slug=ds.slug).first()
    if comp is None:
        return
    say(f"  dropping incomplete or old dataset {ds.name}")
    with connection.cursor() as cur:
        rounds = list(Round.objects.filter(competition=comp).values_list("id", flat=True))
        if rounds:
            cur.execute(
                f"DELETE FROM {T(Score)} WHERE sheet_id IN (SELECT s.id FROM {T(ScoreSheet)} s "  # noqa: S608
                f"JOIN {T(Assignment)} a ON a.id = s.assignment_id WHERE a.round_id = ANY(%s))",
                [rounds],
            )
            cur.execute(
                f"DELETE FROM {T(ScoreSheet)} WHERE assignment_id IN "  # noqa: S608
                f"(SELECT id FROM {T(Assignment)} WHERE round_id = ANY(%s))",
                [rounds],
            )
            for model in (Assignment, RoundEntry, RoundJudge):
                cur.execute(f"DELETE FROM {T(model)} WHERE round_id = ANY(%s)", [rounds])  # noqa: S608
        cur.execute(f"DELETE FROM {T(Conflict)} WHERE competition_id = %s", [comp.pk])  # noqa: S608
        Round.objects.filter(competition=comp).delete()
        cur.execute(f"DELETE FROM {T(Entry)} WHERE competition_id = %s", [comp.pk])  # noqa: S608
    Category.objects.filter(competition=comp).delete()
    comp.delete()


def ensure_agencies():
    """AGENCIES_PER_REGION agencies in every region, each with one innovator account. Returns (agency ids,
    innovator ids) in matching order."""
    regions = list(Region.objects.filter(province__code=BENCH_PROVINCE).order_by("code"))
    wanted = [
        Agency(region=r, name=f"Dinas Uji Beban {i + 1} {r.name}", kind="perangkat_daerah")
        for r in regions
        for i in range(AGENCIES_PER_REGION)
    ]
    Agency.objects.bulk_create(wanted, ignore_conflicts=True)
    agencies = list(Agency.objects.filter(name__startswith="Dinas Uji Beban ").order_by("id"))
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        [
            User(
                email=f"inovator{a.pk}@bench.kipp.id",
                full_name=f"Inovator {a.name}",
                agency=a,
                password=password,
                email_verified_at=timezone.now(),
            )
            for a in agencies
        ],
        ignore_conflicts=True,
    )
    innovators = dict(
        User.objects.filter(email__endswith="@bench.kipp.id", agency__isnull=False).values_list("agency_id", "id")
    )
    return [a.pk for a in agencies], [innovators[a.pk] for a in agencies]


def bench_organisation():
    """The organisation of the bench's competitions; its organisers and judges are members of it."""
    defaults = {"name": "Biro Organisasi (uji beban)", "level": "nasional"}
    return Organisation.objects.get_or_create(slug="uji-beban", defaults=defaults)[0]


def _members(user_ids, kind, organisation=None):  # accepted memberships (the field's default)
    rows = [Membership(user_id=pk, organisation=organisation or bench_organisation(), kind=kind) for pk in user_ids]
    Membership.objects.bulk_create(rows, ignore_conflicts=True)


def ensure_organiser():
    user, _ = User.objects.get_or_create(
        email="penyelenggara@bench.kipp.id",
        defaults={
            "full_name": "Penyelenggara Uji Beban",
            "is_staff": True,
            "password": make_password(PASSWORD),
            "email_verified_at": timezone.now(),
        },
    )
    _members([user.pk], MembershipKind.ORGANISER)
    return user


def _judges(prefix, count):
    password = make_password(PASSWORD)
    emails = [f"{prefix}{i + 1}@bench.kipp.id" for i in range(count)]
    User.objects.bulk_create(
        [
            User(
                email=email,
                full_name=f"Juri {prefix.title()} {i + 1}",
                password=password,
                email_verified_at=timezone.now(),
            )
            for i, email in enumerate(emails)
        ],
        ignore_conflicts=True,
    )
    by_email = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
    _members(by_email.values(), MembershipKind.JUDGE)
    return [by_email[e] for e in emails]


def _round(comp, *, slug, name, order, kind, top_n, k):
    round_ = Round.objects.create(
        competition=comp,
        slug=slug,
        name=name,
        order=order,
        kind=kind,
        state="open",
        top_n=top_n,
        reserve_n=10,
        judges_per_entry=k,
    )
    Criterion.objects.bulk_create(
        [
            Criterion(round=round_, key=key, title=title, weight=Decimal(weight), scale_min=1, scale_max=10, order=i)
            for i, (key, title, weight) in enumerate(CRITERIA)
        ]
    )
    return round_


ENTRIES_SQL = f"""
INSERT INTO {T(Entry)} (competition_id, agency_id, created_by_id, code, title, short_name, category_id, "group",
    stage, status, submitted_at, created_at, updated_at, version, kecamatan, desa, started_on, is_digital, video_url,
    supporting_agencies, forwarded_at, decided_at, decision_reason, decision_note)
SELECT %(comp)s, (%(agencies)s::bigint[])[1 + g %% %(n_ag)s], (%(innovators)s::bigint[])[1 + g %% %(n_ag)s],
    %(prefix)s || '-' || lpad(g::text, 5, '0'),
    (ARRAY['Sapa','Layanan','Gerakan','Sistem','Aplikasi','Program','Klinik','Pojok'])[1 + g %% 8] || ' ' ||
    (ARRAY['Masyarakat','Desa','Sekolah','Pasien','Petani','Nelayan','Warga','Lansia'])[1 + (g / 8) %% 8] || ' ' ||
    (ARRAY['Sehat','Cerdas','Cepat','Terpadu','Mandiri','Digital','Peduli','Tangguh'])[1 + (g / 64) %% 8] ||
    ' ' || g::text,
    '', (%(categories)s::bigint[])[1 + g %% %(n_cat)s], 'umum', 'pengembangan', 'eligible',
    %(t0)s::timestamptz + g * interval '1 minute', %(t0)s, %(t0)s, 1, 'Rumbia', 'Tompobulu', DATE '2020-01-15',
    g %% 3 = 0, '', '', %(t0)s::timestamptz + interval '20 days', %(t0)s::timestamptz + interval '30 days', '', ''
FROM generate_series(1, %(n)s) AS g
"""  # noqa: S608

ROUND_ENTRIES_SQL = f"""
INSERT INTO {T(RoundEntry)} (round_id, entry_id, source, reason, created_at)
SELECT %(round)s, e.id, 'eligible', '', now() FROM {T(Entry)} e
WHERE e.competition_id = %(comp)s ORDER BY e.id LIMIT %(limit)s
"""  # noqa: S608

# judge of slot r for the i-th entry of the round (0-based): (i + r * (J / k)) mod J, distinct for r < k
ASSIGN_SQL = f"""
INSERT INTO {T(Assignment)} (round_id, entry_id, judge_id, source, created_at)
SELECT %(round)s, x.entry_id, (%(judges)s::bigint[])[1 + ((x.i + r * (%(n_j)s / %(k)s)) %% %(n_j)s)], 'automatic', now()
FROM (SELECT re.entry_id, row_number() OVER (ORDER BY re.entry_id) - 1 AS i
      FROM {T(RoundEntry)} re WHERE re.round_id = %(round)s) x
CROSS JOIN generate_series(0, %(k)s - 1) AS r
WHERE x.i >= %(lo)s AND x.i < %(hi)s
"""  # noqa: S608

SHEETS_SQL = f"""
INSERT INTO {T(ScoreSheet)} (assignment_id, state, version, overall_comment, created_at, updated_at, submitted_at)
SELECT a.id, CASE WHEN a.id %% 50 = 7 THEN 'draft' ELSE 'final' END, 2, '', now(), now(),
       CASE WHEN a.id %% 50 = 7 THEN NULL ELSE now() END
FROM {T(Assignment)} a JOIN {T(RoundEntry)} re ON re.round_id = a.round_id AND re.entry_id = a.entry_id
WHERE a.round_id = %(round)s AND a.entry_id BETWEEN %(lo)s AND %(hi)s
"""  # noqa: S608

# quality of the entry (-2..2), bias of the judge (-1.5..1.5: harsh and lenient judges), noise (-1..1)
SCORES_SQL = f"""
INSERT INTO {T(Score)} (sheet_id, criterion_id, value, comment)
SELECT s.id, c.id,
       LEAST(c.scale_max, GREATEST(c.scale_min, round(
           6 + ((a.entry_id * 7919) %% 1000) / 250.0 - 2
             + ((a.judge_id * 104729) %% 300) / 100.0 - 1.5
             + random() * 2 - 1)))::smallint,
       ''
FROM {T(ScoreSheet)} s JOIN {T(Assignment)} a ON a.id = s.assignment_id
JOIN {T(Criterion)} c ON c.round_id = a.round_id
WHERE a.round_id = %(round)s AND a.entry_id BETWEEN %(lo)s AND %(hi)s
"""  # noqa: S608

RECUSALS_SQL = f"""
INSERT INTO {T(Conflict)} (competition_id, round_id, judge_id, entry_id, source, reason, created_at)
SELECT %(comp)s, a.round_id, a.judge_id, a.entry_id, 'declared', 'Kerabat pengusul (data uji beban)', now()
FROM {T(Assignment)} a WHERE a.round_id = %(round)s AND a.id %% 200 = 3
"""  # noqa: S608


def check_scales(round_):
    """What the score trigger (judging migration 0002) enforces, checked once for the bulk-inserted rows."""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT count(*) FROM {T(Score)} sc JOIN {T(ScoreSheet)} s ON s.id = sc.sheet_id "  # noqa: S608
            f"JOIN {T(Assignment)} a ON a.id = s.assignment_id JOIN {T(Criterion)} c ON c.id = sc.criterion_id "
            "WHERE a.round_id = %s AND (c.round_id <> a.round_id OR sc.value < c.scale_min OR sc.value > c.scale_max)",
            [round_.pk],
        )
        bad = cur.fetchone()[0]
    if bad:
        raise RuntimeError(f"{bad} generated scores break the rules of the score trigger")


def seed_dataset(ds, agencies, innovators):
    """Create the competition of `ds` with its round, entries, assignments, sheets and scores."""
    say(f"Seeding dataset {ds.name}: {ds.entries:,} entries, {ds.judges} judges, ~{ds.expected_scores:,} scores")
    comp, round_, judges = _competition_with_entries(ds, agencies, innovators)
    _sheets_and_scores(ds, round_, judges)
    check_scales(round_)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(RECUSALS_SQL, {"comp": comp.pk, "round": round_.pk})
    refresh_round_totals(round_)  # the bulk ran with triggers off (session_replication_role): the stored totals
    if ds.burst_judges:
        seed_burst_round(comp, ds)
    return comp


def _competition_with_entries(ds, agencies, innovators):
    """The competition of `ds`, its categories, its desk round with its judges, its entries and the round's
    entries, in one transaction. Returns (competition, round, judge ids)."""
    t0 = timezone.make_aware(datetime.datetime(2023, 1, 10, 9, 0))
    with transaction.atomic():
        comp = Competition.objects.create(
            slug=ds.slug,
            name=f"Uji beban {ds.name}",
            year=2026,
            organisation=bench_organisation(),
            code_prefix=f"BENCH{ds.name}",
            opens_at=t0 - datetime.timedelta(days=60),
            closes_at=t0 + datetime.timedelta(days=10),
            groups=["umum"],
            requires_regional_verification=False,
        )
        categories = Category.objects.bulk_create(
            [Category(competition=comp, key=f"kategori-{i}", name=f"Kategori {i}", order=i) for i in range(1, 6)]
        )
        round_ = _round(comp, slug=ROUND_SLUG, name="Penilaian proposal", order=1, kind="desk", top_n=50, k=ds.k)
        judges = _judges(f"juri{ds.name.lower()}-", ds.judges)
        RoundJudge.objects.bulk_create([RoundJudge(round=round_, judge_id=j) for j in judges])
        with connection.cursor() as cur:
            cur.execute(
                ENTRIES_SQL,
                {
                    "comp": comp.pk,
                    "agencies": agencies,
                    "innovators": innovators,
                    "n_ag": len(agencies),
                    "prefix": comp.code_prefix,
                    "categories": [c.pk for c in categories],
                    "n_cat": len(categories),
                    "t0": t0,
                    "n": ds.entries,
                },
            )
            cur.execute(ROUND_ENTRIES_SQL, {"round": round_.pk, "comp": comp.pk, "limit": ds.in_round})
    return comp, round_, judges


def _sheets_and_scores(ds, round_, judges):
    """The assignments, final sheets and scores of the round: the bulk in chunks of entries (one transaction
    each), with progress and time left."""
    progress = Progress(f"{ds.name}: sheets and scores", ds.in_round)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT entry_id FROM {T(RoundEntry)} WHERE round_id = %s ORDER BY entry_id",  # noqa: S608
            [round_.pk],
        )
        entry_ids = [row[0] for row in cur.fetchall()]
    for start in range(0, len(entry_ids), CHUNK_ENTRIES):
        chunk = entry_ids[start : start + CHUNK_ENTRIES]
        params = {
            "round": round_.pk,
            "judges": judges,
            "n_j": len(judges),
            "k": ds.k,
            "lo": start,
            "hi": start + len(chunk),
        }
        with transaction.atomic(), connection.cursor() as cur:
            # The score trigger (two lookups per row) is skipped for the bulk; check_scales() checks the same rule
            # over the whole dataset afterwards, in one statement.
            cur.execute("SET LOCAL session_replication_role = replica")
            cur.execute(ASSIGN_SQL, params)
            bounds = {"round": round_.pk, "lo": chunk[0], "hi": chunk[-1]}
            cur.execute(SHEETS_SQL, bounds)
            cur.execute(SCORES_SQL, bounds)
        if start // CHUNK_ENTRIES in (0, 1, 3, 7, 15):
            analyze()  # the plans of the next chunks need the grown tables' statistics
        progress.advance(len(chunk))
    progress.finish()


def seed_burst_round(comp, ds):
    """A second open round in which each of `burst_judges` judges holds one assignment without a sheet."""
    round_ = _round(
        comp, slug=BURST_SLUG, name="Presentasi (uji serentak)", order=2, kind="presentation", top_n=10, k=1
    )
    judges = _judges(f"panelis{ds.name.lower()}-", ds.burst_judges)
    entries = list(Entry.objects.filter(competition=comp).order_by("id").values_list("id", flat=True)[: len(judges)])
    RoundJudge.objects.bulk_create([RoundJudge(round=round_, judge_id=j) for j in judges])
    RoundEntry.objects.bulk_create([RoundEntry(round=round_, entry_id=e, source="eligible") for e in entries])
    Assignment.objects.bulk_create(
        [
            Assignment(round=round_, entry_id=e, judge_id=j, source="manual")
            for e, j in zip(entries, judges, strict=True)
        ]
    )


def reset_burst(comp):
    """Delete the sheets of the burst round (so that the burst can run again)."""
    round_ = Round.objects.get(competition=comp, slug=BURST_SLUG)
    ScoreSheet.objects.filter(assignment__round=round_).delete()
    return round_


def analyze(*, everything=False):
    """Statistics of the seeded tables (the stored totals too: triggers fill them), or of every table: autovacuum is
    off on this project's system PostgreSQL, and a region filter planned for 210 regions, not 552, took 0.8 s."""
    models = (Entry, Assignment, ScoreSheet, Score, RoundEntry, Conflict, SheetTotal, EntryTotal)
    with connection.cursor() as cur:
        for statement in ["ANALYZE"] if everything else [f"ANALYZE {T(model)}" for model in models]:
            cur.execute(statement)


def ensure_datasets(names, *, reseed=False):
    """Seed the named datasets that are missing or incomplete; return {name: competition}."""
    agencies, innovators = ensure_agencies()
    ensure_organiser()
    out = {}
    for name in names:
        ds = DATASETS[name]
        if reseed or not is_complete(ds):
            drop_dataset(ds)
            seed_dataset(ds, agencies, innovators)
        else:
            say(f"Dataset {ds.name} already seeded ({dataset_state(ds)[1]:,} scores)")
        out[name] = Competition.objects.get(slug=ds.slug)
        if name in ("S", "M"):
            ensure_published(out[name])
    # Fresh statistics of every table before every run (a second or so): plans independent of autovacuum.
    analyze(everything=True)
    return out


def ensure_second_organiser():
    user, _ = User.objects.get_or_create(
        email="penyetuju@bench.kipp.id",
        defaults={
            "full_name": "Penyetuju Uji Beban",
            "is_staff": True,
            "password": make_password(PASSWORD),
            "email_verified_at": timezone.now(),
        },
    )
    _members([user.pk], MembershipKind.ORGANISER)
    return user


def ensure_published(comp):
    """Close the desk round of `comp` and publish its announcement through the publishing services (prepared by
    one organiser, approved by another, embargo passed), so that the public results page has something to show.
    Returns the announcement."""
    round_ = Round.objects.get(competition=comp, slug=ROUND_SLUG)
    published = Announcement.objects.filter(round=round_, state="published").order_by("-version").first()
    if published:
        return published
    say(f"  publishing the results of {comp.slug} (close, prepare, approve)")
    preparer, approver = ensure_organiser(), ensure_second_organiser()
    _members([preparer.pk, approver.pk], MembershipKind.ORGANISER, comp.organisation)  # organisers of this one too
    if round_.state == "open":  # SHEETS_SQL leaves one sheet in fifty a draft: closing with drafts takes a reason
        close_round(round_=round_, actor=preparer, reason="Data uji beban: sebagian lembar sengaja dibiarkan draf.")
    now = timezone.now()
    announcement = publication_services.prepare_announcement(
        round_=round_,
        actor=preparer,
        acknowledge_few_judges=True,
        number="065/134/II/B",
        title=f"Pengumuman Top 50 {comp.name}",
        date=now.date(),
        place="Makassar",
        signatory_name="Kepala Biro Organisasi",
        signatory_title="Kepala Biro Organisasi Setda Provinsi Sulawesi Selatan",
        letterhead="PEMERINTAH PROVINSI SULAWESI SELATAN\nSEKRETARIAT DAERAH",
        body="Berdasarkan hasil penilaian proposal, berikut daftar inovasi yang lolos.",
        embargo_until=now - datetime.timedelta(minutes=1),
    )
    publication_services.submit_for_approval(announcement=announcement, actor=preparer)
    return publication_services.approve_announcement(announcement=announcement, actor=approver)
