"""The catalogue search at 50,000 records (issue 7)."""

from bench.measure.common import Row, ms
from bench.progress import say
from bench.records import bench_catalogue_search


def measure_catalogue_search(n=50_000):
    """Issue 7: a full-text catalogue search ("putus sekolah") over n innovation records, first page and count."""
    say(f"Catalogue: making sure {n:,} records exist (first run seeds them) ...")
    median_s, matches = bench_catalogue_search(n)
    return [
        Row(
            "catalogue",
            f"search 'putus sekolah' at {n:,} records ({matches:,} matches)",
            ms(median_s),
            "< 200 ms",
            median_s < 0.2,
        )
    ]
