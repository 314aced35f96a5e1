"""Many innovation records at once, for the catalogue's benchmark (bench_catalogue_search) and its query-count test.

bulk_records(n) creates n entries of one competition, a closed round and one published (approved, past its
embargo) announcement listing them, and n public records with their history, in a handful of bulk statements.
Never used by the demo or the product: only by tests and `make bench` (which runs in its own database)."""

import datetime
import random
import time

from django.core.paginator import Paginator
from django.utils import timezone

from judging.records.queries import PAGE_SIZE, catalogue

_WORDS = (
    "layanan desa sekolah kesehatan posyandu pasar pajak daring antrean ibu anak gizi air bersih sampah bank "
    "petani nelayan jalan lampu izin usaha perpustakaan keliling puskesmas rujukan darurat bencana banjir "
    "kartu digital aplikasi pengaduan warga lansia disabilitas stunting imunisasi guru murid beasiswa "
    "pelatihan kerja pemuda koperasi umkm kopi rumput laut transportasi angkutan terminal parkir"
)
WORDS = _WORDS.split()


def _text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def bulk_records(n, *, seed=7, prefix="BENCH", match_every=100, now=None):
    """Create n public records (one competition, year 2023). Every `match_every`-th summary speaks of
    "putus sekolah" so a search has a realistic share of matches. Returns the announcement."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    now = now or timezone.now()
    past = now - datetime.timedelta(days=1)
    region, agency, organisers = _agency_and_organisers(prefix)
    round_ = _closed_round(n, prefix=prefix, rng=rng, past=past)
    entries = _eligible_entries(
        n, round_=round_, agency=agency, author=organisers[0], prefix=prefix, rng=rng, past=past
    )
    announcement = _published_announcement(round_, n, prefix=prefix, organisers=organisers, past=past)
    _announcement_rows(announcement, entries, agency=agency, region=region)
    _seal(announcement)
    records = _public_records(
        entries, competition=round_.competition, agency=agency, region=region, rng=rng, now=now, match_every=match_every
    )
    _record_history(records, entries, announcement=announcement)
    _index_for_search(records, agency=agency, region=region)
    return announcement


def _agency_and_organisers(prefix):
    from kipp.models import Agency, Region, User

    region = Region.objects.filter(province__code="73").order_by("code").first()  # the bench's one province
    agency, _ = Agency.objects.get_or_create(region=region, name=f"{prefix} Instansi")
    organisers = [
        User.objects.get_or_create(
            email=f"{prefix.lower()}-org{i}@bench.kipp.id",
            defaults={"full_name": f"{prefix} Organiser {i}"},
        )[0]
        for i in (1, 2)
    ]
    from bench.seed import _members
    from kipp.models import Organisation
    from kipp.organisations.enums import MembershipKind

    organisation = Organisation.objects.get_or_create(
        slug=prefix.lower()[:60], defaults={"name": prefix, "level": "nasional"}
    )[0]
    _members([u.pk for u in organisers], MembershipKind.ORGANISER, organisation)
    return region, agency, organisers


def _closed_round(n, *, prefix, rng, past):
    """The published desk round of a 2023 competition that closed two months ago."""
    from judging.models import Round
    from kipp.models import Competition, Organisation

    competition = Competition.objects.create(
        slug=f"{prefix.lower()}-{n}-{rng.randrange(10**9)}",
        name=f"{prefix} {n}",
        year=2023,
        organisation=Organisation.objects.get_or_create(
            slug=prefix.lower()[:60], defaults={"name": prefix, "level": "nasional"}
        )[0],
        code_prefix=f"{prefix}{rng.randrange(10**9)}",
        opens_at=past - datetime.timedelta(days=90),
        closes_at=past - datetime.timedelta(days=60),
    )
    return Round.objects.create(
        competition=competition, slug="penilaian", name="Penilaian", order=1, kind="desk", state="published", top_n=n
    )


def _eligible_entries(n, *, round_, agency, author, prefix, rng, past):
    from entries.models import Entry

    return Entry.objects.bulk_create(
        Entry(
            competition=round_.competition,
            agency=agency,
            created_by=author,
            code=f"{prefix}-{i:06d}",
            title=f"Inovasi {i} {_text(rng, 3)}",
            status="eligible",
            submitted_at=past,
            decided_at=past,
        )
        for i in range(n)
    )


def _published_announcement(round_, n, *, prefix, organisers, past):
    """The round's final announcement: approved by the second organiser, published and past its embargo."""
    from judging.models import Announcement

    return Announcement.objects.create(
        round=round_,
        kind="final",
        number=f"{prefix}/{n}",
        title=f"Top {n}",
        date=past.date(),
        signatory_name="-",
        signatory_title="-",
        letterhead="-",
        body="-",
        embargo_until=past,
        state="awaiting",  # published by _seal once its rows are there (a published version has a fingerprint)
        prepared_by=organisers[0],
        prepared_at=past,
        approved_by=organisers[1],
        published_at=past,
    )


