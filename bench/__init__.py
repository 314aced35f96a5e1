"""The benchmark of issue 6 (`make bench` -> `python -m bench`, bench.cli). Not part of the product.

- bench.seed: datasets S, M, L (and D, the 2,000-entry dashboard comparison; B, the burst round) written with
  INSERT ... SELECT generate_series into a database of its own (kipp_bench), never the demo database.
- bench.measure: the figures, one module a section (ranking vs a bare SQL floor, pages, dashboard vs a bare view,
  the catalogue search, wrk throughput, a burst of 64 judges over HTTP, exports at L).
- bench.cli: the command (`python -m bench`) and the worker process it starts.
- bench.settings / bench.urls / bench.views: the product's settings and URLs plus bare comparison views under
  /__bench__/, used only by the benchmark's own processes (gunicorn and the in-process test client).
- bench.report: the table printed and written to docs/benchmarks.md.
- bench.progress: progress lines with an estimate of the time left.
"""
