"""`make bench` (`python -m bench`): seed the benchmark datasets into a database of their own and print the table
(issue 6).

It runs in two processes. The first (with the product's settings, kipp.settings unless DJANGO_SETTINGS_MODULE
says otherwise, as manage.py does) creates the database `kipp_bench` on the same PostgreSQL server (the embedded
one, or DATABASE_URL's) and starts the second, `python -m bench --worker`, with DATABASE_URL pointing at kipp_bench
and DJANGO_SETTINGS_MODULE=bench.settings (which refuses any other database). The second migrates, seeds what is
missing (bench.seed), measures (bench.measure) and writes the table. The demo database is never touched.
See docs/benchmarks.md.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlparse, urlunparse

BENCH_DB = os.environ.get("KIPP_BENCH_DB_NAME", "kipp_bench")
SECTIONS = (
    "calibration",
    "ranking",
    "pages",
    "dashboard",
    "catalogue",
    "throughput",
    "burst",
    "exports",
    "publishing",
    "phone",
    "network",
)


class BenchError(Exception):
    """The benchmark cannot run: printed as one line, exit status 1."""


def parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Seed the benchmark datasets (S, M, L) into kipp_bench and print the table of figures and targets.",
    )
    parser.add_argument("--datasets", default="S,M,L", help="datasets for the ranking table (default S,M,L)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run, of {','.join(SECTIONS)}")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the datasets again")
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    parser.add_argument("--output", default="docs/benchmarks.md", help="where to write the table ('' = don't)")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--worker", action="store_true", help="internal: the process that seeds and measures")
    return parser


def main(argv=None):
    options = vars(parser().parse_args(argv))
    if not options["worker"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kipp.settings")
    import django

    django.setup()
    try:
        if options["worker"]:
            worker(options)
        else:
            start_worker(options)
    except BenchError as error:
        sys.exit(f"bench: {error}")


def bench_database_url():
    """DATABASE_URL of the benchmark database on the same server as the product's database."""
    from django.conf import settings

    if os.environ.get("DATABASE_URL"):
        parts = urlparse(os.environ["DATABASE_URL"])
        return urlunparse(parts._replace(path=f"/{BENCH_DB}"))
    db = settings.DATABASES["default"]
    host = quote(db["HOST"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}@{host}{port}/{BENCH_DB}"


def ensure_bench_database():
    import psycopg2
    from django.conf import settings
    from psycopg2 import errors

    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"],
        port=db["PORT"] or None,
    )
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
            if cursor.fetchone() is None:
                with contextlib.suppress(errors.DuplicateDatabase):
                    cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    finally:
        conn.close()


def worker_argv(options):
    """The worker's command line: this module again, with --worker and the same options."""
    argv = [sys.executable, "-m", "bench", "--worker"]
    for name in ("datasets", "only", "output"):
        argv += [f"--{name}", options[name]]
    argv += ["--wrk-seconds", str(options["wrk_seconds"])]
    argv += ["--reseed"] if options["reseed"] else []
    argv += ["--seed-only"] if options["seed_only"] else []
    return argv


