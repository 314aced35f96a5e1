"""The catalogue search at 50,000 records (issue 7, "Done when"): under 200 ms. Seeding 50,000 records takes a
while, so the full size runs only with KIPP_BENCH_RECORDS=50000 (the default suite checks 2,000); `make bench` has
no extension point for it yet: judging.records_queries.bench_catalogue_search(n) is the function to call."""

import os

import pytest

from judging.records_queries import bench_catalogue_search

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

N = int(os.environ.get("KIPP_BENCH_RECORDS", "2000"))


def test_catalogue_search_is_fast():
    median, matches = bench_catalogue_search(N)
    print(f"catalogue search at {N:,} records: {median * 1000:.1f} ms (median), {matches} matches")
    assert matches == N // 100
    assert median < 0.2
