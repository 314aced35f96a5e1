"""Issue 13 item 9: every list page keeps the same query count with 1 and with 10 organisations.

Each organisation has a competition (an open call) with entries: four scored in a closed round whose announcement is
public (so its records are built), one submitted from Kabupaten Jeneponto (the verifier's queue) and one forwarded
(the administrative selection). The world of one organisation is measured, nine more are added, and every page is
measured again as the person who uses it: the public, an organiser, Jeneponto's verifier and a judge who sits on
every organisation's panel. (tests/kipp/test_organisations.py holds the first such test, over thinner data.)"""

import datetime
import html

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entries.models import Entry
from judging.models import Announcement, InnovationRecord
from kipp.models import Membership, Organisation, Province
from kipp.permissions import forget_memberships
from tests.factories import (
    AgencyFactory,
    CompetitionFactory,
    EntryFactory,
    JudgeFactory,
    OrganisationFactory,
    OrganiserFactory,
    VerifierFactory,
    region,
)
from tests.judging.publication.helpers import CRITERIA, SCORES, published
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

# (page, its address for the first organisation's slug, what of the tenth organisation it shows: "competition",
# "announcement", "agency" or an entry code's suffix; None where the page is about the first organisation only)
PUBLIC = [
    ("home", lambda slug: "/", "competition"),
    ("organisation home", lambda slug: reverse("kipp:organisation", args=[slug]), None),
    ("catalogue", lambda slug: reverse("records:catalogue"), "agency"),
    ("catalogue of one organisation", lambda slug: reverse("records:catalogue") + f"?organisation={slug}", None),
    ("api records", lambda slug: reverse("api:records"), "agency"),
    ("api records of one organisation", lambda slug: reverse("api:records") + f"?organisation={slug}", None),
    ("api announcements", lambda slug: reverse("api:announcements"), "announcement"),
    ("public announcement list", lambda slug: reverse("judging:public_list"), "announcement"),
    ("statistics", lambda slug: reverse("records:statistics"), None),
]
ORGANISER = [
    ("organiser's competitions", lambda slug: reverse("kipp:competitions"), "competition"),
    ("organiser's entries", lambda slug: reverse("entries:organiser_list"), None),  # a page of 50 of 60 entries
    ("organiser's submitted entries", lambda slug: reverse("entries:organiser_list") + "?status=submitted", "-S"),
    ("administrative selection", lambda slug: reverse("entries:selection"), "-F"),
    ("organiser's rounds", lambda slug: reverse("judging:round_index"), "competition"),
    ("organiser's announcements", lambda slug: reverse("judging:announcement_index"), "announcement"),
    ("audit log", lambda slug: reverse("kipp:audit_log"), None),
    ("records to manage", lambda slug: reverse("records:manage"), None),
]
VERIFIER = [("verifier's queue", lambda slug: reverse("entries:verify_queue"), "-S")]
JUDGE = [("judge's rounds", lambda slug: reverse("judging:my_rounds"), "competition")]


def _organisation(number):
    """The first is the tests' Sulawesi Selatan organisation; the others are the Biro Organisasi of other provinces."""
    if number == 0:
        return OrganisationFactory()
    province = Province.objects.exclude(code="73").order_by("code")[number - 1]
    return OrganisationFactory(
        slug=f"provinsi-{province.code}",
        name=f"Biro Organisasi Setda Provinsi {province.name}",
        level="provinsi",
        province=province,
    )


def _world(number, people):
    """One organisation with its competition, entries, a closed and published round, and records. Returns what its
    pages show of it: {"competition", "announcement", "agency", "-S", "-F"} (the last two: entry codes)."""
    organisation = _organisation(number)
    # The people measured hold memberships of every organisation, so that what they see grows with organisations.
    for organiser in people["organisers"]:
        Membership.objects.get_or_create(user=organiser, organisation=organisation, kind="organiser")
    Membership.objects.get_or_create(
        user=people["verifier"], organisation=organisation, kind="verifier", region=region("73.04")
    )
    Membership.objects.get_or_create(user=people["judge"], organisation=organisation, kind="judge")
    for person in (*people["organisers"], people["verifier"], people["judge"]):
        forget_memberships(person)  # the predicates read the new memberships
    competition = CompetitionFactory(organisation=organisation, code_prefix=f"ORG{number}")
    home_region = organisation.province.regions.exclude(kind="provinsi").order_by("code").first()
    agency = AgencyFactory(region=home_region, name=f"Dinas Kesehatan {home_region.full_name}")
    round_ = make_round(CRITERIA, competition=competition, state="open", k=2)
    judges = [add_judge(round_, people["judge"]), add_judge(round_)]
    for minutes, (code, sheets) in enumerate(SCORES.items()):
        entry = add_entry(round_, f"{competition.code_prefix}-{code}", minutes=minutes, agency=agency)
        for judge, (a, b) in zip(judges, sheets, strict=True):
            add_sheet(round_, entry, judge, {"a": a, "b": b})
    round_.state = "closed"
    round_.save(update_fields=["state"])
    number_text = f"065/{number}/II/B"
    published(round_, *people["organisers"], number=number_text, place=organisation.city or "Makassar")
    jeneponto = AgencyFactory(region=region("73.04"), name="Dinas Pendidikan Kabupaten Jeneponto")
    at = timezone.now() - datetime.timedelta(days=2)
    for suffix, status, agency_ in (("-S", "submitted", jeneponto), ("-F", "forwarded", agency)):
        EntryFactory(
            competition=competition,
            agency=agency_,
            code=f"ORG{number}{suffix}",
            status=status,
            submitted_at=at,
            forwarded_at=at if status == "forwarded" else None,
        )
    return {
        "organisation": organisation,
        "competition": competition.name,
        "announcement": number_text,
        "agency": agency.name,
        "-S": f"ORG{number}-S",
        "-F": f"ORG{number}-F",
    }


def _count(client, url):
    """The queries of one request, with every cache empty (what a page caches is built in the counted request,
    from the data of that moment), and the page's text."""
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), html.unescape(response.content.decode())


def _measure(client, first, people, shown=None):
    """{page: query count}; with `shown` (a world's markers), each page must show that world's row."""
    counts = {}
    for user, pages in (
        (None, PUBLIC),
        (people["organisers"][0], ORGANISER),
        (people["verifier"], VERIFIER),
        (people["judge"], JUDGE),
    ):
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, url, marker in pages:
            counts[name], body = _count(client, url(first["organisation"].slug))
            if shown is not None and marker is not None:
                assert shown[marker] in body, (name, shown[marker])
    client.logout()
    return counts


def test_every_list_page_keeps_its_query_count_with_one_and_with_ten_organisations(client, media_root):
    people = {
        "organisers": (OrganiserFactory(full_name="Organiser A"), OrganiserFactory(full_name="Organiser B")),
        "verifier": VerifierFactory(region=region("73.04")),
        "judge": JudgeFactory(full_name="Juri Semua Panel"),
    }
    first = _world(0, people)
    _measure(client, first, people)  # once, so that what a process caches once (content types, ...) is cached
    one = _measure(client, first, people, shown=first)
    for number in range(1, 10):
        last = _world(number, people)
    assert Organisation.objects.count() == 10
    assert Announcement.objects.filter(state="published").count() == 10
    assert InnovationRecord.objects.values("entry__competition__organisation").distinct().count() == 10
    assert Entry.objects.filter(status="submitted", agency__region__code="73.04").count() == 10
    assert _measure(client, first, people, shown=last) == one