def start_worker(options):
    from django.conf import settings

    from bench.measure import bench_env

    if settings.DATABASES["default"]["NAME"] == BENCH_DB:
        raise BenchError("run `python -m bench` with the product's settings; it starts its own worker.")
    ensure_bench_database()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.update({k: v for k, v in bench_env().items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    env["DATABASE_URL"] = bench_database_url()
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    print(f"Benchmark database: {BENCH_DB} (the demo database is not touched)", file=sys.stderr)
    completed = subprocess.run(worker_argv(options), cwd=settings.BASE_DIR, env=env, check=False)
    if completed.returncode:
        raise BenchError(f"benchmark worker failed (exit {completed.returncode})")


def seed_for(options, sections):
    """Migrate the benchmark database and seed the datasets the chosen sections need (S and M always)."""
    from django.core.management import call_command

    from bench.progress import say
    from bench.seed import ensure_datasets

    say("Migrating the benchmark database ...")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    # the phone and network sections seed their own (bench/measure/phone_fixture.py, bench/network_fixture.py)
    if sections <= {"phone", "network"}:
        return [], {}
    names = [n for n in options["datasets"].split(",") if n]
    needed = list(dict.fromkeys(names + ["S", "M"] + (["D"] if "dashboard" in sections else [])))
    if "pages" in sections and "MO" not in needed:
        needed.append("MO")
    if "exports" in sections and "L" not in needed:
        needed.append("L")
    if "publishing" in sections and "P" not in needed:
        needed.append("P")
    return names, ensure_datasets(needed, reseed=options["reseed"])


def measure_sections(sections, names, datasets, wrk_seconds):
    """The rows of every chosen section, in the table's order."""
    from bench import measure
    from bench.progress import say

    rows = []
    steps = [
        ("calibration", measure.measure_calibration),
        ("ranking", lambda: measure.measure_ranking({n: datasets[n] for n in names})),
        ("pages", lambda: measure.measure_pages(datasets)),
        ("dashboard", lambda: measure.measure_dashboard_vs_bare(datasets["D"])),
        ("catalogue", lambda: measure.measure_catalogue_search()),
    ]
    for name, step in steps:
        if name in sections:
            say(f"Measuring {name} ...")
            rows += step()
    # Each of the two gets a gunicorn of its own (2 workers, gunicorn.conf.py), so the burst does not start on a
    # server that wrk has just filled with hundreds of closed connections.
    if "throughput" in sections:
        say("Starting gunicorn (2 workers); measuring throughput with wrk ...")
        with measure.gunicorn(workers=2) as port:
            rows += measure.measure_throughput(port, datasets["M"], seconds=wrk_seconds)
    if "burst" in sections:
        say("Starting gunicorn (2 workers); measuring the burst of 64 judges ...")
        with measure.gunicorn(workers=2) as port:
            rows += measure.measure_burst(port, datasets["M"], workers=2)
    if "exports" in sections:
        say("Measuring exports at L ...")
        rows += measure.measure_exports(datasets["L"])
    if "publishing" in sections:
        say("Measuring publishing to every entrant (S and P) and the worker's delivery ...")
        rows += measure.measure_publish(datasets)
    if "phone" in sections:
        say("Starting gunicorn (2 workers); loading the judge's pages in Chromium at a phone's size ...")
        with measure.gunicorn(workers=2) as port:
            rows += measure.measure_phone(port)
    if "network" in sections:
        say("Measuring the network: 38 provinces and the national organisation, against one organisation ...")
        rows += measure.measure_network()
    return rows


def load_note(load_start, load_end):
    busy = max(load_start, load_end) > os.cpu_count()
    return (
        f"Load average (1 min) on this machine's {os.cpu_count()} CPUs: {load_start:.1f} at the start of the run, "
        f"{load_end:.1f} at the end"
        + (f" (above {os.cpu_count()}: other work competed for the CPUs)." if busy else " (no other load).")
    )


def print_and_write(rows, notes, started, elapsed, output):
    from django.conf import settings

    from bench import report

    print("")
    print(report.table(rows))
    failed = sum(1 for r in rows if r.ok is False)
    print(f"\n{sum(1 for r in rows if r.ok)} targets met, {failed} missed ({elapsed:.0f} s).")
    for note in notes:
        print(note)
    if output:
        path = Path(settings.BASE_DIR) / output
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report.markdown(rows, started, elapsed, notes), encoding="utf-8")
        print(f"Written to {output}")


def worker(options):
    """The second process (bench.settings, the benchmark database): seed, measure, print and write the table."""
    from bench import report

    started, t0 = report.now_utc(), time.monotonic()
    load_start = os.getloadavg()[0]
    sections = set(options["only"].split(","))
    names, datasets = seed_for(options, sections)
    if options["seed_only"]:
        return
    rows = measure_sections(sections, names, datasets, options["wrk_seconds"])
    elapsed = time.monotonic() - t0
    notes = [load_note(load_start, os.getloadavg()[0])]
    print_and_write(rows, notes, started, elapsed, options["output"])
