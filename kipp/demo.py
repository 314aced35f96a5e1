"""Demo data for `manage.py seed_demo`: the context shared by every layer's seeder, and kipp's own seeder."""

import datetime
import hashlib
import random
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from kipp.enums import AgencyKind
from kipp.models import Agency, Competition, Organisation, Region, User
from kipp.organisations.enums import MembershipKind, OrganisationLevel
from kipp.organisations.services import add_membership, create_organisation
from kipp.services import create_competition


@dataclass
class DemoContext:
    """Passed to every seeder. Seeders count what they create in `created`, so a second run can show nothing new.

    - options: {"entries": int, "judges": int, "seed": int, "password": str}
    - rng(name): a random.Random seeded from (seed, name), so each seeder is deterministic on its own
    - accounts: (email, role label, description) rows printed at the end
    """

    options: dict
    stdout: object
    created: Counter = field(default_factory=Counter)
    accounts: list = field(default_factory=list)

    @property
    def password(self):
        return self.options["password"]

    def rng(self, name):
        digest = hashlib.sha256(f"{self.options['seed']}:{name}".encode()).hexdigest()
        return random.Random(int(digest[:16], 16))  # noqa: S311 - demo data, not security

    def log(self, message):
        self.stdout.write(message)

    def count(self, label, created=True, n=1):
        if created:
            self.created[label] += n


# --- kipp's seeder: agencies, competitions, accounts -------------------------------------------------------------

PROVINCE_CODE = "73"
JENEPONTO = "73.04"
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
ORGANISER_NAME = "Biro Organisasi Setda Provinsi Sulawesi Selatan"
ORGANISATION_SLUG = "sulawesi-selatan"
# The letterhead of the organiser's announcements (as the demo's PDFs have always shown it); the signatory's name
# is the demo's own (a person's name, not a position).
LETTERHEAD = {
    "heading_lines": "PEMERINTAH PROVINSI SULAWESI SELATAN\nSEKRETARIAT DAERAH\nBIRO ORGANISASI",
    "address": "Jl. Urip Sumoharjo No. 269, Makassar",
    "city": "Makassar",
    "signatory_name": "Andi Rahmat Hidayat, S.STP., M.Si.",
    "signatory_title": "Kepala Biro Organisasi Setda Provinsi Sulawesi Selatan",
    "email": "biro.organisasi@demo.kipp.id",
}

# (region code, name, short name, kind, parent name): the named agencies of the 2023 Top 50 articles and the
# provincial organiser first, then a handful per kabupaten/kota (built below).
NAMED_AGENCIES = [
    (PROVINCE_CODE, ORGANISER_NAME, "Biro Organisasi", AgencyKind.DEPARTMENT, None),
    (PROVINCE_CODE, "Dinas Kesehatan Provinsi Sulawesi Selatan", "Dinkes Sulsel", AgencyKind.DEPARTMENT, None),
    (PROVINCE_CODE, "Badan Pendapatan Daerah Provinsi Sulawesi Selatan", "Bapenda Sulsel", AgencyKind.DEPARTMENT, None),
    (
        PROVINCE_CODE,
        "Badan Penelitian dan Pengembangan Daerah Provinsi Sulawesi Selatan",
        "Balitbangda Sulsel",
        AgencyKind.DEPARTMENT,
        None,
    ),
    (JENEPONTO, "Dinas Pendidikan Kabupaten Jeneponto", "Disdik Jeneponto", AgencyKind.DEPARTMENT, None),
    (JENEPONTO, "UPT SMPN 2 Rumbia", "SMPN 2 Rumbia", AgencyKind.UNIT, "Dinas Pendidikan Kabupaten Jeneponto"),
    (JENEPONTO, "Dinas Perhubungan Kabupaten Jeneponto", "Dishub Jeneponto", AgencyKind.DEPARTMENT, None),
    (JENEPONTO, "Dinas Kesehatan Kabupaten Jeneponto", "Dinkes Jeneponto", AgencyKind.DEPARTMENT, None),
    (
        JENEPONTO,
        "UPT Puskesmas Bontosunggu",
        "Puskesmas Bontosunggu",
        AgencyKind.UNIT,
        "Dinas Kesehatan Kabupaten Jeneponto",
    ),
    (JENEPONTO, "Bagian Organisasi Setda Kabupaten Jeneponto", "Bagian Organisasi", AgencyKind.DEPARTMENT, None),
    (JENEPONTO, "Kecamatan Rumbia", "", AgencyKind.DISTRICT, None),
]

