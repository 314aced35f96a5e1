"""Demo data of innovation records (seed_demo, order 400, after publication).

- kipp-sulsel-2022, an earlier year: a closed desk round with a few entries (among them an earlier version of
  "Sapa Masyarakat Sekitar (SMS)", stage pengembangan), scored by two evaluators, its Top 3 published as
  Pengumuman 065/071/II/B on 21 February 2022 (prepared by organiser, approved by organiser2);
- records built from every visible announcement (the 2023 Top 30 when the publication seeder published it,
  otherwise the 2023 Top 50), so SMS shows 2022 and 2023 in its history;
- a year of updates for the 2023 records: new indicator values each quarter from June 2023 to March 2024, one
  innovation that stopped (with a date and a reason);
- two replication requests of SMS: one implemented (by an agency of Kota Makassar, with its own login
  replikasi@demo.kipp.id) and one still waiting for an answer.

Idempotent (each step is skipped when its result exists), deterministic for a seed (ctx.rng("records")).
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from entries.enums import IndicatorKind
from entries.models import Entry, ImpactIndicator, ProposalAnswer, TeamMember
from judging.models import (
    Announcement,
    Assignment,
    Criterion,
    IndicatorValue,
    InnovationRecord,
    ReplicationRequest,
    Round,
    RoundEntry,
    RoundJudge,
    Score,
    ScoreSheet,
)
from judging.publication import services as pub
from judging.records import services
from kipp.models import Agency, Competition, User

WITA = ZoneInfo("Asia/Makassar")
SMS_TITLE = "Sapa Masyarakat Sekitar (SMS)"
NUMBER_2022 = "065/071/II/B"
UPDATE_DATES = [
    datetime.date(2023, 6, 30),
    datetime.date(2023, 9, 30),
    datetime.date(2023, 12, 31),
    datetime.date(2024, 3, 31),
]
# Words a visitor may search for, added to the SMS record's summary if the proposal text lacks them.
SMS_KEYWORDS = "putus sekolah"

OTHERS_2022 = [
    ("Posyandu Remaja Sehat", "Dinas Kesehatan", 0.0),
    ("Layanan Adminduk Keliling Desa", "Dinas Kependudukan", 0.0),
    ("Pasar Ikan Higienis Nelayan", "Dinas Kelautan", 0.0),
]


def seed_records(ctx):
    rng = ctx.rng("records")
    with transaction.atomic():
        _seed_2022(ctx, rng)
    records = services.build_all_records()
    ctx.log(f"records: {len(records)} innovation records from the published announcements.")
    sms = InnovationRecord.objects.filter(title=SMS_TITLE).order_by("id").first()
    if sms is None:
        ctx.log("records: no published SMS record (publication not seeded?); updates and replications skipped.")
        return
    _ensure_keywords(sms)
    _seed_updates(ctx, rng)
    _seed_replications(ctx, sms)


# 2022 ----------------------------------------------------------------------------------------------------------


def _organisers():
    return list(User.objects.filter(email__in=["organiser@demo.kipp.id", "organiser2@demo.kipp.id"]).order_by("email"))


def _seed_2022(ctx, rng):
    if Announcement.objects.filter(round__competition__slug="kipp-sulsel-2022", state="published").exists():
        return
    sms_user = User.objects.filter(email="sms@demo.kipp.id").select_related("agency").first()
    organisers = _organisers()
    judges = list(User.objects.filter(email__in=["evaluator1@demo.kipp.id", "evaluator2@demo.kipp.id"]))
    if sms_user is None or len(organisers) < 2 or len(judges) < 2:
        ctx.log("records: demo accounts missing; kipp-sulsel-2022 skipped.")
        return
    competition = Competition.objects.filter(slug="kipp-sulsel-2022").first()
    if competition is None:
        from kipp.demo import demo_organisation
        from kipp.services import create_competition

        competition = create_competition(
            actor=None,
            slug="kipp-sulsel-2022",
            name="KIPP Sulawesi Selatan 2022",
            year=2022,
            organisation=demo_organisation(sms_user.agency.region.province),
            code_prefix="SULSEL-2022",
            opens_at=datetime.datetime(2021, 11, 1, 8, 0, tzinfo=WITA),
            closes_at=datetime.datetime(2022, 1, 14, 23, 59, tzinfo=WITA),
            province=sms_user.agency.region.province,
            is_public=False,
        )
        ctx.count("competitions")
    entries = _entries_2022(ctx, competition, sms_user, rng)
    round_ = _round_2022(competition, entries, judges, rng)
    a, b = organisers
    prepared = datetime.datetime(2022, 2, 18, 10, 0, tzinfo=WITA)
    approved = datetime.datetime(2022, 2, 21, 9, 0, tzinfo=WITA)
    announcement = pub.prepare_announcement(
        round_=round_,
        actor=a,
        now=prepared,
        acknowledge_few_judges=True,  # the archived 2022 round had fewer judges than its k for some entries
        number=NUMBER_2022,
        title="Top 3 KIPP Sulawesi Selatan 2022 (data contoh)",
        date=approved.date(),
        place="Makassar",
        signatory_name="Andi Rahmat Hidayat, S.STP., M.Si.",
        signatory_title="Kepala Biro Organisasi Setda Provinsi Sulawesi Selatan",
        letterhead="PEMERINTAH PROVINSI SULAWESI SELATAN\nSEKRETARIAT DAERAH\nBIRO ORGANISASI",
        body="Berdasarkan hasil penilaian proposal, dengan ini diumumkan inovasi yang terpilih.",
        embargo_until=approved,
    )
    Announcement.objects.filter(pk=announcement.pk).update(notified_at=approved)  # demo: no emails
    pub.submit_for_approval(announcement=announcement, actor=a, now=prepared)
    pub.approve_announcement(announcement=announcement, actor=b, now=approved)
    ctx.count("announcements")


def _entries_2022(ctx, competition, sms_user, rng):
    agencies = {
        prefix: Agency.objects.filter(name__startswith=prefix)
        .exclude(region=sms_user.agency.region)
        .order_by("id")
        .first()
        for _title, prefix, _x in OTHERS_2022
    }
    plans = [(SMS_TITLE, sms_user.agency, sms_user)] + [
        (title, agencies[prefix] or sms_user.agency, None) for title, prefix, _x in OTHERS_2022
    ]
    submitted = datetime.datetime(2022, 1, 10, 9, 0, tzinfo=WITA)
    entries = []
    sections = list(competition.sections.all())
    for n, (title, agency, user) in enumerate(plans, start=1):
        creator = (
            user
            or User.objects.filter(agency=agency, agency__isnull=False, agency_declined_at__isnull=True)
            .order_by("id")
            .first()
            or sms_user
        )
        entry, created = Entry.objects.get_or_create(
            competition=competition,
            code=f"{competition.code_prefix}-{n:03d}",
            defaults={
                "agency": agency,
                "created_by": creator,
                "title": title,
                "short_name": "SMS" if title == SMS_TITLE else "",
                "category": competition.categories.order_by("order").first(),
                "stage": "pengembangan",
                "status": "eligible",
                "submitted_at": submitted + datetime.timedelta(hours=n),
                "decided_at": submitted + datetime.timedelta(days=20),
                "started_on": datetime.date(2019, 7, 15) if title == SMS_TITLE else datetime.date(2020, 3, 1),
                "district_id": "73.04.10" if title == SMS_TITLE else None,  # Kecamatan Rumbia
                "village_id": "73.04.10.2006" if title == SMS_TITLE else None,  # Desa Tompobulu
            },
        )
        entries.append(entry)
        if not created:
            continue
        ctx.count("entries 2022")
        ProposalAnswer.objects.bulk_create(
            ProposalAnswer(entry=entry, section=section, text=_answer_2022(section.key, title)) for section in sections
        )
        if title == SMS_TITLE:
            TeamMember.objects.create(entry=entry, name="Dr. Suhaedir Bahtiar", position="Kepala UPT SMPN 2 Rumbia")
            ImpactIndicator.objects.create(
                entry=entry,
                name="Angka putus sekolah di Desa Tompobulu",
                unit="%",
                direction="lower",
                baseline_value=Decimal("7.8"),
                baseline_on=datetime.date(2019, 7, 1),
                latest_value=Decimal("3.9"),
                latest_on=datetime.date(2021, 7, 1),
                source="Dapodik",
            )
    return entries


def _answer_2022(key, title):
    if title == SMS_TITLE:
        return (
            "Versi pertama Sapa Masyarakat Sekitar: guru dan kepala sekolah mengunjungi keluarga siswa yang berisiko "
            "putus sekolah di Desa Tompobulu, Kecamatan Rumbia, dan mencatat alasan anak berhenti sekolah."
        )
    return f"{title}: uraian {key.replace('_', ' ')} (data contoh 2022)."


def _round_2022(competition, entries, judges, rng):
    round_, created = Round.objects.get_or_create(
        competition=competition,
        slug="penilaian-proposal",
        defaults={"name": "Penilaian proposal", "order": 1, "kind": "desk", "top_n": 3, "reserve_n": 0},
    )
    if not created:
        return round_
    criteria = [
        Criterion.objects.create(round=round_, key=key, title=title, weight=weight, order=i)
        for i, (key, title, weight) in enumerate(
            [("signifikansi", "Signifikansi", 30), ("kebaruan", "Kebaruan", 15), ("adaptabilitas", "Adaptabilitas", 20)]
        )
    ]
    for judge in judges:
        RoundJudge.objects.create(round=round_, judge=judge)
    # SMS first, then the others in order; the last one falls outside the Top 3.
    strength = [9, 8, 7, 4]
    for entry, level in zip(entries, strength, strict=False):
        RoundEntry.objects.create(round=round_, entry=entry, source="eligible")
        for judge in judges:
            assignment = Assignment.objects.create(round=round_, entry=entry, judge=judge, source="manual")
            sheet = ScoreSheet.objects.create(
                assignment=assignment, state="final", submitted_at=datetime.datetime(2022, 2, 1, 10, tzinfo=WITA)
            )
            Score.objects.bulk_create(
                Score(sheet=sheet, criterion=c, value=max(1, min(10, level + rng.choice([-1, 0, 0, 1]))))
                for c in criteria
            )
    round_.state = "closed"
    round_.save(update_fields=["state"])
    return round_


# Updates and replication ---------------------------------------------------------------------------------------


def _ensure_keywords(record):
    if SMS_KEYWORDS not in record.summary.lower():
        record.summary = f"{record.summary} Inovasi ini menurunkan angka {SMS_KEYWORDS}.".strip()
        record.save(update_fields=["summary"])
        services.refresh_search_documents([record.pk])


def _innovator(agency_id):
    return (
        User.objects.filter(agency_id=agency_id, agency__isnull=False, agency_declined_at__isnull=True, is_active=True)
        .order_by("date_joined", "id")
        .first()
    )


def _seed_updates(ctx, rng):
    records = list(InnovationRecord.objects.filter(year=2023).order_by("slug"))
    if not records or IndicatorValue.objects.filter(record__in=records).exists():
        return
    series = {}
    for ind in ImpactIndicator.objects.filter(entry_id__in=[r.entry_id for r in records]).order_by("order", "id"):
        series.setdefault(ind.entry_id, []).append(ind)
    stopped = records[len(records) // 2] if len(records) > 2 else None
    for record in records:
        author = _innovator(record.agency_id)
        if author is None:
            continue
        values = {ind.name: (ind.latest_value, ind) for ind in series.get(record.entry_id, [])}
        for n, day in enumerate(UPDATE_DATES):
            batch = []
            for name, (value, ind) in values.items():
                value = _next_value(value, ind, Decimal(rng.randrange(1, 6)) / 100)
                values[name] = (value, ind)
                batch.append((name, value, day))
            is_last = n == len(UPDATE_DATES) - 1
            if record == stopped and is_last:
                services.update_record(
                    record=record,
                    actor=author,
                    is_running=False,
                    stopped_on=datetime.date(2024, 3, 1),
                    stop_reason="Anggaran kegiatan dialihkan; layanan digabung ke program kabupaten.",
                    values=batch,
                    now=_noon(day),
                )
            else:
                services.update_record(
                    record=record,
                    actor=author,
                    values=batch,
                    note="Laporan triwulan." if not is_last else "Setahun setelah kompetisi: masih berjalan.",
                    now=_noon(day),
                )
        ctx.count("record updates", n=len(UPDATE_DATES))


def _next_value(value, indicator, share):
    """The indicator a few percent better, as its kind allows: counts of people stay whole, a percentage within
    0..100 (entries.models.indicator_value_problems)."""
    towards_100 = indicator.kind == IndicatorKind.PERCENT and indicator.direction != "lower"
    step = share * (100 - value if towards_100 else value)
    value = value - step if indicator.direction == "lower" else value + step
    if indicator.kind == IndicatorKind.COUNT:
        return max(value.quantize(Decimal(1)), Decimal(0))
    return value.quantize(Decimal("0.01"))


def _noon(day):
    return datetime.datetime.combine(day, datetime.time(12, 0), WITA)


def _seed_replications(ctx, sms):
    if ReplicationRequest.objects.filter(record=sms).exists():
        return
    owner = User.objects.filter(email="sms@demo.kipp.id").first()
    makassar = (
        Agency.objects.filter(region__code="73.71", innovation_records__isnull=False).order_by("name").first()
        or Agency.objects.filter(region__code="73.71")
        .exclude(name__startswith="Bagian Organisasi")
        .order_by("name")
        .first()
    )
    if owner is None or makassar is None:
        return
    requester = _replication_requester(ctx, makassar)
    asked = datetime.datetime(2023, 8, 7, 9, 0, tzinfo=WITA)
    implemented = services.request_replication(
        record=sms,
        actor=requester,
        plan="Menerapkan kunjungan rumah guru di tiga SMP negeri dengan angka putus sekolah tertinggi di kota.",
        now=asked,
        notify=False,
    )
    services.answer_replication(
        replication=implemented,
        actor=owner,
        agree=True,
        note="Silakan. Kami kirimkan SOP dan format pencatatan.",
        now=asked + datetime.timedelta(days=6),
        notify=False,
    )
    services.mark_replication_implemented(
        replication=implemented,
        actor=requester,
        note="Berjalan sejak Januari 2024.",
        now=datetime.datetime(2024, 1, 15, 9, 0, tzinfo=WITA),
    )
    other = (
        User.objects.filter(agency__isnull=False, agency_declined_at__isnull=True, is_active=True)
        .exclude(agency__region_id__in=[sms.region_id, makassar.region_id])
        .order_by("email")
        .first()
    )
    if other is not None:
        services.request_replication(
            record=sms,
            actor=other,
            plan="Mempelajari SMS untuk sekolah-sekolah di kecamatan kepulauan.",
            now=datetime.datetime(2024, 2, 12, 10, 0, tzinfo=WITA),
            notify=False,
        )
    ctx.count("replication requests", n=2)


def _replication_requester(ctx, agency):
    """replikasi@demo.kipp.id, the innovator of a Kota Makassar agency who replicated SMS."""
    requester, created = User.objects.get_or_create(
        email="replikasi@demo.kipp.id",
        defaults={
            "full_name": "Rina Paramitha, S.Pd.",
            "position": "Kepala Seksi Kurikulum",
            "agency": agency,
            "password": make_password(ctx.password),
            "email_verified_at": timezone.now(),
        },
    )
    ctx.count("accounts", created)
    ctx.accounts.append(("replikasi@demo.kipp.id", "innovator", f"{agency.name}: replikasi SMS"))
    return requester
