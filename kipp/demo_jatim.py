"""Demo data of a second province (seed_demo, order 10, after kipp's seeder): Jawa Timur.

Its Biro Organisasi (an organisation of level provinsi with its own letterhead, in Surabaya) runs a small competition
of its own, kovablik-jatim-2023 ("KOVABLIK Jawa Timur 2023": administrative selection, then presentation and
interview; shared/domain/kipp-facts.md), with agencies in three kabupaten/kota (Kota Surabaya, Kabupaten Banyuwangi,
Kabupaten Sidoarjo), an organiser, a regional verifier for Kota Surabaya and three panelists. Its entries are in
entries/demo/jatim.py, its one scored round in judging/scoring/demo_jatim.py; nothing of it is published.

Idempotent: rows are found by their natural key (organisation and agency by name, competition by slug, accounts by
email) and left as they are.
"""

import datetime
import zoneinfo

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from kipp.enums import AgencyKind
from kipp.models import Agency, Competition, Organisation, Region, User
from kipp.organisations.enums import MembershipKind, OrganisationLevel
from kipp.organisations.services import add_membership, create_organisation
from kipp.services import create_competition

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
PROVINCE_CODE = "35"
SURABAYA, BANYUWANGI, SIDOARJO = "35.78", "35.10", "35.15"
SLUG = "kovablik-jatim-2023"
ORGANISER_NAME = "Biro Organisasi Sekretariat Daerah Provinsi Jawa Timur"
ORGANISATION_SLUG = "jawa-timur"
LETTERHEAD = {
    "heading_lines": "PEMERINTAH PROVINSI JAWA TIMUR\nSEKRETARIAT DAERAH\nBIRO ORGANISASI",
    "address": "Jl. Pahlawan No. 110, Surabaya 60174",
    "city": "Surabaya",
    "signatory_name": "Dr. Bambang Sutrisno, S.Sos., M.Si.",
    "signatory_title": "Kepala Biro Organisasi Sekretariat Daerah Provinsi Jawa Timur",
    "email": "biro.organisasi.jatim@demo.kipp.id",
}
DESCRIPTION = (
    "Kompetisi Inovasi Pelayanan Publik (KOVABLIK) Provinsi Jawa Timur 2023, diselenggarakan oleh Biro Organisasi "
    "Sekretariat Daerah Provinsi Jawa Timur bagi perangkat daerah, UPT dan pemerintah desa se-Jawa Timur. Proposal "
    "melewati seleksi administrasi, lalu presentasi dan wawancara di hadapan tim juri."
)

# (region code, name, short name, kind, parent name)
AGENCIES = [
    (PROVINCE_CODE, ORGANISER_NAME, "Biro Organisasi Jatim", AgencyKind.DEPARTMENT, None),
    (SURABAYA, "Bagian Organisasi Setda Kota Surabaya", "Bagian Organisasi Surabaya", AgencyKind.DEPARTMENT, None),
    (
        SURABAYA,
        "Dinas Kependudukan dan Pencatatan Sipil Kota Surabaya",
        "Dispendukcapil Surabaya",
        AgencyKind.DEPARTMENT,
        None,
    ),
    (SURABAYA, "Dinas Kesehatan Kota Surabaya", "Dinkes Surabaya", AgencyKind.DEPARTMENT, None),
    (SURABAYA, "UPTD Puskesmas Pacarkeling", "Puskesmas Pacarkeling", AgencyKind.UNIT, "Dinas Kesehatan Kota Surabaya"),
    (BANYUWANGI, "Dinas Kesehatan Kabupaten Banyuwangi", "Dinkes Banyuwangi", AgencyKind.DEPARTMENT, None),
    (
        BANYUWANGI,
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Banyuwangi",
        "DPMPTSP Banyuwangi",
        AgencyKind.DEPARTMENT,
        None,
    ),
    (BANYUWANGI, "Pemerintah Desa Kemiren", "Desa Kemiren", AgencyKind.VILLAGE, None),
    (
        SIDOARJO,
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Sidoarjo",
        "DPMPTSP Sidoarjo",
        AgencyKind.DEPARTMENT,
        None,
    ),
]

