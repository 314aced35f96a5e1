"""The network the "network" section measures (bench/measure/network.py, issue 13 item 9): one portal, every province.

38 provincial organisations (one per province of the areas tables, named from them) and the national one, each with
an organiser and a second organiser who approves (memberships), its letterhead lines, an open call for this year with
entries spread over its province's regions (PER_PROVINCE each; the national call NATIONAL entries from every
province: about 3,500 a year in all, the national KIPP's scale), and a competition of 2023 whose published final
announcement lists FINALISTS entries, each an innovation record (made by bench/records.py's functions). One agency
with one innovator in every region (kabupaten, kota and the province itself).

Seeded once, in one transaction, by bulk inserts; a later run reuses it and only moves the open calls' window around
the present (they must be open when measured). Never used by the product or the demo.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bench.records import (
    _announcement_rows,
    _index_for_search,
    _public_records,
    _published_announcement,
    _record_history,
    _seal,
)
from bench.seed import PASSWORD
from entries.models import Entry
from judging.models import RecordEntry, Round
from kipp.models import Agency, Competition, Membership, Organisation, Province, Region, User
from kipp.organisations.enums import MembershipKind, OrganisationLevel

SLUG_PREFIX = "uji-jaringan-"
NATIONAL = "nasional"
PER_PROVINCE = 90  # entries of a province's open call
NATIONAL_ENTRIES = 114  # the national call: 3 from each province
FINALISTS = 20  # entries listed by each organisation's published final announcement of 2023 (its records)
AGENCY_PREFIX = "Dinas Uji Jaringan "
STATUSES = ("draft", "submitted", "forwarded", "forwarded", "submitted")  # the open calls' entries, in turn


@dataclass(frozen=True)
class Scale:
    per_province: int = PER_PROVINCE
    national: int = NATIONAL_ENTRIES
    finalists: int = FINALISTS


@dataclass(frozen=True)
class Network:
    """What the section measures: the network's size and the one organisation whose pages are opened."""

    organisations: int  # of the network (39)
    entries: int  # in the open calls
    records: int
    slug: str  # the measured organisation: the province with the most regions
    organisation_id: int
    province_code: str
    organiser_email: str
    open_call_id: int
    seeded: bool  # True: seeded in this run; False: reused


def organisation_slug(key):
    return f"{SLUG_PREFIX}{key}"


def organiser_email(key, role="penyelenggara"):
    return f"{role}-jaringan-{key}@bench.kipp.id"


def ensure_network(scale=None):
    """The network, seeding it first when it is not there. Returns a Network."""
    seeded = not Organisation.objects.filter(slug=organisation_slug(NATIONAL)).exists()
    if seeded:
        with transaction.atomic():
            _seed(scale or Scale())
    _keep_calls_open()
    return _read(seeded)


def _read(seeded):
    organisations = Organisation.objects.filter(slug__startswith=SLUG_PREFIX)
    org = (
        organisations.filter(level=OrganisationLevel.PROVINCE)
        .annotate(regions=Count("province__regions"))
        .select_related("province")
        .order_by("-regions", "province__code")
        .first()
    )
    key = org.province.code
    return Network(
        organisations=organisations.count(),
        entries=Entry.objects.filter(
            competition__organisation__in=organisations, competition__year=_this_year()
        ).count(),
        records=_record_count(organisations),
        slug=org.slug,
        organisation_id=org.pk,
        province_code=key,
        organiser_email=organiser_email(key),
        open_call_id=Competition.objects.get(slug=_call_slug(key, _this_year())).pk,
        seeded=seeded,
    )


def _record_count(organisations):
    return RecordEntry.objects.filter(competition__organisation__in=organisations).count()


def _this_year():
    return 2027


def _call_slug(key, year):
    return f"{SLUG_PREFIX}{key}-{year}"