# Every other kabupaten/kota gets these (the name ends with the region's full name).
REGIONAL_AGENCY_PATTERNS = [
    ("Bagian Organisasi Setda {region}", "Bagian Organisasi"),
    ("Dinas Kesehatan {region}", "Dinkes"),
    ("Dinas Kependudukan dan Pencatatan Sipil {region}", "Disdukcapil"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {region}", "DPMPTSP"),
]

COMPETITION_DESCRIPTION_2023 = (
    "Kompetisi Inovasi Pelayanan Publik Provinsi Sulawesi Selatan 2023, diselenggarakan oleh Biro Organisasi "
    "Sekretariat Daerah Provinsi Sulawesi Selatan. Proposal melewati seleksi administrasi, penilaian proposal "
    "oleh tim evaluator (Top 50), presentasi dan wawancara di hadapan panelis, lalu verifikasi lapangan (Top 30)."
)
COMPETITION_DESCRIPTION_2027 = (
    "Panggilan terbuka KIPP Sulawesi Selatan 2027 bagi perangkat daerah, UPT, kecamatan, desa/kelurahan dan BUMD "
    "se-Sulawesi Selatan. Inovasi harus sudah berjalan paling sedikit dua tahun (replikasi: satu tahun) dan diajukan "
    "melalui Admin Lokal (Bagian Organisasi) kabupaten/kota masing-masing."
)

# (email local part, full name, position, region code or None, agency name or None, expertise)
ORGANISERS = [
    ("organiser", "Andi Rahmawati, S.Sos., M.Si.", "Analis Kelembagaan, Biro Organisasi", "Tata kelola inovasi"),
    ("organiser2", "Muh. Ilham Syam, S.STP., M.AP.", "Kepala Subbagian Pelayanan Publik, Biro Organisasi", ""),
]
EVALUATORS = [
    ("Dr. Nurlina Tahir, M.Si.", "Dosen, STIA LAN Makassar", "73.71", None, "Administrasi publik"),
    ("Dr. Hasrul Anwar, M.Pd.", "Dosen, Universitas Negeri Makassar", None, None, "Pendidikan"),
    (
        "Dr. Rusli Daeng Tompo, M.Si.",
        "Peneliti",
        JENEPONTO,
        "Dinas Pendidikan Kabupaten Jeneponto",
        "Kebijakan pendidikan",
    ),
    ("Dr. Sitti Aminah, S.KM., M.Kes.", "Dosen, Universitas Hasanuddin", "73.71", None, "Kesehatan masyarakat"),
    (
        "Ir. Baharuddin Lopa, M.T.",
        "Peneliti, Balitbangda Provinsi Sulawesi Selatan",
        PROVINCE_CODE,
        "Badan Penelitian dan Pengembangan Daerah Provinsi Sulawesi Selatan",
        "Transportasi dan infrastruktur",
    ),
    ("Dra. Hj. Fatmawati Rauf, M.Si.", "Widyaiswara, BPSDM Provinsi Sulawesi Selatan", None, None, "Manajemen ASN"),
    ("Dr. Irfan Mappiare, S.E., M.Si.", "Dosen, Universitas Muhammadiyah Makassar", "73.06", None, "Ekonomi daerah"),
    ("Andi Sulfiana, S.IP., M.A.", "Program Officer, Yayasan BaKTI", None, None, "Pelayanan publik inklusif"),
    ("Dr. Yusran Jusuf, M.Si.", "Dosen, Universitas Bosowa", "73.11", None, "Tata kelola digital"),
]
PANELISTS = [
    ("Prof. Dr. Alwi Rahman, M.Si.", "Guru Besar, STIA LAN Makassar", None, None, "Inovasi sektor publik"),
    ("Dr. Ir. Rosmiati Sabir, M.Si.", "Staf Ahli Gubernur Sulawesi Selatan", PROVINCE_CODE, None, "Pemerintahan"),
    ("Dr. Muhammad Akil, M.P.A.", "Tenaga Ahli, KOMPAK", None, None, "Pelayanan dasar"),
    ("Caroline Tupamahu, M.A.", "Direktur Eksekutif, Yayasan BaKTI", None, None, "Pembangunan Kawasan Timur"),
    (
        "Dr. Ahmad Yani, M.Si.",
        "Peneliti Utama, Balitbangda Provinsi Sulawesi Selatan",
        PROVINCE_CODE,
        "Badan Penelitian dan Pengembangan Daerah Provinsi Sulawesi Selatan",
        "Evaluasi kebijakan",
    ),
    ("Prof. Dr. Sangkala, M.A.", "Guru Besar, Universitas Hasanuddin", "73.71", None, "Manajemen publik"),
]


def seed_core(ctx):
    """Agencies for every region, the 2023 (closed) and 2027 (open) competitions, and the demo accounts.

    Idempotent: existing rows (found by their natural key) are left as they are and not counted."""
    regions = {region.code: region for region in Region.objects.select_related("province")}
    agencies = _seed_agencies(ctx, regions)
    _seed_competitions(ctx, regions)
    _seed_accounts(ctx, regions, agencies)


def _seed_agencies(ctx, regions):
    agencies = {}
    for region_code, name, short_name, kind, parent_name in NAMED_AGENCIES:
        agencies[name] = _agency(ctx, regions[region_code], name, short_name, kind, agencies.get(parent_name))
    for region in sorted(regions.values(), key=lambda r: r.code):
        if region.kind == "provinsi" or region.province.code != PROVINCE_CODE:
            continue
        for pattern, short_name in REGIONAL_AGENCY_PATTERNS:
            name = pattern.format(region=region.full_name)
            agencies[name] = _agency(ctx, region, name, f"{short_name} {region.name}", AgencyKind.DEPARTMENT, None)
    return agencies


def _agency(ctx, region, name, short_name, kind, parent):
    agency, created = Agency.objects.get_or_create(
        region=region, name=name, defaults={"short_name": short_name, "kind": kind, "parent": parent}
    )
    ctx.count("agencies", created)
    return agency


def demo_organisation(province, ctx=None):
    """The Sulawesi Selatan organiser (made by migration 0013 from existing competitions, or here on a fresh
    database); found by its name, so a migrated installation keeps its own slug."""
    organisation = Organisation.objects.filter(name=ORGANISER_NAME).first()
    if organisation is None:
        organisation = create_organisation(
            actor=None,
            level=OrganisationLevel.PROVINCE,
            province=province,
            name=ORGANISER_NAME,
            slug=ORGANISATION_SLUG,
            **LETTERHEAD,
        )
        if ctx is not None:
            ctx.count("organisations")
    return organisation


def _seed_competitions(ctx, regions):
    province = regions[PROVINCE_CODE].province
    organisation = demo_organisation(province, ctx)
    if not Competition.objects.filter(slug="kipp-sulsel-2023").exists():
        create_competition(
            actor=None,
            slug="kipp-sulsel-2023",
            name="KIPP Sulawesi Selatan 2023",
            year=2023,
            province=province,
            organisation=organisation,
            code_prefix="SULSEL-2023",
            description=COMPETITION_DESCRIPTION_2023,
            opens_at=datetime.datetime(2022, 11, 14, 8, 0, tzinfo=WITA),
            closes_at=datetime.datetime(2023, 1, 20, 23, 59, tzinfo=WITA),
            minimum_age_months=24,
            requires_regional_verification=True,
        )
        ctx.count("competitions")
    if not Competition.objects.filter(slug="kipp-sulsel-2027").exists():
        today = timezone.localdate()
        create_competition(
            actor=None,
            slug="kipp-sulsel-2027",
            name="KIPP Sulawesi Selatan 2027",
            year=2027,
            province=province,
            organisation=organisation,
            code_prefix="SULSEL-2027",
            description=COMPETITION_DESCRIPTION_2027,
            opens_at=datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time(8, 0), WITA),
            closes_at=datetime.datetime.combine(today + datetime.timedelta(days=120), datetime.time(23, 59), WITA),
            minimum_age_months=24,
            quota_per_agency=5,
            quota_per_region=15,
            requires_regional_verification=True,
        )
        ctx.count("competitions")


