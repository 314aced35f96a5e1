"""The measurements of `make bench`, one module a section. Each returns rows for the table: (section, figure,
value, target, ok).

ok is True (meets the target), False (misses it) or None (no target: context, or the page is not built yet).

- common: the table row, medians and percentiles, formatting, the round measured;
- calibration (0: fixed Python and SQL workloads),
  ranking (1), page_figures (2), dashboard (3), throughput (4), burst (5), exports (6), catalogue,
  phone (the judge's pages in Chromium at a phone's size; its round: phone_fixture),
  network (every organisation on the portal against one; its organisations: bench/network_fixture.py);
- server: a gunicorn of the benchmark's own (bench.settings) and plain HTTP requests to it.
"""

from bench.measure.burst import measure_burst
from bench.measure.calibration import measure_calibration
from bench.measure.catalogue import measure_catalogue_search
from bench.measure.common import Row
from bench.measure.dashboard import measure_dashboard_vs_bare
from bench.measure.exports import measure_exports
from bench.measure.network import measure_network
from bench.measure.page_figures import measure_pages
from bench.measure.phone import measure_phone
from bench.measure.publish import measure_publish
from bench.measure.ranking import measure_ranking
from bench.measure.server import bench_env, gunicorn
from bench.measure.throughput import measure_throughput

__all__ = [
    "Row",
    "bench_env",
    "gunicorn",
    "measure_burst",
    "measure_calibration",
    "measure_catalogue_search",
    "measure_dashboard_vs_bare",
    "measure_exports",
    "measure_network",
    "measure_pages",
    "measure_phone",
    "measure_publish",
    "measure_ranking",
    "measure_throughput",
]