def _seal(announcement):
    """What approval does to the version: its canonical CSV and fingerprint written, then published."""
    from judging.publication import fingerprint

    fields = fingerprint.seal(announcement)
    announcement.state = "published"
    announcement.save(update_fields=["state", *fields])


def _announcement_rows(announcement, entries, *, agency, region):
    """Every entry selected, ranked in creation order."""
    from judging.models import AnnouncementRow

    AnnouncementRow.objects.bulk_create(
        AnnouncementRow(
            announcement=announcement,
            entry=entry,
            rank=i + 1,
            ranked_outcome="selected",
            outcome="selected",
            entry_code=entry.code,
            title=entry.title,
            agency=agency.name,
            region=str(region),
        )
        for i, entry in enumerate(entries)
    )


def _public_records(entries, *, competition, agency, region, rng, now, match_every):
    from judging.models import InnovationRecord

    return InnovationRecord.objects.bulk_create(
        InnovationRecord(
            slug=f"{entry.code.lower()}-{competition.pk}",
            entry=entry,
            agency=agency,
            region=region,
            title=entry.title,
            summary=_text(rng, 40) + (" menurunkan angka putus sekolah" if i % match_every == 0 else ""),
            stage=rng.choice(["penciptaan", "pengembangan", "pelembagaan"]),
            is_digital=bool(i % 2),
            first_year=2023,
            year=2023,
            outcome="final",
            last_updated_at=now,
        )
        for i, entry in enumerate(entries)
    )


def _record_history(records, entries, *, announcement):
    """Each record's one line of history: its entry, finalist in the announcement."""
    from judging.models import RecordEntry

    RecordEntry.objects.bulk_create(
        RecordEntry(
            record=record,
            entry=entry,
            competition=entry.competition,
            year=2023,
            announcement=announcement,
            outcome="final",
            title=entry.title,
        )
        for record, entry in zip(records, entries, strict=True)
    )


def _index_for_search(records, *, agency, region):
    """The records' search documents in one statement, then planner statistics."""
    from django.db import connection

    from judging.models import Announcement, InnovationRecord, RecordEntry

    table = connection.ops.quote_name(InnovationRecord._meta.db_table)
    with connection.cursor() as cursor:
        # The same document as judging.records.services.build.SEARCH_SQL, in one pass (no proposal text here).
        cursor.execute(
            f"UPDATE {table} SET search_document = "  # noqa: S608 - table name from model meta
            "setweight(to_tsvector('simple', unaccent(title || ' ' || short_name)), 'A') "
            "|| setweight(to_tsvector('simple', unaccent(summary)), 'B') "
            "|| setweight(to_tsvector('simple', unaccent(%s)), 'D') WHERE id = ANY(%s)",
            [f"{agency.name} {region.name}", [r.pk for r in records]],
        )
        # planner statistics, as autovacuum would gather them on a live database
        for model in (InnovationRecord, RecordEntry, Announcement):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def ensure_records(n):
    """At least n records exist (the benchmark database keeps them between runs)."""
    from judging.models import InnovationRecord

    missing = n - InnovationRecord.objects.count()
    if missing > 0:
        bulk_records(missing)


def bench_catalogue_search(n=50_000, query="putus sekolah", runs=7):
    """`make bench` line "catalogue search at 50,000 records": make sure at least n records exist (bulk-created
    with a published announcement in the benchmark database, see bench.records), then time the first page
    of a catalogue search (count and rows) as the catalogue view runs it. Returns (median seconds, matches)."""
    ensure_records(n)
    timings, matches = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        page = Paginator(catalogue({"q": query}), PAGE_SIZE).get_page(1)
        matches = page.paginator.count
        list(page.object_list)
        timings.append(time.perf_counter() - start)
    timings.sort()
    return timings[len(timings) // 2], matches
