"""The network (issue 13 item 9): the public and organiser list pages with every organisation on the portal, beside
the same pages with one organisation.

The network is bench/network_fixture.py's (38 provinces and the national organisation). Each page is requested
through Django's test client (like bench/measure/page_figures.py): a warm-up, one request with its SQL queries
counted, then `runs` timed requests (median, p95), with the response size. Then the same pages in a world of one
organisation: inside a transaction that is rolled back afterwards, everything of every other organisation is deleted
(its organisations, memberships, competitions, entries, rounds, announcements and records; the foreign-key triggers
off for those statements only), so the portal shows what it would with that one organisation alone. The query
counts of the two worlds must be the same: no page may cost a query per organisation.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.measure.common import Row, median, ms, p95, timed
from bench.network_fixture import ensure_network
from bench.progress import Progress, say
from entries.models import Entry
from judging.models import Announcement, InnovationRecord, RecordEntry, Round
from kipp.models import Competition, Membership, Organisation, User

SECTION = "network"


@dataclass(frozen=True)
class NetworkPage:
    label: str
    url: str
    organiser: bool = False  # requested as the measured organisation's organiser (else anonymously)


def network_pages(network):
    catalogue, records = reverse("records:catalogue"), reverse("api:records")
    announcements = reverse("api:announcements")
    province, organisation = f"?province={network.province_code}", f"?organisation={network.slug}"
    return [
        NetworkPage("portal home (open calls by organisation)", reverse("kipp:home")),
        NetworkPage("organisation home /o/<slug>/", reverse("kipp:organisation", args=[network.slug])),
        NetworkPage("catalogue, filtered by province", catalogue + province),
        NetworkPage("catalogue, filtered by organisation", catalogue + organisation),
        NetworkPage("API announcements", announcements),
        NetworkPage("API announcements, filtered by province", announcements + province),
        NetworkPage("API records", records),
        NetworkPage("API records, filtered by organisation", records + organisation),
        NetworkPage("public announcement list", reverse("judging:public_list")),
        NetworkPage("organiser's competition list", reverse("kipp:competitions"), organiser=True),
        NetworkPage("organiser's entry list", reverse("entries:organiser_list"), organiser=True),
    ]


def figures(client, url, runs):
    """{status, queries, runs, median, p95, bytes} of one page: warm-up, one counted request, `runs` timed ones."""
    response = client.get(url)
    if response.status_code != 200:
        return {"status": response.status_code}
    reset_queries()  # CaptureQueriesContext slices the log from its length before the request: start it empty
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)
    times = timed(lambda: client.get(url), runs)
    return {
        "status": 200,
        "queries": count,
        "runs": runs,
        "median": median(times),
        "p95": p95(times),
        "bytes": len(response.content),
    }


def measure_world(network, pages, runs, progress=None):
    """{label: figures} of every page, the cache emptied first (no page is served from the other world's cache)."""
    cache.clear()
    anonymous, organiser = Client(), Client()
    organiser.force_login(User.objects.get(email=network.organiser_email))
    out = {}
    for page in pages:
        out[page.label] = figures(organiser if page.organiser else anonymous, page.url, runs)
        if progress:
            progress.advance()
    return out


def _t(model):
    return model._meta.db_table


# Everything of every organisation but %(org)s; rows that only hang below a deleted one (scores, proposal answers,
# announcement rows) stay: no page reaches them without their parent.
KEEP_ONLY_SQL = f"""
DELETE FROM {_t(Competition)} WHERE organisation_id <> %(org)s;
DELETE FROM {_t(Entry)} e WHERE NOT EXISTS (SELECT 1 FROM {_t(Competition)} c WHERE c.id = e.competition_id);
DELETE FROM {_t(Round)} r WHERE NOT EXISTS (SELECT 1 FROM {_t(Competition)} c WHERE c.id = r.competition_id);
DELETE FROM {_t(Announcement)} a WHERE NOT EXISTS (SELECT 1 FROM {_t(Round)} r WHERE r.id = a.round_id);
DELETE FROM {_t(RecordEntry)} re WHERE NOT EXISTS (SELECT 1 FROM {_t(Competition)} c WHERE c.id = re.competition_id);
DELETE FROM {_t(InnovationRecord)} ir WHERE NOT EXISTS (SELECT 1 FROM {_t(RecordEntry)} re WHERE re.record_id = ir.id);
DELETE FROM {_t(Membership)} WHERE organisation_id <> %(org)s;
DELETE FROM {_t(Organisation)} WHERE id <> %(org)s
"""  # noqa: S608 - table names from model meta


def keep_only(organisation_id):
    """Delete everything of every organisation but one, inside the caller's transaction (which rolls it back).
    Returns how many organisations are left."""
    with connection.cursor() as cursor:
        # the foreign keys' triggers (and the tables' own) off for these deletes only, as bench/seed.py does for
        # its bulk inserts: the orphans below the deleted rows stay, unreachable
        cursor.execute("SET LOCAL session_replication_role = replica")
        for sql in KEEP_ONLY_SQL.strip().split(";\n"):
            cursor.execute(sql, {"org": organisation_id})
        cursor.execute("SET LOCAL session_replication_role = origin")
        return Organisation.objects.count()


def measure_one_organisation(network, pages, runs, progress=None):
    """The pages in a world of the measured organisation alone (deleted in a transaction, then rolled back)."""
    with transaction.atomic():
        left = keep_only(network.organisation_id)
        assert left == 1, f"{left} organisations left"  # noqa: S101 - the benchmark's own invariant
        out = measure_world(network, pages, runs, progress)
        transaction.set_rollback(True)
    cache.clear()
    return out


def describe(network, organisations, seconds):
    how = f"seeded in {seconds:,.0f} s" if network.seeded else "reused"
    return [
        Row(
            SECTION,
            f"dataset ({how}): {network.organisations} organisations (38 provinces, national), {network.entries:,} "
            f"entries in open calls, {network.records:,} records",
            f"{organisations} organisations on the portal",
        ),
        Row(SECTION, f"measured: the pages of {network.slug} and of its organiser", network.organiser_email),
    ]


def rows_for(page, many, one, organisations):
    if many["status"] != 200 or one["status"] != 200:
        return [Row(SECTION, page.label, f"HTTP {many['status']} / {one['status']}", "200", False)]
    return [
        Row(
            SECTION,
            f"{page.label}: median / p95 at {organisations} organisations (n={many['runs']}, "
            f"{many['bytes'] / 1000:,.0f} kB)",
            f"{ms(many['median'])} / {ms(many['p95'])}",
            "p95 <= 150 ms",
            many["p95"] <= 0.150,
        ),
        Row(
            SECTION,
            f"  at 1 organisation: median / p95 ({one['bytes'] / 1000:,.0f} kB)",
            f"{ms(one['median'])} / {ms(one['p95'])}",
        ),
        Row(
            SECTION,
            f"  {page.label}: SQL queries at 1 / {organisations} organisations",
            f"{one['queries']} / {many['queries']}",
            "same",
            one["queries"] == many["queries"],
        ),
    ]


def measure_network(runs=30, scale=None):
    say("Network: making sure the 39 organisations exist (the first run seeds them) ...")
    started = time.perf_counter()
    network = ensure_network(scale)
    seconds = time.perf_counter() - started
    organisations = Organisation.objects.count()
    pages = network_pages(network)
    progress = Progress("network pages at all organisations, then at 1", 2 * len(pages))
    many = measure_world(network, pages, runs, progress)
    one = measure_one_organisation(network, pages, runs, progress)
    progress.finish()
    rows = describe(network, organisations, seconds)
    for page in pages:
        rows += rows_for(page, many[page.label], one[page.label], organisations)
    return rows