def _seed_accounts(ctx, regions, agencies):
    password_hash = make_password(ctx.password)  # one hash for every demo account: seeding stays fast

    def account(email, label, description, **fields):
        user, created = User.objects.get_or_create(
            email=email, defaults={"password": password_hash, "email_verified_at": timezone.now(), **fields}
        )
        ctx.count("accounts", created)
        ctx.accounts.append((email, label, description))
        return user

    organisation = demo_organisation(regions[PROVINCE_CODE].province)
    for local, name, position, expertise in ORGANISERS:
        user = account(
            f"{local}@demo.kipp.id",
            "organiser",
            name,
            full_name=name,
            position=position,
            expertise=expertise,
            is_staff=True,
        )
        add_membership(organisation=organisation, user=user, kind=MembershipKind.ORGANISER)
    verifier = account(
        "verifier-jeneponto@demo.kipp.id",
        "verifier",
        "Bagian Organisasi, Kabupaten Jeneponto",
        full_name="Hasnawati Karaeng Lompo, S.E.",
        position="Kepala Bagian Organisasi Setda Kabupaten Jeneponto",
        region=regions[JENEPONTO],
        # Where the verifier works; verifying is their membership, not speaking for that agency.
        agency=agencies["Bagian Organisasi Setda Kabupaten Jeneponto"],
        agency_confirmed_at=None,
        agency_declined_at=timezone.now(),
    )
    add_membership(organisation=organisation, user=verifier, kind=MembershipKind.VERIFIER, region=regions[JENEPONTO])
    account(
        "sms@demo.kipp.id",
        "innovator",
        "UPT SMPN 2 Rumbia: Sapa Masyarakat Sekitar (SMS)",
        full_name="Dr. Suhaedir Bahtiar",
        position="Kepala UPT SMPN 2 Rumbia",
        agency=agencies["UPT SMPN 2 Rumbia"],
    )
    account(
        "dishub@demo.kipp.id",
        "innovator",
        "Dinas Perhubungan Kab. Jeneponto: Transportation Smart",
        full_name="Dr. Aspamuji, S.STP",
        position="Kepala Dinas Perhubungan Kabupaten Jeneponto",
        agency=agencies["Dinas Perhubungan Kabupaten Jeneponto"],
    )
    _seed_judges(ctx, account, regions, agencies, organisation)


def _seed_judges(ctx, account, regions, agencies, organisation):
    """The round 1 evaluators (more with --judges) and the round 2 panelists."""
    evaluators = list(EVALUATORS)
    for n in range(len(evaluators) + 1, max(ctx.options.get("judges") or 0, len(evaluators)) + 1):
        evaluators.append((f"Evaluator Tambahan {n}", "Akademisi", None, None, "Administrasi publik"))
    for prefix, people in (("evaluator", evaluators), ("panelist", PANELISTS)):
        for n, (name, position, region_code, agency_name, expertise) in enumerate(people, start=1):
            judge = account(
                f"{prefix}{n}@demo.kipp.id",
                "judge",
                f"{name} ({position})",
                full_name=name,
                position=position,
                expertise=expertise,
                region=regions[region_code] if region_code else None,
                # Where the judge works (conflicts of interest); they do not speak for that agency.
                agency=agencies[agency_name] if agency_name else None,
                **({"agency_confirmed_at": None, "agency_declined_at": timezone.now()} if agency_name else {}),
            )
            add_membership(organisation=organisation, user=judge, kind=MembershipKind.JUDGE)
