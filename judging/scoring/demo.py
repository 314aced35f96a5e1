"""Demo data of scoring (called by the judging seeder, judging/demo.py): a round that is open now.

kipp-jeneponto-2027, "KIPP Kabupaten Jeneponto 2027": the kabupaten's own selection, run by its Bagian Organisasi,
of the innovations it will put forward to the provincial call kipp-sulsel-2027 (open now). Its registration closed
some weeks ago; ten innovations of Jeneponto's agencies passed the administrative selection and present this week
before panelist1..3 (Presentasi dan wawancara, open: it opened yesterday and closes in five days; one day of
slots today). panelist1@demo.kipp.id has all ten entries to score, none final (the first two saved as drafts);
panelist2 and panelist3 have sent the first three as final. Anyone can score on `make run` (issue 15, item 7).

Everything is dated from the day it is seeded (like the 2027 call), through the real services (round, judges,
assignment, schedule, sheets). Idempotent: nothing is done when the competition exists. Deterministic for a seed
(ctx.rng("scoring")), apart from those dates.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from entries.demo.content import TOPICS
from entries.demo.year2023 import _attach, _fill, _history, _innovators
from entries.enums import EntryStatus
from entries.models import Entry, StatusChange
from judging.models import Assignment, Criterion
from judging.scoring import services
from judging.scoring.schedule.services import generate_schedule
from kipp.models import Agency, Competition, District, Organisation, Province, Region, User
from kipp.organisations.enums import MembershipKind, OrganisationLevel
from kipp.organisations.services import add_membership, create_organisation
from kipp.services import create_competition

WITA = ZoneInfo("Asia/Makassar")
SLUG = "kipp-jeneponto-2027"
ROUND_SLUG = "presentasi-wawancara"
JENEPONTO = "73.04"
ORGANISER_NAME = "Bagian Organisasi Setda Kabupaten Jeneponto"
VENUE = "Ruang Pola Kantor Bupati Jeneponto"
DESCRIPTION = (
    "Seleksi inovasi pelayanan publik tingkat Kabupaten Jeneponto, diselenggarakan oleh Bagian Organisasi Setda "
    "Kabupaten Jeneponto. Inovasi terbaik diusulkan ke KIPP Sulawesi Selatan 2027."
)
# (topic index in entries.demo.content.TOPICS, kecamatan): ten innovations, one kecamatan each
PLAN = [
    (6, "Binamu"),
    (3, "Bangkala"),
    (0, "Tamalatea"),
    (12, "Bontoramba"),
    (11, "Turatea"),
    (8, "Kelara"),
    (14, "Rumbia"),
    (10, "Batang"),
    (5, "Arungkeke"),
    (9, "Tarowang"),
]
FINAL_BY_OTHERS = 3  # panelist2 and panelist3 have sent the first three entries as final
PANELIST1_DRAFTS = 2  # panelist1 has saved the first two as drafts (some criteria still empty)


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), WITA)


def _organisation(ctx):
    """Jeneponto's own organiser (a kabupaten-level organisation), found by its name."""
    organisation = Organisation.objects.filter(name=ORGANISER_NAME).first()
    if organisation is None:
        organisation = create_organisation(
            actor=None,
            level=OrganisationLevel.REGION,
            region=Region.objects.get(code=JENEPONTO),
            name=ORGANISER_NAME,
            slug="jeneponto",
            heading_lines="PEMERINTAH KABUPATEN JENEPONTO\nSEKRETARIAT DAERAH",
            city="Jeneponto",
            signatory_title="Sekretaris Daerah Kabupaten Jeneponto",
        )
        ctx.count("organisations")
    return organisation


def seed_open_round(ctx):
    """The open presentation round of kipp-jeneponto-2027 (see the module's docstring). Needs kipp's seeder (the
    accounts, Jeneponto's agencies) and entries' (their innovators)."""
    if Competition.objects.filter(slug=SLUG).exists():
        return
    organiser = User.objects.filter(email="organiser@demo.kipp.id").first()
    panelists = [User.objects.filter(email=f"panelist{n}@demo.kipp.id").first() for n in (1, 2, 3)]
    agencies = list(Agency.objects.filter(region__code=JENEPONTO).exclude(name=ORGANISER_NAME).order_by("name"))
    province = Province.objects.filter(code="73").first()
    if organiser is None or None in panelists or not agencies or province is None:
        ctx.log("scoring: the demo accounts and Jeneponto's agencies are needed (kipp's seeder).")
        return
    rng = ctx.rng("scoring")
    today = timezone.localdate()
    organisation = _organisation(ctx)
    # Jeneponto's competition is run by its Bagian Organisasi; the demo's organiser and panelists serve it too.
    add_membership(organisation=organisation, user=organiser, kind=MembershipKind.ORGANISER)
    for panelist in panelists:
        add_membership(organisation=organisation, user=panelist, kind=MembershipKind.JUDGE)
    competition = create_competition(
        actor=None,
        slug=SLUG,
        name="KIPP Kabupaten Jeneponto 2027",
        year=2027,
        province=province,
        organisation=organisation,
        code_prefix="JNP-2027",
        description=DESCRIPTION,
        opens_at=_at(today - datetime.timedelta(days=75), 8),
        closes_at=_at(today - datetime.timedelta(days=40), 23, 59),
        minimum_age_months=24,
        requires_regional_verification=False,
    )
    ctx.count("competitions")
    _entries(ctx, competition, agencies, rng, today)
    round_ = _round(ctx, competition, organiser, panelists, today)
    _sheets(ctx, round_, panelists, rng)


