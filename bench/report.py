"""The table: printed, and written to docs/benchmarks.md with the date, the machine and how to read it."""

import datetime
import os
import platform
import subprocess

from django.db import connection

MARK = {True: "PASS", False: "FAIL", None: ""}

ANALYSIS = """\
## What the figures rest on (2026-12-01, ranking session, issue 18 item 3)

This run was made on a machine shared with six other sessions' test suites, browsers and benchmarks (load average
4 to 14 on its 2 CPUs for the whole hour; 4.8 at the start of this run, 4.6 at its end). Every absolute time here
is inflated (the calibration loop took 199 ms against 87 ms at load 3.5 an hour earlier) and single figures swing
by 30-50% or more between runs of the same code: a full run of the same code eight minutes earlier (load 9 to 6)
had the dashboard's first request after a change at 1.53x of the bare view at D (0.76x here) and 1.32x of the
floor at M (2.40x here), the judge's queue at p95 123 ms (203 ms here), the burst at 6.21x of its floor (1.91x
here), throughput at 0.47x (1.00x here). Ratios within one run are steadier than absolute times, not steady. The
database is the system's PostgreSQL 15 (DATABASE_URL), not the embedded 18.

- Ranking (judging.scoring.queries.round_ranking) reads the stored sheet totals (judging/scoring/totals.py: one
  row per counting sheet, kept by triggers): 146,250 rows at L for 1,050,000 scores. This session: the statement
  is generated per method (the judges' and panel statistics only for "normalised", the median only for "median":
  PostgreSQL evaluates every aggregate of a CASE, so one statement for all three computed all of them); the order
  is computed without comparing whole keys (queries/ties.py RankOrder: rows grouped by their total, only rows
  still tied get their next part, once per distinct value; the part that separated a row from the one above is
  noted for mark_ties, which used to compare both rows' keys again part by part); the row dicts are built in one
  pass. round_ranking's rows (every field, unrounded) and export_results (CSV and JSON) were compared before and
  after on the demo and on S, M, L, D and P, with the methods mean, median and normalised and four tie-break
  orders: identical; so were the dashboard and snapshot pages. At the start of the session, at load 3.5: M 0.28 s
  / floor 0.22 s = 1.29x, L 2.87 s / 2.21 s = 1.29x; in this run M 0.57x, L 1.35x (1.08x in the run before).
- L misses 0.5x. Where its time goes (cProfile, this machine): about a third is the statement, two thirds Python:
  fetching 50,000 rows of 18 columns, building the 50,000 row dicts every consumer reads (dashboard, exports,
  snapshots, announcements), the order, and 48,553 tie notes: at L 49,971 of the 50,000 entries share their total
  with another (integer scores on small scales), so nearly every row needs tie-break parts and a tie note. Half of
  a bare GROUP BY over the 1,050,000 scores leaves about 4 microseconds per entry for the statement, the fetch and
  all of the Python: not reached with one Python dict per entry.
- Dashboard, first request after a change (target 1.0x): it recomputes the ranking (at D live from the stored
  totals; at M the round is published, so its ranking is the closed round's snapshot of 5,000 rows, decoded from
  JSON), the judges' progress, the entries short of judges with their replacement candidates and the distribution
  (five statements; the round's progress is now summed from the judges' counts instead of a query of its own),
  writes the figures to the cache (pickled: the 2,000 or 5,000 row dicts) and renders the table (each distinct
  number formatted once, no longer by a template filter per cell). Timed in one process at D (load 5): the whole
  request 252 ms = ranking 69 + the other figures 51 + the ranking table 60 (250 rows with their tie notes) + the
  cache writes 10 + the rest of the page, which the warm request renders too. D met 1.0x in this run and missed
  it in the run before; M misses it in both: its floor is one aggregate that PostgreSQL runs in one process, while
  the dashboard does six statements, the snapshot's JSON and the rendering, and under this load the Python side
  loses more than PostgreSQL does. Cached (between changes) the dashboard is 0.15x of the bare view at D.
- Judge's queue at M: 15 kB (open sheets first, finished ones folded and paged), p95 123 ms and 203 ms in the two
  runs: it follows the load.
- Burst: every burst stored exactly what was sent. The queueing floor's service time is measured one submit at a
  time after the bursts (30 ms here, 12 ms in the run before); the bursts ran against the other sessions' load, so
  p95 / floor (1.91x, 6.21x) measures the neighbours as much as the server. It needs the CPUs to itself.
- Throughput and the exports at L are the same code as in the last quiet run (2026-11-29, load 1.5: 1.31x, 2.7 s
  and 2.4 s); here they follow the load (export_scores 13.2 s, export_results 7.4 s; 9.5 s and 12.0 s before).
- JIT: off, on, then off again in the same run. The portal keeps jit=off (kipp/settings.py): at D the first
  request after a change took 1.0 s with it on (3.98x).

"""

