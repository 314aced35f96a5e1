"""The table: printed, and written to docs/benchmarks.md with the date, the machine and how to read it."""

import datetime
import os
import platform
import subprocess

from django.db import connection

MARK = {True: "PASS", False: "FAIL", None: ""}

ANALYSIS = """\
## What the figures rest on (2026-11-29, second session)

Earlier runs of the day missed 9 of 17 targets, on a machine shared with other test suites (load 3 to 16). What
changed since, and what each figure depends on:

- Ranking (judging.scoring.queries.round_ranking): one SQL statement per round. It now reads only the round's rows: its
  scores through the criterion index (`criterion_id = ANY(...)`), its sheets through the assignment index and its
  entries through the round-entry ids (`= ANY(ARRAY(SELECT ...))`), where it used to scan every round's scores,
  sheets and entries in the database (its cost grew with the database, not the round: 95 ms for the 141 entries of
  S in a database that also holds L). The panel-wide mean and sd are computed once (`all_stats` MATERIALIZED; the
  planner had re-aggregated them for every sheet row). Nested loops stay off (stale statistics in fresh databases
  made them take minutes), so every join is a hash or merge join fed by index scans of the round's ids. Python
  only sorts and formats rows.
- Organiser's round dashboard: its figures (ranking, progress, judges' distribution, entries short of judges) and
  its rendered ranking, progress and chart fragments are cached per committed state of the scoring data
  (judging/scoring/dashboard_cache.py, docs/judging.md): triggers add a row to judging_scoringchange for every statement
  on the tables the figures are read from, and the key is (count, newest id) of those rows, read before computing.
  The next request after any change recomputes; the table shows both the cached figure (the target) and the first
  request after a change. The dashboard shows a window (the rows down to just past the cut; pages of 250; all on
  request), and the comparison with the bare view uses the 250-row page.
- Public results page: published announcements change only by a new version; the rendered lists are cached per
  announcement id, version, state, options and language (judging/publication/cache.py), after the visibility
  check, which runs on every request.
- Burst of 64 judges: one submit is 10 SQL statements in one transaction (the assignment locked FOR UPDATE and its
  round FOR SHARE in one statement, then the sheet, any conflict and the criteria in one, then the writes and the
  audit event). PostgreSQL spent more time planning the submit's short lookups than running them (0.33-0.36 ms
  planning against 0.03-0.10 ms execution): the lock, the conflict-and-sheet read, the criteria and the session and
  user lookups of every signed-in request now run as server-side prepared statements (kipp/db.py; switch off with
  DB_PREPARED_STATEMENTS=0 behind a transaction-mode pooler). In-process a submit now costs about 2.5 ms of
  Python and 0.8-0.9 ms of PostgreSQL (3.7 ms wall). 64 at once on 2 CPUs (gunicorn with 2 sync workers,
  PostgreSQL and the load generator on the same CPUs) finish in about 64 x 5 ms / 2; a single burst swings by
  about 20%, so the burst runs once to warm up, then five times, and the target is on the median of the five p95.
  gthread workers measured slower here (the work is CPU, the threads contend for the GIL; figures in
  gunicorn.conf.py). Before the prepared statements the median p95 ranged 172-225 ms over about twenty runs
  (about half met 200 ms); after them 151-178 ms in runs of this section alone, and in full runs 195, 204 and 208
  ms until the load generator stopped collecting garbage during the burst (it is the benchmark process, holding the
  large datasets) and throughput and burst got a gunicorn each: then 159 and 165 ms.
- Exports at L: export_scores lets PostgreSQL write the CSV (COPY ... TO STDOUT, streamed to the file);
  export_results is the ranking at L plus one row per entry.
- JIT: measured off, on, then off again in the same run. The portal keeps jit=off (kipp/settings.py): it gains
  nothing at these sizes and added over a second to wide aggregates in peer tools.

"""

HOW_TO_READ = """\
## How to read it

- Each line is one figure measured in this run, beside its target; PASS or FAIL says whether it meets it.
  A line without a mark is context (a floor, a size), not a target.
- Datasets (seeded by `make bench` into the database `kipp_bench`, never the demo database `kipp`):
  S = 141 entries, 9 judges; M = 5,000 entries, 60 judges; L = 50,000 entries, 500 judges; every entry
  scored by 3 judges on 7 criteria (about 2% of sheets left as drafts, 0.5% of assignments recused);
  D = 2,000 entries, 30 judges, a round that ranks all 2,000 (42,000 scores; the dashboard comparison, like-for-like
  with pretalx's review dashboard: 2,000 submissions x 3 reviews x 7 weighted categories, 250 rows shown). Each
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
  line below it is its first request after a real change to the round (recomputed), median and max of 5.
- Dashboard vs bare: the organiser's round dashboard at D (its 250-row page, the ranking of all 2,000 entries)
  against a bare Django view (bench/views.py: one GROUP BY average over the same 42,000 scores, the same 250 rows
  in a plain template, uncached), median of 9 requests each, with PostgreSQL's
  JIT off (as the portal runs: kipp/settings.py sets `-c jit=off`) and on (SET jit = on in the same session),
  in the order off, on, off (the first pass warms the buffers); the dashboard's first request after a change is
  shown beside it.
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
  scores (the floor of recomputing from scores: the stored sheet totals must beat it, target 1.0x).
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