def _entries(ctx, competition, agencies, rng, today):
    users = _innovators(ctx, agencies)
    window = _at(today - datetime.timedelta(days=70), 9)
    plans, entries = {}, []
    categories = list(competition.categories.order_by("pk"))
    districts = dict(District.objects.filter(region__code=JENEPONTO).values_list("name", "code"))
    for number, (topic_index, kecamatan) in enumerate(PLAN, start=1):
        topic = TOPICS[topic_index]
        agency = agencies[(number - 1) % len(agencies)]
        submitted = window + datetime.timedelta(days=3 * number, minutes=rng.randrange(0, 600))
        plan = {
            "code": f"{competition.code_prefix}-{number:03d}",
            "title": f"{topic[0]} Kecamatan {kecamatan}",
            "short_name": "".join(word[0] for word in topic[0].split()[:4]).upper(),
            "topic": topic,
            "agency": agency,
            "special": None,
            "village": None,
            "place": f"Kecamatan {kecamatan}",
            "started_on": datetime.date(rng.randrange(2019, 2024), rng.randrange(1, 13), 1),
        }
        plans[plan["code"]] = plan
        entries.append(
            Entry(
                competition=competition,
                agency=agency,
                created_by=users[agency.pk],
                code=plan["code"],
                title=plan["title"],
                short_name=plan["short_name"],
                category=categories[number % len(categories)] if categories else None,
                group="umum",
                stage=rng.choice(["pengembangan", "pelembagaan"]),
                status=EntryStatus.ELIGIBLE,
                submitted_at=submitted,
                forwarded_at=submitted + datetime.timedelta(days=1),
                decided_at=_at(today - datetime.timedelta(days=20), 10, number),
                district_id=districts[kecamatan],
                started_on=plan["started_on"],
                is_digital=rng.random() < 0.4,
                version=3,
            )
        )
    Entry.objects.bulk_create(entries)
    ctx.count("entries", n=len(entries))
    _fill(competition, entries, plans, rng)
    verifier = User.objects.filter(email="verifier-jeneponto@demo.kipp.id").first()
    organiser = User.objects.filter(email="organiser@demo.kipp.id").first()
    StatusChange.objects.bulk_create(_history(entries, {verifier.region_id: verifier} if verifier else {}, organiser))
    _attach(ctx, entries)


def _round(ctx, competition, organiser, panelists, today):
    """The presentation round: the ten eligible entries, the three panelists on every entry, a day of slots, open."""
    round_ = services.create_round(
        competition=competition,
        slug=ROUND_SLUG,
        name="Presentasi dan wawancara",
        kind="presentation",
        actor=organiser,
        top_n=5,
        reserve_n=2,
        judges_per_entry=len(panelists),
        weight=100,
        opens_at=_at(today - datetime.timedelta(days=1), 8),
        closes_at=_at(today + datetime.timedelta(days=5), 17),
    )  # the first round of the competition: it takes the eligible entries
    ctx.count("judging rounds")
    services.add_judges(round_=round_, judges=panelists, actor=organiser)
    services.auto_assign(round_=round_, actor=organiser)
    generate_schedule(round_=round_, actor=organiser, days=[today], room="Ruang Pola", panel="Panel 1", venue=VENUE)
    ctx.count("schedule slots", n=round_.schedule_slots.count())
    return services.open_round(round_=round_, actor=organiser)


def _sheets(ctx, round_, panelists, rng):
    """Sheets as they stand in the middle of the first day, written through the judges' own services."""
    criteria = list(Criterion.objects.filter(round=round_).order_by("order"))
    positions = dict(round_.round_entries.values_list("entry_id", "position"))
    by_judge = {}
    for a in Assignment.objects.filter(round=round_).select_related("round", "entry"):
        by_judge.setdefault(a.judge_id, []).append(a)
    written = 0
    for number, judge in enumerate(panelists, start=1):
        for a in sorted(by_judge.get(judge.pk, []), key=lambda a: positions.get(a.entry_id) or 99):
            position = positions.get(a.entry_id) or 99
            quality = min(1.0, max(0.0, rng.gauss(0.68, 0.1)))
            values = {}
            for c in criteria:
                x = min(1.0, max(0.0, quality + rng.gauss(0, 0.08)))
                values[c.pk] = (c.scale_min + round(x * (c.scale_max - c.scale_min)), "")
            if number > 1 and position <= FINAL_BY_OTHERS:
                services.submit_sheet(assignment=a, judge=judge, values=values, version=0)
            elif number == 1 and position <= PANELIST1_DRAFTS:
                half = dict(list(values.items())[: max(1, len(values) // 2)])
                services.save_sheet(assignment=a, judge=judge, values=half, version=0)
            else:
                continue
            written += 1
    ctx.count("judging score sheets", n=written)