HOW_TO_READ = """\
## How to read it

- Each line is one figure measured in this run, beside its target; PASS or FAIL says whether it meets it.
  A line without a mark is context (a floor, a size), not a target.
- Datasets (seeded by `make bench` into the database `kipp_bench`, never the demo database `kipp`):
  S = 141 entries, 9 judges; M = 5,000 entries, 60 judges; L = 50,000 entries, 500 judges; every entry
  scored by 3 judges on 7 criteria (about 2% of sheets left as drafts, 0.5% of assignments recused);
  D = 2,000 entries, 30 judges, a round that ranks all 2,000 (42,000 scores; the dashboard comparison, like-for-like
  with pretalx's review dashboard: 2,000 submissions x 3 reviews x 7 weighted categories, 250 rows shown);
  MO = M with its round open (never published: during live scoring its ranking is the live one). Each
  line names what it rests on: entries ranked, scores, rows shown, whether the cache was warm, and the floor a
  ratio divides by.
- Calibration: two fixed workloads timed in the run (a pure-Python loop and one SQL aggregate over
  generate_series): read another machine's figures against its own calibration lines, not against these.
- Ranking: the median time of `judging.scoring.queries.round_ranking(round)` (the product's ranking: method, tie-break,
  spread, outliers, criterion means), against the floor: one bare SQL GROUP BY over the same score rows (sheet
  totals, then the mean per entry), timed in the same run. The ratio is ranking / floor.
- Pages: requests through Django's test client in the benchmark process (no network), median and 95th
  percentile of 30 requests after a warm-up; SQL queries counted on one request at S and at M (the same count
  means no query per row). "not built yet" means the URL name did not resolve when the benchmark ran, or
  nothing was published to show.
- Pages: the organiser's round dashboard is measured as organisers read it between changes (from the cache); the
  lines below it are its first request after a change (recomputed), median and max of 5: at MO after a sheet is
  unlocked by the organiser and submitted again by its judge through the services (live scoring: the stored
  totals refreshed by the triggers, the scoring state moved on; the target), and at M (published: its ranking is
  the closed round's snapshot) after a statement on the round (context).
- Dashboard vs bare: the organiser's round dashboard at D (its 250-row page, the ranking of all 2,000 entries)
  against a bare Django view (bench/views.py: one GROUP BY average over the same 42,000 scores, the same 250 rows
  in a plain template, uncached), median of 9 requests each, with PostgreSQL's
  JIT off (as the portal runs: kipp/settings.py sets `-c jit=off`) and on (SET jit = on in the same session),
  in the order off, on, off (the first pass warms the buffers); the dashboard's first request after a change (a
  sheet unlocked and submitted again through the services) is shown beside it.
- Throughput: gunicorn with 2 workers and persistent connections (DEBUG off, like production), `wrk -t2 -c16
  -d10s` on the public results page and on a bare view (bench/views.py) that reads the same number of rows with
  one query and renders them in a plain table, uncached; gunicorn's queue is drained between the two.
- Burst: 64 judges, each with a logged-in session and the sheet page loaded, submit their score sheet at the
  same moment (64 threads, real HTTP against gunicorn started with gunicorn.conf.py; connections open and request
  bytes ready before the release, latency from sending to the whole response); the stored final sheets must equal
  what was sent, in every burst. One warm-up burst, then five timed; the target is on the median of their p95.
  The queueing floor beside it: the same 64 submits sent one at a time give the median service time s; with w
  workers, 64 requests arriving at once cannot all finish sooner than 64 / w x s, so p95 / floor says how much
  the server loses to contention beyond the queue itself (target 1.2x).
- Pages at M: the dashboard's first request after a change is divided by the bare SQL aggregate of the round's
  scores (the floor of recomputing from scores: the stored sheet and entry totals must beat it, target 1.0x at
  MO).
  Throughput and burst each start a gunicorn of their own.
- Exports at L: each command run as a child process; time is wall time, memory the child's peak resident set
  size (getrusage RUSAGE_CHILDREN).
- Phone (issue 15): the judge's queue and a score sheet page of an open presentation round (its own competition
  `bench-phone`: 50 entries whose proposals fill 75% of every section's word limit, about 6,000 words, two photos
  each; the first of 6 panelists has 20 sheets final and 2 drafts), loaded by the system Chromium (Playwright) at a
  phone's size from the benchmark's gunicorn, each in a fresh context (empty cache). Transferred = the sum of
  DevTools' encodedDataLength (headers and compressed body) of every response of the first load until the network
  is idle (target 100 kB each), with the split by type and Content-Encoding; a service worker's own fetches are
  shown apart. Slow 3G: Network.emulateNetworkConditions at 400 kbit/s down and up, 400 ms latency; usable = the
  first score control visible with its input enabled, after DOMContentLoaded and the first contentful paint, in the
  page's clock (median of 5, target 3 s). Chromium sends `br` only over HTTPS: over the benchmark's plain HTTP the
  static files come gzipped. `--only phone` seeds only its own round (quick).
- This machine has few cores: the load generator, gunicorn and PostgreSQL share them, so throughput figures
  are lower bounds for a real server. The run records the load average before and after: other work on the
  machine (test suites) inflates every absolute time; ratios measured in the same run are steadier.

## Running it, and adding a page

- `make bench` (= `.venv/bin/python -m bench`, options through `make bench BENCH_ARGS="..."`): creates the
  database `kipp_bench` on the same PostgreSQL server (the embedded one, or DATABASE_URL's server), seeds what is
  missing, measures, prints the table and writes this file. Seeding L takes a couple of minutes the first time;
  later runs reuse the datasets. Options: `--datasets S,M` (ranking table),
  `--only calibration,ranking,pages,dashboard,catalogue,throughput,burst,exports,publishing,phone`, `--reseed`,
  `--seed-only`, `--output ''` (print only), `--wrk-seconds N`. The quickest run: `--datasets S --only catalogue
  --output ''` (S and M are always seeded, except for `--only phone`, which seeds its own round only).
- The code is a top-level package `bench/` (not an installed app, never imported by the product): it spans the
  three layers (kipp, entries, judging), so it sits beside them rather than inside one. `bench/cli.py` is the
  command (`python -m bench`, with the product's settings) that starts the worker process (`python -m bench
  --worker`), which runs with `bench.settings` (the product's settings plus `bench.urls`, which adds the bare
  comparison views under `/__bench__/`; refuses any database but `kipp_bench`). The measurements are in
  `bench/measure/`, one module a section.
- A page is added to the benchmark by adding one line to `bench/pages.py` with its URL name (and arguments);
  a URL name that does not resolve yet is reported as "not built yet".
- Needs `wrk` (Debian package; `make bench` installs it when missing) for the throughput line.
"""


