"""entries' seeder of Jawa Timur (seed_demo, order 110): the entries of kovablik-jatim-2023 (kipp/demo_jatim.py).

Eight proposals of agencies in Kota Surabaya, Kabupaten Banyuwangi and Kabupaten Sidoarjo, each located in a
kecamatan (and most in a desa/kelurahan) of its region; submitted, forwarded (Kota Surabaya's by its verifier) and
administratively selected: seven eligible, one ineligible with its reason. Idempotent (entries are found by
competition + code), deterministic (ctx.rng("entries-jatim")).
"""

import datetime

from entries.demo.content import INELIGIBLE, TOPICS, _answer, _indicators
from entries.demo.year2023 import _attach, _history, _innovators
from entries.enums import EntryStatus
from entries.models import Entry, ImpactIndicator, ProposalAnswer, StatusChange, TeamMember
from kipp.demo_jatim import ORGANISER, SLUG, VERIFIER, WIB
from kipp.models import Agency, Competition, User

# (agency, title, topic index in entries.demo.content.TOPICS, kecamatan code, desa/kelurahan code, place,
#  started on, decision: None = eligible, else an index in entries.demo.content.INELIGIBLE)
PLAN = [
    (
        "Dinas Kependudukan dan Pencatatan Sipil Kota Surabaya",
        "Layanan Adminduk Jemput Bola di Balai RW",
        0,
        "35.78.10",
        "35.78.10.1001",
        "Kelurahan Tambaksari, Kecamatan Tambaksari",
        datetime.date(2019, 9, 1),
        None,
    ),
    (
        "UPTD Puskesmas Pacarkeling",
        "Antrean Puskesmas dari Rumah",
        12,
        "35.78.10",
        "35.78.10.1006",
        "Kelurahan Pacarkeling, Kecamatan Tambaksari",
        datetime.date(2020, 3, 2),
        None,
    ),
    (
        "Dinas Kesehatan Kota Surabaya",
        "Kampung Bebas Stunting Kertajaya",
        6,
        "35.78.08",
        "35.78.08.1004",
        "Kelurahan Kertajaya, Kecamatan Gubeng",
        datetime.date(2019, 1, 14),
        None,
    ),
    (
        "Dinas Kesehatan Kabupaten Banyuwangi",
        "Ambulans Desa Siaga Olehsari",
        8,
        "35.10.15",
        "35.10.15.2005",
        "Desa Olehsari, Kecamatan Glagah",
        datetime.date(2018, 6, 4),
        None,
    ),
    (
        "Pemerintah Desa Kemiren",
        "Pojok Baca Desa Adat Osing",
        5,
        "35.10.15",
        "35.10.15.2004",
        "Desa Kemiren, Kecamatan Glagah",
        datetime.date(2020, 1, 6),
        None,
    ),
    (
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Banyuwangi",
        "Izin Usaha Sehari Jadi di Mal Pelayanan Publik",
        2,
        "35.10.16",
        "35.10.16.1008",
        "Kelurahan Kepatihan, Kecamatan Banyuwangi",
        datetime.date(2019, 11, 11),
        None,
    ),
    (
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Sidoarjo",
        "Kios Layanan Perizinan Kecamatan",
        15,
        "35.15.08",
        None,
        "Kecamatan Sidoarjo",
        datetime.date(2020, 7, 1),
        None,
    ),
    (
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Sidoarjo",
        "Pengaduan Perizinan Satu Pintu",
        10,
        "35.15.08",
        "35.15.08.1004",
        "Kelurahan Sidokare, Kecamatan Sidoarjo",
        datetime.date(2020, 10, 5),
        1,
    ),
]
# Team members (name, position): Jawa Timur's own people, two per entry
PEOPLE = [
    ("Siti Nurhayati, S.Sos.", "Kepala Seksi Pelayanan"),
    ("dr. Dwi Rahayu Puspitasari", "Kepala Puskesmas"),
    ("Eko Wahyudi, S.Kom.", "Pranata Komputer"),
    ("Yuliana Setyaningsih, S.KM.", "Nutrisionis"),
    ("Moch. Arif Hidayat, S.STP.", "Kepala Bidang"),
    ("Wahyu Kurniawan, S.E.", "Analis Perizinan"),
    ("Sugeng Riyadi", "Kepala Desa"),
    ("Lilik Sulistyowati, A.Md.Keb.", "Bidan Desa"),
]