def _keep_calls_open():
    """The open calls open now: a month ago until half a year ahead (one statement)."""
    now = timezone.now()
    Competition.objects.filter(slug__startswith=SLUG_PREFIX, year=_this_year()).update(
        opens_at=now - datetime.timedelta(days=30), closes_at=now + datetime.timedelta(days=180)
    )


def _seed(scale):
    rng = random.Random(13)  # noqa: S311 - benchmark data
    provinces = list(Province.objects.order_by("code"))
    regions = {p.pk: list(Region.objects.filter(province=p).order_by("code")) for p in provinces}
    organisations = _organisations(provinces)
    organisers = _organisers(organisations)
    agencies, innovators = _agencies(provinces, regions)
    calls, pasts = _competitions(organisations, provinces)
    entries = []
    for province in provinces:
        own = [a for r in regions[province.pk] for a in agencies[r.pk]]
        entries += _open_entries(calls[province.code], own, innovators, scale.per_province)
    # a province's first region by code is the province itself: the province's own agency
    own_agency = {p.code: agencies[regions[p.pk][0].pk][0] for p in provinces}
    entries += _open_entries(calls[NATIONAL], list(own_agency.values()), innovators, scale.national)
    Entry.objects.bulk_create(entries, batch_size=1000)
    own_agency[NATIONAL] = own_agency[provinces[0].code]  # the national finalists: one agency too, as for a province
    for key, competition in pasts.items():
        agency = own_agency[key]
        _published_list(competition, agency, innovators[agency.pk], organisers[key], scale.finalists, rng)


def _organisations(provinces):
    """{key: Organisation}: the national one (key "nasional") and one per province (key: its code)."""
    rows = [
        Organisation(
            level=OrganisationLevel.NATIONAL,
            name="Kedeputian Bidang Pelayanan Publik KemenPANRB (uji jaringan)",
            slug=organisation_slug(NATIONAL),
            heading_lines="KEMENTERIAN PENDAYAGUNAAN APARATUR NEGARA\nDAN REFORMASI BIROKRASI",
            city="Jakarta",
            signatory_name="Deputi Bidang Pelayanan Publik",
            signatory_title="Deputi Bidang Pelayanan Publik",
        )
    ]
    rows += [
        Organisation(
            level=OrganisationLevel.PROVINCE,
            province=p,
            name=f"Biro Organisasi Setda Provinsi {p.name} (uji jaringan)",
            slug=organisation_slug(p.code),
            heading_lines=f"PEMERINTAH PROVINSI {p.name.upper()}\nSEKRETARIAT DAERAH",
            signatory_name="Kepala Biro Organisasi",
            signatory_title=f"Kepala Biro Organisasi Setda Provinsi {p.name}",
        )
        for p in provinces
    ]
    created = Organisation.objects.bulk_create(rows)
    return {(o.province.code if o.province else NATIONAL): o for o in created}


def _organisers(organisations):
    """{key: [organiser, approver]}: two organisers of each organisation (an announcement needs two people)."""
    password = make_password(PASSWORD)
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=organiser_email(key, role),
                full_name=f"{role.title()} {org.name}",
                is_staff=True,
                password=password,
                email_verified_at=now,
            )
            for key, org in organisations.items()
            for role in ("penyelenggara", "penyetuju")
        ]
    )
    pairs = {key: users[2 * i : 2 * i + 2] for i, key in enumerate(organisations)}
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=organisations[key], kind=MembershipKind.ORGANISER)
            for key, pair in pairs.items()
            for user in pair
        ]
    )
    return pairs


def _agencies(provinces, regions):
    """One agency in every region, each with one innovator. Returns ({region id: [agency]}, {agency id: user})."""
    created = Agency.objects.bulk_create(
        [
            Agency(region=r, name=f"{AGENCY_PREFIX}{r.full_name}", kind="perangkat_daerah")
            for p in provinces
            for r in regions[p.pk]
        ]
    )
    password = make_password(PASSWORD)
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"inovator-jaringan-{a.pk}@bench.kipp.id",
                full_name=f"Inovator {a.name}",
                agency=a,
                password=password,
                email_verified_at=now,
            )
            for a in created
        ]
    )
    by_region = {}
    for agency in created:
        by_region.setdefault(agency.region_id, []).append(agency)
    return by_region, {u.agency_id: u for u in users}