ORGANISER = ("organiser-jatim", "Dra. Endah Kusumawati, M.Si.", "Analis Kebijakan, Biro Organisasi Setda Prov. Jatim")
VERIFIER = ("verifier-surabaya", "Rudi Hartono, S.Sos., M.AP.", "Kepala Bagian Organisasi Setda Kota Surabaya")
# (name, position, expertise): the presentation and interview panel of KOVABLIK
PANELISTS = [
    ("Prof. Dr. Sri Wahyuni, M.Si.", "Guru Besar, Universitas Airlangga", "Kebijakan publik"),
    ("Dr. Agus Prasetyo, M.A.P.", "Dosen, Universitas Brawijaya", "Inovasi sektor publik"),
    ("Ir. Hendra Gunawan, M.T.", "Peneliti, Institut Teknologi Sepuluh Nopember", "Layanan digital"),
]


def panelist_emails():
    return [f"panelist-jatim{n}@demo.kipp.id" for n in range(1, len(PANELISTS) + 1)]


def seed_jatim(ctx):
    """The organisation, its agencies, kovablik-jatim-2023 and the accounts (see the module's docstring)."""
    regions = {r.code: r for r in Region.objects.filter(code__in=[PROVINCE_CODE, SURABAYA, BANYUWANGI, SIDOARJO])}
    if len(regions) < 4:
        ctx.log("jatim: the areas of Jawa Timur are missing (migrate first).")
        return
    province = regions[PROVINCE_CODE].province
    organisation = _organisation(ctx, province)
    agencies = _agencies(ctx, regions)
    _competition(ctx, organisation, province)
    _accounts(ctx, regions, agencies, organisation)


def _organisation(ctx, province):
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
        ctx.count("organisations")
    return organisation


def _agencies(ctx, regions):
    agencies = {}
    for region_code, name, short_name, kind, parent_name in AGENCIES:
        agency, created = Agency.objects.get_or_create(
            region=regions[region_code],
            name=name,
            defaults={"short_name": short_name, "kind": kind, "parent": agencies.get(parent_name)},
        )
        ctx.count("agencies", created)
        agencies[name] = agency
    return agencies


def _competition(ctx, organisation, province):
    if Competition.objects.filter(slug=SLUG).exists():
        return
    create_competition(
        actor=None,
        slug=SLUG,
        name="KOVABLIK Jawa Timur 2023",
        year=2023,
        province=province,
        organisation=organisation,
        code_prefix="JATIM-2023",
        description=DESCRIPTION,
        opens_at=datetime.datetime(2023, 3, 1, 8, 0, tzinfo=WIB),
        closes_at=datetime.datetime(2023, 5, 31, 23, 59, tzinfo=WIB),
        minimum_age_months=24,
        requires_regional_verification=True,
    )
    ctx.count("competitions")


def _accounts(ctx, regions, agencies, organisation):
    password_hash = make_password(ctx.password)

    def account(email, label, description, **fields):
        user, created = User.objects.get_or_create(
            email=email, defaults={"password": password_hash, "email_verified_at": timezone.now(), **fields}
        )
        ctx.count("accounts", created)
        ctx.accounts.append((email, label, description))
        return user

    local, name, position = ORGANISER
    organiser = account(
        f"{local}@demo.kipp.id",
        "organiser",
        f"{name}, {ORGANISER_NAME}",
        full_name=name,
        position=position,
        # where they work; organising is their membership, not speaking for that agency
        agency=agencies[ORGANISER_NAME],
        agency_confirmed_at=None,
        agency_declined_at=timezone.now(),
        is_staff=True,
    )
    add_membership(organisation=organisation, user=organiser, kind=MembershipKind.ORGANISER)
    local, name, position = VERIFIER
    verifier = account(
        f"{local}@demo.kipp.id",
        "verifier",
        "Bagian Organisasi, Kota Surabaya (KOVABLIK Jawa Timur)",
        full_name=name,
        position=position,
        region=regions[SURABAYA],
        agency=agencies["Bagian Organisasi Setda Kota Surabaya"],
        agency_confirmed_at=None,
        agency_declined_at=timezone.now(),
    )
    add_membership(organisation=organisation, user=verifier, kind=MembershipKind.VERIFIER, region=regions[SURABAYA])
    for email, (name, position, expertise) in zip(panelist_emails(), PANELISTS, strict=True):
        judge = account(
            email,
            "judge",
            f"{name} ({position}), panel KOVABLIK Jawa Timur",
            full_name=name,
            position=position,
            expertise=expertise,
        )
        add_membership(organisation=organisation, user=judge, kind=MembershipKind.JUDGE)