def seed_jatim_entries(ctx):
    competition = Competition.objects.filter(slug=SLUG).first()
    if competition is None:
        ctx.log(f"entries: {SLUG} not found; run kipp's seeders first.")
        return
    existing = set(Entry.objects.filter(competition=competition).values_list("code", flat=True))
    rng = ctx.rng("entries-jatim")
    agencies = {a.name: a for a in Agency.objects.filter(name__in={row[0] for row in PLAN}).select_related("region")}
    plans = [_plan(competition, number, row, agencies, rng) for number, row in enumerate(PLAN, start=1)]
    plans = [p for p in plans if p["code"] not in existing and p["agency"] is not None]
    if not plans:
        return
    users = _innovators(ctx, {p["agency"] for p in plans})
    categories = list(competition.categories.order_by("pk"))
    entries = [_entry(competition, plan, users, number, categories) for number, plan in enumerate(plans)]
    Entry.objects.bulk_create(entries)
    ctx.count("entries", n=len(entries))
    _fill(competition, entries, {p["code"]: p for p in plans}, rng)
    verifier = User.objects.filter(email=f"{VERIFIER[0]}@demo.kipp.id").first()
    organiser = User.objects.filter(email=f"{ORGANISER[0]}@demo.kipp.id").first()
    StatusChange.objects.bulk_create(_history(entries, {verifier.region_id: verifier} if verifier else {}, organiser))
    _attach(ctx, entries)


def _plan(competition, number, row, agencies, rng):
    agency_name, title, topic_index, district, village, place, started_on, decision = row
    topic = TOPICS[topic_index]
    return {
        "code": f"{competition.code_prefix}-{number:03d}",
        "title": title,
        "short_name": "".join(word[0] for word in title.split()[:4]).upper(),
        "topic": topic,
        "agency": agencies.get(agency_name),
        "special": None,
        "district": district,
        "village": village,
        "place": place,
        "started_on": started_on,
        "decision": INELIGIBLE[decision] if decision is not None else None,
        "submitted_at": datetime.datetime(2023, 4, 3, 9, 0, tzinfo=WIB)
        + datetime.timedelta(days=6 * number, minutes=rng.randrange(0, 480)),
        "is_digital": rng.random() < 0.5,
        "stage": rng.choice(["pengembangan", "pelembagaan"]),
        "category": rng.randrange(100),
    }


def _entry(competition, plan, users, number, categories):
    reason, note = plan["decision"] or ("", "")
    return Entry(
        competition=competition,
        category=categories[plan["category"] % len(categories)] if categories else None,
        agency=plan["agency"],
        created_by=users[plan["agency"].pk],
        code=plan["code"],
        title=plan["title"],
        short_name=plan["short_name"],
        group="umum",
        stage=plan["stage"],
        status=EntryStatus.INELIGIBLE if reason else EntryStatus.ELIGIBLE,
        submitted_at=plan["submitted_at"],
        forwarded_at=plan["submitted_at"] + datetime.timedelta(days=2),
        decided_at=datetime.datetime(2023, 6, 6, 10, number, tzinfo=WIB),
        decision_reason=reason,
        decision_note=note,
        district_id=plan["district"],
        village_id=plan["village"],
        started_on=plan["started_on"],
        is_digital=plan["is_digital"],
        version=4,
    )


def _fill(competition, entries, plans_by_code, rng):
    sections = list(competition.sections.all())
    answers, team, indicators = [], [], []
    for entry in entries:
        plan = plans_by_code[entry.code]
        answers += [ProposalAnswer(entry=entry, section=s, text=_answer(s, plan, entry)) for s in sections]
        for order, (name, position) in enumerate(rng.sample(PEOPLE, 2)):
            position = f"{position}, {entry.agency.short_name or entry.agency.name}"[:150]
            team.append(TeamMember(entry=entry, name=name, position=position, contact="", order=order))
        indicators += [ImpactIndicator(entry=entry, order=o, **v) for o, v in enumerate(_indicators(plan, rng))]
    ProposalAnswer.objects.bulk_create(answers)
    TeamMember.objects.bulk_create(team)
    ImpactIndicator.objects.bulk_create(indicators)
