"""The catalogue search over many records finds exactly the matching ones. Its speed (under 200 ms at 50,000
records, issue 7) is a benchmark figure measured by `make bench`, not asserted here: wall time in a shared test
run measures the machine's load, not the query. KIPP_BENCH_RECORDS=50000 runs this check at the full size."""

import os

import pytest

from bench.records import bench_catalogue_search

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

N = int(os.environ.get("KIPP_BENCH_RECORDS", "2000"))


def test_catalogue_search_finds_every_match_among_many_records():
    median, matches = bench_catalogue_search(N, runs=1)
    print(f"catalogue search at {N:,} records: {median * 1000:.1f} ms, {matches} matches")
    assert matches == N // 100
