"""The network section of `make bench` (bench/measure/network.py, issue 13 item 9), on a small scale: its fixture has
every province and the national organisation, and no list page it measures costs a query per organisation. Its
times are benchmark figures, not asserted here (a shared test run measures the machine's load)."""

import pytest
from django.utils import timezone

from bench.measure.network import measure_network
from bench.network_fixture import SLUG_PREFIX, Scale, ensure_network
from entries.models import Entry
from judging.publication.queries import visible_announcements
from judging.records.queries import public_records
from kipp.models import Competition, Membership, Organisation, Province
from kipp.organisations.enums import MembershipKind
from kipp.organisations.queries import open_calls_by_organisation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SMALL = Scale(per_province=3, national=4, finalists=2)


def test_the_network_has_every_province_and_the_national_organisation_each_with_its_calls_and_results():
    network = ensure_network(SMALL)
    assert network.seeded
    assert ensure_network(SMALL).seeded is False  # seeded once, then reused

    organisations = Organisation.objects.filter(slug__startswith=SLUG_PREFIX)
    provinces = set(Province.objects.values_list("code", flat=True))
    assert len(provinces) == 38
    codes = list(organisations.values_list("province__code", flat=True))
    assert sorted(c for c in codes if c) == sorted(provinces) and codes.count(None) == 1  # + the national one
    organisers = Membership.objects.filter(organisation__in=organisations, kind=MembershipKind.ORGANISER)
    assert set(organisers.values_list("organisation_id", flat=True)) == set(organisations.values_list("pk", flat=True))

    # this year's calls are open, each province's entries lie in its own regions, spread over them
    calls = Competition.objects.filter(organisation__in=organisations, year=2027)
    now = timezone.now()
    assert calls.count() == 39 and all(c.opens_at <= now < c.closes_at for c in calls)
    for call in calls.select_related("organisation"):
        entries = Entry.objects.filter(competition=call)
        if call.organisation.province_id:
            assert entries.count() == SMALL.per_province
            assert set(entries.values_list("agency__region__province_id", flat=True)) == {call.organisation.province_id}
            assert entries.values("agency__region").distinct().count() == SMALL.per_province
        else:
            assert entries.values("agency__region__province").distinct().count() == SMALL.national
    grouped = dict(open_calls_by_organisation(now))
    assert set(organisations) <= set(grouped)

    # each organisation's 2023 final announcement is public and lists its finalists, each a public record
    public = visible_announcements().filter(round__competition__organisation__in=organisations)
    assert public.count() == 39
    assert public_records().filter(history__competition__organisation__in=organisations).count() == 39 * 2
    assert network.records == 39 * 2 and network.entries == 38 * SMALL.per_province + SMALL.national


def test_no_page_of_the_network_section_costs_a_query_per_organisation(media_root):
    rows = measure_network(runs=1, scale=SMALL)

    assert not [r for r in rows if r.value.startswith("HTTP")]  # every page answered 200 in both worlds
    counts = [r for r in rows if r.target == "same"]
    assert len(counts) == 11
    assert [(r.figure, r.value) for r in counts if not r.ok] == []
    assert rows[0].value.endswith("organisations on the portal")