def _competitions(organisations, provinces):
    """Each organisation's open call of this year and its competition of 2023 (closed). Returns ({key: call},
    {key: past})."""
    now = timezone.now()
    closed = timezone.make_aware(datetime.datetime(2023, 3, 1, 16, 0))
    rows = []
    for key, org in organisations.items():
        place = "Nasional" if key == NATIONAL else org.province.name
        for year, opens, closes in (
            (_this_year(), now - datetime.timedelta(days=30), now + datetime.timedelta(days=180)),
            (2023, closed - datetime.timedelta(days=60), closed),
        ):
            rows.append(
                Competition(
                    slug=_call_slug(key, year),
                    name=f"KIPP {place} {year} (uji jaringan)",
                    year=year,
                    organisation=org,
                    province=org.province,
                    code_prefix=f"UJ{key.upper()[:8]}{year % 100}",
                    opens_at=opens,
                    closes_at=closes,
                    groups=["umum"],
                    requires_regional_verification=False,
                )
            )
    created = Competition.objects.bulk_create(rows)
    calls = {c.slug.removeprefix(SLUG_PREFIX).rsplit("-", 1)[0]: c for c in created if c.year == _this_year()}
    pasts = {c.slug.removeprefix(SLUG_PREFIX).rsplit("-", 1)[0]: c for c in created if c.year == 2023}
    return calls, pasts


def _open_entries(competition, agencies, innovators, n):
    """n entries of the open call, their agencies taken in turn (so spread over the regions), statuses in turn."""
    submitted = competition.opens_at + datetime.timedelta(days=3)
    entries = []
    for i in range(n):
        agency = agencies[i % len(agencies)]
        status = STATUSES[i % len(STATUSES)]
        entries.append(
            Entry(
                competition=competition,
                agency=agency,
                created_by=innovators[agency.pk],
                code=f"{competition.code_prefix}-{i + 1:03d}",
                title=f"Inovasi Layanan {agency.region.name} {i + 1}",
                group="umum",
                stage="pengembangan",
                status=status,
                submitted_at=None if status == "draft" else submitted + datetime.timedelta(minutes=i),
                forwarded_at=submitted + datetime.timedelta(days=1) if status == "forwarded" else None,
                is_digital=i % 3 == 0,
            )
        )
    return entries


def _published_list(competition, agency, innovator, organisers, n, rng):
    """The 2023 competition's final round, its published announcement of n finalists and their records, by
    bench/records.py's functions (the catalogue benchmark's dataset is made the same way)."""
    now = timezone.now()
    past = now - datetime.timedelta(days=1)
    round_ = Round.objects.create(
        competition=competition, slug="final", name="Penilaian akhir", order=1, kind="desk", state="published", top_n=n
    )
    entries = Entry.objects.bulk_create(
        Entry(
            competition=competition,
            agency=agency,
            created_by=innovator,
            code=f"{competition.code_prefix}-{i + 1:03d}",
            title=f"Inovasi Unggulan {agency.region.name} {i + 1}",
            stage="pelembagaan",
            status="eligible",
            submitted_at=competition.opens_at,
            decided_at=competition.closes_at,
        )
        for i in range(n)
    )
    announcement = _published_announcement(round_, n, prefix=competition.code_prefix, organisers=organisers, past=past)
    _announcement_rows(announcement, entries, agency=agency, region=agency.region)
    _seal(announcement)
    records = _public_records(
        entries, competition=competition, agency=agency, region=agency.region, rng=rng, now=now, match_every=10
    )
    _record_history(records, entries, announcement=announcement)
    _index_for_search(records, agency=agency, region=agency.region)