def machine():
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as handle:
            mem_kb = int(handle.readline().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        mem = "RAM unknown"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} CPUs, {mem}; {system}; Python {platform.python_version()}; PostgreSQL {pg}"


def table(rows):
    widths = [max(len(r.figure) for r in rows), max(len(r.value) for r in rows), max(len(r.target) for r in rows)]
    lines = []
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f"[{section}]")
        lines.append(
            f"  {row.figure:<{widths[0]}}  {row.value:<{widths[1]}}  {row.target:<{widths[2]}}  {MARK[row.ok]}".rstrip()
        )
    return "\n".join(lines)


def markdown(rows, started, elapsed, notes=()):
    out = [
        "# Benchmarks",
        "",
        f"Run: {started:%Y-%m-%d %H:%M} UTC, `make bench` (took {elapsed:.0f} s). Machine: {machine()}.",
        "",
        "| section | figure | value | target | |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        out.append(f"| {row.section} | {row.figure.strip()} | {row.value} | {row.target} | {MARK[row.ok]} |")
    passed = sum(1 for r in rows if r.ok is True)
    failed = [r for r in rows if r.ok is False]
    out += ["", f"{passed} targets met, {len(failed)} missed."]
    if notes:
        out += ["", "## Notes from this run", ""] + [f"- {n}" for n in notes]
    out += ["", ANALYSIS, HOW_TO_READ]
    return "\n".join(out) + "\n"


def git_revision():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return ""


def now_utc():
    return datetime.datetime.now(datetime.UTC)
