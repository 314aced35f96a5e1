"""The table: printed, and written to docs/benchmarks.md with the date, the machine and how to read it."""

import datetime
import os
import platform
import subprocess

from django.db import connection

MARK = {True: "PASS", False: "FAIL", None: ""}

ANALYSIS = """\
## What the figures rest on (2026-12-01, dashboard session "dash", issue 18 item 3)

This run was made on the shared machine while other sessions ran their test suites (load average 5.3 at its start,
3.2 at its end, 2 to 9 for the whole hour on 2 CPUs; the calibration loop took 99 ms here, 89 ms at load 0.9 at the
start of the session and 190 ms in a full run of nearly the same code 25 minutes earlier, at load 6.5 to 3.7). Under
load the Python side of a figure loses more than PostgreSQL (a process of its own, often on the other CPU), so
ratios of Python work to an SQL floor swing widely between runs of the same code: ranking L / floor was 0.38x, 0.58x,
1.04x, 1.14x (that full run) and 0.69x (this run) in five runs at loads 6, 4, 3, 6 and 5. The lead re-runs
`make bench` on a quiet machine; read this table as "measured under load".

What changed in this session (commits on h/dash), and what each figure rests on:
- Stored entry totals (migration judging 0021_entry_totals, model EntryTotal, docs/judging.md): one row per entry and
  round, kept by triggers on the stored sheet totals in the same transaction (judges, mean and median of T_p,
  spread, outlying judges, mean n per criterion; one writer per entry until commit). Methods "mean" and "median" now
  read one row per entry (50,000 at L instead of 146,250 sheet totals); "normalised" still reads the sheet totals.
  The property test (tests/judging/scoring/test_stored_totals.py) checks after every random step that the entry
  totals equal a recomputation in Python, and a test with three concurrent transactions that two judges submitting
  sheets of one entry at once both count.
- The ranking's rows are fetched in PostgreSQL's binary format (at L the text parse took 0.2-0.3 s, binary 0.05 s)
  and Python's cycle collector is paused while the 50,000 row dicts are built (it walked every live object again and
  again: more than half of the Python time at L when other large objects were alive). Split at L at load 2.5, per
  call: statement and transfer 0.41-0.51 s (PostgreSQL's execution 173 ms of it; the rest is sending 50,000 rows of
  18 columns), row dicts 0.12-0.20 s, order 0.25-0.41 s, outcomes 0.06-0.11 s, tie notes 0.17-0.22 s, the deferred
  collection 0.11 s: 1.2-1.4 s (before: 1.6-1.8 s at load 3.5). L misses 0.5x: at L 49,971 of 50,000 entries share
  their total with another, so nearly every row needs tie-break parts and a tie note in Python.
- round_ranking's rows (every field, unrounded; methods mean, median, normalised; four tie-break orders) were
  compared before and after on S, M, D, L and the burst round: identical to the bit (the bench's later runs submit
  sheets of D again, which changes the order the normalised statement reads D's sheet totals in, so its means move
  in the last bit there, as they did before this session); on the demo's rounds the means
  of mean and median differ by at most 3e-14 (the entry totals sum the sheets in sheet id order, the statement before
  in the order it read them), with every rank, tie note and outcome the same. export_results (CSV and JSON) is
  byte-identical before and after on the demo's three rounds and on S, M, D and L.
- Dashboard, first request after a change: measured after a real change during live scoring, a sheet unlocked by
  the organiser and submitted again by its judge through the services, on an open round: MO (M's sizes, never
  published) and D. What it does: the ranking (from the entry totals), the judges' counts and the entries short of
  k (now one statement: the round's assignments read once; the replacement candidates' loads from those counts),
  the distribution, then the fragments: the ranking table's rows are written in Python (judging/scoring/
  ranking_table.py, the template's markup, compared equal on the demo and bench rounds in both languages; 250 rows
  went from about 50 ms to about 12 ms), and the figures are kept in the process's memory instead of being pickled
  into the shared cache (pickling 5,000 rows cost more than the rare second window at the same state saved). Timed in
  one process at D at load 7: 0.20 s = figures 0.106 (ranking 0.050, judges 0.021, short of k 0.014, candidates
  0.016) + ranking table 0.022 + chart 0.013 + the page 0.028 + the rest. D met 1.0x here (0.80x; 1.12x in the full
  run before, 1.43x in a section run at load 6; 2.63x at load 1.1 before this session's changes). MO missed it here
  (307 ms / floor 186 ms = 1.65x; 1.96x in the full run before) and met it in that section run (556 ms / 571 ms =
  0.97x): at M the floor is one aggregate PostgreSQL runs in one process, the request is the ranking of 5,000
  entries, three more statements, the fragments and the page in Python.
- Judge's queue and organiser's entry list at M: unchanged code (the entry list is entries/ code, another session's);
  here p95 64 ms and 122 ms (both met; at load 1.1 at the start of the session 54 ms and 119 ms; in the full run
  before, at load 6.5, 209 ms and 378 ms).
- Burst (1.96x; 1.81x before), throughput (0.88x), exports at L (export_scores 11.7 s; 13.1 s before): unchanged code
  paths apart from the submit's one extra trigger (the entry's totals: one entry per submit); they follow the load
  (the last quiet run, 2026-11-29 at load 1.5: throughput 1.31x, export_scores 2.7 s, export_results 2.4 s).
- Not run: publishing (issue 14) and the phone section (other sessions were changing them).

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
- Network (issue 13 item 9): its own organisations (bench/network_fixture.py, seeded once by bulk inserts, then
  reused): one Biro Organisasi per province of the areas tables (38) and KemenPANRB (national), each with two
  organisers (memberships), an open call of this year with entries spread over its province's regions (90 each;
  the national call 114 from every province: 3,534 in all, the national KIPP's yearly scale), and a 2023
  competition whose published final announcement lists 20 finalists, each a public innovation record (made with
  bench/records.py's functions); one agency and innovator in each of the 552 regions. Pages (Django's test
  client, median and p95 of 30 requests after a warm-up, response size, SQL queries counted on one request): the
  portal home (open calls grouped by organisation), /o/<slug>/, the catalogue filtered by province and by
  organisation, /api/v1/announcements/ (also by province) and /api/v1/records/ (also by organisation), the public
  announcement list, and the competition and entry lists of one organisation's organiser (the province with the
  most regions). Each page is measured twice: with every organisation in the database, then with one alone (every
  other organisation's competitions, entries, rounds, announcements, records, memberships and the organisations
  themselves deleted inside a transaction that is rolled back; the cache emptied before and after). Target: p95
  <= 150 ms with every organisation (the pages section's), and the same query count in both worlds. In a full
  `make bench` the database also holds the other sections' datasets and their organisations (S, M, L, the
  catalogue's 50,000 records; counted in "organisations on the portal", deleted too in the world of one).
  `--only network` seeds nothing else.
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
