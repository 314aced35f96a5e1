"""The table: printed, and written to docs/benchmarks.md with the date, the machine and how to read it."""

import datetime
import os
import platform
import subprocess

from django.db import connection

MARK = {True: "PASS", False: "FAIL", None: ""}

ANALYSIS = """\
## What the figures rest on (2026-12-02, issue 18, second session of the day)

This run was made on a quiet machine (the load is in the notes above; the calibration lines read it against other
runs: this machine's loop and aggregate took 55% of the times of the machine of the morning's table, and most
figures moved with them). What changed since the morning's table, and what each figure rests on:
- Ranking L (and S, M, MO, D: the same function): round_ranking builds its rows in one pass, in rank order
  (judging/scoring/queries/ranking.py `_ranked_rows`): the order is computed from the statement's columns first
  (RankOrder.ordering), then each row's dict is written once with its rank, outcome and tie note, where before the
  rows were built, sorted, given ranks and outcomes, and given tie notes in four passes. The statement
  (judging/scoring/queries/statement.py) sends each entry's criteria means as the stored array, decoded for every
  row at once by numpy from the bytes PostgreSQL sends, instead of seven subscripts per row on the server (a third
  of its time) decoded one value at a time; submission times come as timestamps (no conversion per row). Timed in
  one process at L (median of 5, same minutes): 0.55 s before, 0.47 s with the one pass, 0.42-0.44 s with the
  arrays, against a floor of 1.02-1.11 s (0.53x before, 0.40-0.43x after). The rows (every field, every float to
  the bit, the key order of every dict) were identical before and after on every round of the benchmark database
  under each method and every tie-break order (2,258 rankings, 858,592 rows), and the demo's export_results and
  export_scores files byte-identical under mean, median and normalised.
- Dashboard, first request after a change (MO and D), as in the morning's table: an open round's ranking is brought
  up to date from the entries whose stored totals changed (judging/scoring/queries/live.py; docs/judging.md "The
  live ranking during scoring"), and the short list and replacement candidates are kept while only sheets change.
  Organiser pages filter by organisation through the rounds' and competitions' keys (kipp/scopes.py `within`);
  network pages read an organisation's records as ids, and the catalogue's filter lists are cached (judging 0024).
- Organiser's pages, this session's additions: the ranking table's number of judges links to the entry's sheets,
  rule notes name categories by their names (a query only for a round with selection rules).
- Organiser's entry list, filtered: on a freshly seeded database it took 0.8 s (829 ms / 857 ms in this session's
  first run): autovacuum is off on this machine's PostgreSQL, the region filter's choices were planned from the
  statistics of an empty regions table (210 rows estimated, 552 there) and the server-side cursor of the choice
  list took a plan for the first rows. The benchmark now analyses every table before a run (bench/seed.py), as
  autovacuum does on a live database: 0.06-0.14 s per request then, in one process.
- Burst: gunicorn's workers collect once and freeze the application's objects after start (gunicorn.conf.py):
  a full collection walked about 156,000 of them, 40 ms on the request that happened to trigger it. The submit's
  time in the worker (gunicorn's access log, this session): median 9-12 ms in a burst, 9-10 ms one at a time;
  the p95 of a burst is close to the sum of its 64 service times over the 2 workers, so p95 / floor moves with the
  spread of service times under load (1.00x to 1.22x in this session's runs).
- Burst: p95 at most 200 ms (issue 6's target) cannot be met by this submit: 64 submits on 2 workers cannot all
  finish before 32 service times (the floor printed beside it, 300-340 ms here). Issue 18's target is the ratio to
  that floor.
- Publishing S / P (issue 14's target, at most 1.5x between S and P): the approve request is 28-70 ms at S and
  30-110 ms at P from run to run; the ratio was 1.16x-1.18x in this session's last two runs, 1.4x to 1.9x in its others.
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
