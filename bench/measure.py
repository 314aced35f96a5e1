"""The measurements of `make bench`. Each returns rows for the table: (section, figure, value, target, ok).

ok is True (meets the target), False (misses it) or None (no target: context, or the page is not built yet).
"""

import gc
import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, reset_queries
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.pages import PAGES
from bench.progress import Progress, say
from bench.seed import ROUND_SLUG, reset_burst
from judging.models import Criterion, Round, Score, ScoreSheet
from judging.scoring.queries import round_ranking
from kipp.models import User

BASE_DIR = Path(settings.BASE_DIR)


@dataclass
class Row:
    section: str
    figure: str
    value: str
    target: str = ""
    ok: bool | None = None


def median(values):
    return statistics.median(values)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def timed(fn, runs):
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def ms(seconds):
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:,.1f} ms"


def secs(seconds):
    return f"{seconds:,.2f} s"


def bench_round(comp, slug=ROUND_SLUG):
    return Round.objects.select_related("competition").get(competition=comp, slug=slug)


# 1. Ranking a round vs the bare SQL floor ----------------------------------------------------------------------

FLOOR_SQL = """
SELECT t.entry_id, AVG(t.total), COUNT(*), STDDEV_POP(t.total)
FROM (
    SELECT a.entry_id, SUM(c.weight * 100.0 * (sc.value - c.scale_min) / (c.scale_max - c.scale_min))
           / SUM(c.weight) AS total
    FROM judging_score sc
    JOIN judging_scoresheet s ON s.id = sc.sheet_id
    JOIN judging_assignment a ON a.id = s.assignment_id
    JOIN judging_criterion c ON c.id = sc.criterion_id
    WHERE a.round_id = %s AND s.state = 'final'
    GROUP BY s.id, a.entry_id
) t GROUP BY t.entry_id
"""


def floor_query(round_):
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [round_.pk])
        return cursor.fetchall()


def measure_ranking(datasets):
    rows = []
    for name, comp in datasets.items():
        if name not in ("S", "M", "L"):
            continue
        round_ = bench_round(comp)
        criteria = list(Criterion.objects.filter(round=round_).order_by("order", "id"))
        runs = 3 if name == "L" else 5
        round_ranking(round_, criteria=criteria)  # warm the cache
        floor_query(round_)
        ranking = median(timed(lambda r=round_, c=criteria: round_ranking(r, criteria=c), runs))
        floor = median(timed(lambda r=round_: floor_query(r), runs))
        ratio = ranking / floor if floor else float("inf")
        scores = Score.objects.filter(sheet__assignment__round=round_).count()
        label = f"ranking {name} ({scores:,} scores), median of {runs}"
        if name == "M":
            rows.append(Row("ranking", label, secs(ranking), "<= 0.5 s", ranking <= 0.5))
            rows.append(
                Row("ranking", "  M: bare SQL floor / ratio", f"{ms(floor)} / {ratio:.2f}x", "<= 2x", ratio <= 2)
            )
        elif name == "L":
            rows.append(Row("ranking", label, secs(ranking), "<= 5 s", ranking <= 5))
            rows.append(Row("ranking", "  L: bare SQL floor / ratio", f"{secs(floor)} / {ratio:.2f}x", "", None))
        else:
            rows.append(Row("ranking", label, ms(ranking), "", None))
            rows.append(Row("ranking", f"  {name}: bare SQL floor / ratio", f"{ms(floor)} / {ratio:.2f}x", "", None))
    return rows


# 2. Pages at S and M: latency and query count ----------------------------------------------------------------


def _context(comp):
    round_ = bench_round(comp)
    judge = User.objects.filter(assignments__round=round_).order_by("email").first()
    entry = comp.entries.order_by("id").first()
    return {
        "competition": comp.slug,
        "competition_id": comp.pk,
        "round": round_.slug,
        "round_id": round_.pk,
        "region_id": entry.agency.region_id,
        "entry": entry.pk,
        "announcement": _announcement_for(round_),
        "judge": judge,
    }


def _announcement_for(round_):
    """The published announcement of the round, when the publishing part exists and one is published."""
    try:
        from judging.publication import models as publication_models
    except ImportError:
        return None
    model = getattr(publication_models, "Announcement", None)
    if model is None:
        return None
    fields = {f.name for f in model._meta.get_fields()}
    if "round" not in fields:
        return None
    found = model.objects.filter(round=round_).order_by("-pk").first()
    return found.pk if found else None


def resolve(page, ctx):
    """The URL of a page in this context, or None when it is not built (no such URL name) or has no object."""
    if page.url.startswith("/"):
        url = page.url.format(**ctx)
    else:
        args = [a.format(**ctx) for a in page.args]
        if any(a in ("None", "") for a in args):
            return None
        url = None
        for name in (page.url, *page.alternatives):
            try:
                url = reverse(name, args=args)
                break
            except NoReverseMatch:
                continue
        if url is None:
            return None
    return url + ("?" + page.query.format(**ctx) if page.query else "")


def client_for(page, ctx):
    client = Client()
    if page.user == "organiser":
        client.force_login(User.objects.get(email="penyelenggara@bench.kipp.id"))
    elif page.user == "judge":
        client.force_login(ctx["judge"])
    return client


def page_figures(page, ctx, runs, budget=20.0):
    url = resolve(page, ctx)
    if url is None:
        return None
    client = client_for(page, ctx)
    response = client.get(url)
    if response.status_code != 200:
        return {"url": url, "status": response.status_code}
    reset_queries()  # CaptureQueriesContext slices the log from its length before the request: start it empty
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        client.get(url)
        first = time.perf_counter() - start
    query_count = len(queries)  # read now: captured_queries slices the live log, which later requests reset
    # at most ~budget seconds per page: a page far over its target is measured fewer times (n is reported)
    runs = max(3, min(runs, int(budget / max(first, 1e-3))))
    times = timed(lambda: client.get(url), runs)
    return {
        "url": url,
        "status": 200,
        "median": median(times),
        "p95": p95(times),
        "queries": query_count,
        "runs": runs,
        "bytes": len(response.content),
    }


def note_change(round_id):
    """A real change to the round (a statement on judging_round): the dashboard's cached figures no longer apply."""
    Round.objects.filter(pk=round_id).update(name=F("name"))


def dashboard_after_change(page, ctx, runs=5):
    """The dashboard's first request after each of `runs` changes: figures recomputed, fragments rendered again."""
    url = resolve(page, ctx)
    client = client_for(page, ctx)
    times = []
    for _ in range(runs):
        note_change(ctx["round_id"])
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return Row(
        "pages at M",
        f"  {page.label}, first request after a change (cache miss): median / max (n={runs})",
        f"{ms(median(times))} / {ms(max(times))}",
        "",
        None,
    )


def measure_pages(datasets, runs=30):
    rows = []
    ctx_s, ctx_m = _context(datasets["S"]), _context(datasets["M"])
    progress = Progress("pages at S and M", len(PAGES) * 2)
    for page in PAGES:
        at_s = page_figures(page, ctx_s, 3)
        progress.advance()
        at_m = page_figures(page, ctx_m, runs)
        progress.advance()
        if at_m is None:
            rows.append(Row("pages at M", page.label, "not built yet (no URL or nothing published)", "", None))
            continue
        if at_m["status"] != 200:
            rows.append(Row("pages at M", page.label, f"HTTP {at_m['status']} at {at_m['url']}", "200", False))
            continue
        rows.append(
            Row(
                "pages at M",
                f"{page.label}: median / p95 (n={at_m['runs']}, {at_m['bytes'] / 1000:,.0f} kB)",
                f"{ms(at_m['median'])} / {ms(at_m['p95'])}",
                "p95 <= 150 ms",
                at_m["p95"] <= 0.150,
            )
        )
        if page.url == "judging:round_dashboard":
            rows.append(dashboard_after_change(page, ctx_m))
        same = at_s is not None and at_s.get("queries") == at_m["queries"]
        rows.append(
            Row(
                "pages at M",
                f"  {page.label}: SQL queries S / M",
                f"{at_s.get('queries') if at_s else '?'} / {at_m['queries']}",
                "same",
                same,
            )
        )
    progress.finish()
    return rows


# 3. The dashboard at 2,000 entries (250 ranked rows) vs a bare view, JIT on and off ------------------------------


def set_jit(on):
    with connection.cursor() as cursor:
        cursor.execute(f"SET jit = {'on' if on else 'off'}")
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


def measure_dashboard_vs_bare(comp, runs=9, cold_runs=5):
    """The dashboard's 250-row page against the bare view, medians, JIT off then on then off again (the first pass
    warms PostgreSQL's buffers for both). Warm: the dashboard as organisers read it between changes (figures and
    fragments from the cache). After a change: its first request after a real change to the round (recomputed)."""
    round_ = bench_round(comp)
    organiser = User.objects.get(email="penyelenggara@bench.kipp.id")
    client = Client()
    client.force_login(organiser)
    # the first page of the ranking: 250 rows (the default view shows the rows down to just past the cut)
    dashboard_url = reverse("judging:round_dashboard", args=[comp.slug, round_.slug]) + "?halaman=1"
    bare_url = reverse("bench_bare_ranking", args=[comp.slug, round_.slug]) + "?rows=250"
    ranked = len(round_ranking(round_))
    shown = client.get(dashboard_url).content.count(b"data-rank=")
    results = {}
    for jit in (False, True, False):
        for label, url in (("dashboard", dashboard_url), ("bare", bare_url)):
            set_jit(jit)
            if client.get(url).status_code != 200:
                results[(jit, label)] = None
                continue
            set_jit(jit)  # the request may have reconnected
            results[(jit, label)] = median(timed(lambda u=url: client.get(u), runs))
        cold = []
        for _ in range(cold_runs):
            note_change(round_.pk)
            set_jit(jit)
            start = time.perf_counter()
            client.get(dashboard_url)
            cold.append(time.perf_counter() - start)
        results[(jit, "cold")] = median(cold)
    set_jit(False)
    rows = []
    for jit in (False, True):
        dash, bare, cold = results[(jit, "dashboard")], results[(jit, "bare")], results[(jit, "cold")]
        tag = "JIT on" if jit else "JIT off"
        if dash is None or bare is None:
            rows.append(Row("dashboard vs bare", f"dashboard D ({tag})", "page did not answer 200", "", False))
            continue
        ratio = dash / bare
        rows.append(
            Row(
                "dashboard vs bare",
                f"dashboard at 2,000 entries, {shown} of {ranked} rows, {tag}: dashboard / bare / ratio",
                f"{ms(dash)} / {ms(bare)} / {ratio:.2f}x",
                "<= 2x" if not jit else "(portal runs JIT off)",
                ratio <= 2 if not jit else None,
            )
        )
        rows.append(
            Row(
                "dashboard vs bare",
                f"  {tag}, dashboard's first request after a change (cache miss) / bare / ratio",
                f"{ms(cold)} / {ms(bare)} / {cold / bare:.2f}x",
                "",
                None,
            )
        )
    return rows


# 4 and 5. gunicorn: wrk throughput and the burst of 64 judges -------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(**extra):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(BASE_DIR / "var" / "bench-static"),
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "locmem://",
        }
    )
    env.update(extra)
    return env


@contextmanager
def gunicorn(workers=None):
    """gunicorn as `make serve` starts it: the settings of gunicorn.conf.py (worker class, workers, threads)."""
    env = bench_env()
    port = free_port()
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    args = [gunicorn_bin, "kipp.wsgi", "--config", str(BASE_DIR / "gunicorn.conf.py")]
    args += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    if workers is not None:
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(args, cwd=BASE_DIR, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status = http_get(port, "/")[0]
                if status < 500:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def http_get(port, path, cookies=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, response.headers.get_all("Set-Cookie") or []


def parse_cookies(set_cookie_headers):
    jar = {}
    for header in set_cookie_headers:
        cookie = SimpleCookie()
        cookie.load(header)
        for key, morsel in cookie.items():
            jar[key] = morsel.value
    return jar


def drain(port, limit=120):
    """Wait until gunicorn has worked off the requests wrk left queued (its connections close, the requests stay):
    two requests in a row to a cheap page must come back quickly."""
    deadline = time.monotonic() + limit
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        start = time.perf_counter()
        http_get(port, reverse("kipp:login"))
        quick = quick + 1 if time.perf_counter() - start < 0.5 else 0


def wrk(port, path, seconds=10, connections=16):
    drain(port)
    http_get(port, path)  # warm
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    say("    wrk " + path + ": " + " | ".join(line.strip() for line in out.splitlines() if line.strip()))
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (int(timeouts.group(1)) if timeouts else 0)
    return float(match.group(1)), errors


def measure_throughput(port, comp, seconds=10):
    rows = []
    round_ = bench_round(comp)
    public = next(p for p in PAGES if p.user == "anonymous")
    ctx = _context(comp)
    url = resolve(public, ctx)
    if url is None:
        rows.append(Row("throughput", "public results page (wrk, 16 connections)", "not built yet", "", None))
        bare_rows = 50
    else:
        status, body, _ = http_get(port, url)
        bare_rows = max(1, body.count(b"<tr") - 1)
    bare = reverse("bench_bare_results", args=[comp.slug, round_.slug]) + f"?rows={bare_rows}"
    if url is not None:
        rps, errors = wrk(port, url, seconds)
    bare_rps, bare_errors = wrk(port, bare, seconds)
    drain(port)
    if url is not None:
        ratio = rps / bare_rps
        rows.append(
            Row(
                "throughput",
                f"public results page / bare view ({bare_rows} rows), req/s",
                f"{rps:,.1f} / {bare_rps:,.1f} = {ratio:.2f}x" + (f" ({errors} non-2xx)" if errors else ""),
                ">= 1.0x",
                ratio >= 1.0 and not errors,
            )
        )
    else:
        rows.append(Row("throughput", f"bare view ({bare_rows} rows), req/s", f"{bare_rps:,.1f}", "", None))
    return rows


def session_cookie_for(user):
    """A logged-in session for `user` (what Client.force_login does), without hashing a password 64 times."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "kipp.auth.EmailBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def burst_request(port, path, data, cookies):
    """The bytes of one judge's submit: the same request a browser sends (form body, session and CSRF cookies)."""
    body = urlencode(data).encode()
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


def one_burst(port, comp):
    """64 judges, each with a logged-in session and the sheet page loaded, submit at the same moment. Every judge's
    connection is open and its request bytes are ready before the barrier; after it each thread only sends its
    request and reads the answer, so the client's own work does not take the CPUs from the server. Latency: from
    the moment a request is sent to the moment its whole response has arrived."""
    drain(port)  # nothing left queued from an earlier step
    round_ = reset_burst(comp)
    criteria = list(Criterion.objects.filter(round=round_).order_by("order", "id"))
    assignments = list(round_.assignments.select_related("judge").order_by("id"))
    sent = {}
    prepared = []
    for index, assignment in enumerate(assignments):
        cookies = {settings.SESSION_COOKIE_NAME: session_cookie_for(assignment.judge)}
        path = reverse("judging:sheet", args=[assignment.pk])
        status, body, set_cookie = http_get(port, path, cookies)
        if status != 200:
            raise RuntimeError(f"sheet page answered {status} for {assignment.judge.email}")
        cookies.update(parse_cookies(set_cookie))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        values = {c.pk: 1 + (index + i) % 10 for i, c in enumerate(criteria)}
        sent[assignment.pk] = values
        data = {"csrfmiddlewaretoken": token, "version": "0", "overall_comment": "", "action": "submit"}
        data.update({f"score_{pk}": str(v) for pk, v in values.items()})
        prepared.append(burst_request(port, path, data, cookies))
    barrier = threading.Barrier(len(prepared))
    results = [None] * len(prepared)

    def submit(i, sock, request):
        response = http.client.HTTPResponse(sock)
        barrier.wait()
        start = time.perf_counter()
        sock.sendall(request)
        response.begin()
        response.read()
        results[i] = (time.perf_counter() - start, response.status, response.getheader("Location", ""))
        response.close()
        sock.close()

    sockets = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in prepared]
    threads = [threading.Thread(target=submit, args=(i, sockets[i], r)) for i, r in enumerate(prepared)]
    # The load generator is not what is measured: no garbage collection of this (large) benchmark process while the
    # 64 requests are in flight.
    gc.collect()
    gc.disable()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.enable()
    latencies = [r[0] for r in results]
    redirects = sum(1 for r in results if r[1] == 302)
    stored = {
        sheet.assignment_id: {s.criterion_id: s.value for s in sheet.scores.all()}
        for sheet in ScoreSheet.objects.filter(assignment__round=round_, state="final").prefetch_related("scores")
    }
    return sent, stored, redirects, latencies


def measure_burst(port, comp, bursts=5):
    """The burst, once to warm the workers up and then `bursts` times (the round's sheets deleted before each):
    every burst, the warm-up included, must store exactly what was sent; the latency target is on the median of the
    timed bursts' p95 (one burst of 64 on 2 CPUs swings by +-20%), and every timed burst's figures are shown."""
    warmup = one_burst(port, comp)  # the workers' first run of the submit path (imports, caches): not timed
    runs = [one_burst(port, comp) for _ in range(bursts)]
    equal = all(stored == sent and redirects == len(sent) for sent, stored, redirects, _lat in [warmup, *runs])
    sent, stored, redirects, _lat = runs[-1]
    p95s = [p95(latencies) for *_rest, latencies in runs]
    per_burst = ", ".join(
        f"{ms(median(latencies))} / {ms(p95(latencies))} / {ms(min(latencies))}" for *_rest, latencies in runs
    )
    return [
        Row(
            "burst",
            f"{len(sent)} judges submit at once, {bursts} bursts: sheets sent / stored final (equal values)",
            f"{len(sent)} / {len(stored)} ({'equal' if equal else 'DIFFERENT'}; {redirects} redirects)"
            + ", every burst",
            "equal",
            equal,
        ),
        Row(
            "burst",
            "  submit latency per burst: median / p95 / fastest (fastest = service time without queueing)",
            per_burst,
            "",
            None,
        ),
        Row(
            "burst",
            f"  submit latency p95, median of the {bursts} bursts",
            ms(median(p95s)),
            "p95 <= 200 ms",
            median(p95s) <= 0.200,
        ),
    ]


# 6. Exports at L: time and peak memory of the child process ---------------------------------------------------

RUSAGE_WRAPPER = (
    "import resource, subprocess, sys, time, json; s = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:]); t = time.perf_counter() - s; "
    "print(json.dumps({'rc': r.returncode, 'seconds': t, "
    "'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))"
)


def run_measured(args, env):
    out = subprocess.run(
        [sys.executable, "-c", RUSAGE_WRAPPER, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_exports(comp):
    rows = []
    env = bench_env(DEBUG="1")
    round_ = bench_round(comp)
    with tempfile.TemporaryDirectory() as tmp:
        for command, fmt in (("export_scores", "csv"), ("export_results", "csv")):
            target = Path(tmp) / f"{command}.{fmt}"
            say(f"  {command} --format {fmt} at L ...")
            args = [sys.executable, "manage.py", command, comp.slug, round_.slug, "--format", fmt, "--output", target]
            result = run_measured([str(a) for a in args], env)
            size = target.stat().st_size if target.exists() else 0
            mb = result["maxrss_kb"] / 1024
            ok = result["rc"] == 0 and size > 0
            rows.append(
                Row(
                    "exports at L",
                    f"{command} {fmt} ({size / 1e6:,.1f} MB file): time / peak RSS",
                    f"{secs(result['seconds'])} / {mb:,.0f} MB" + ("" if ok else f" (exit {result['rc']})"),
                    "<= 10 s, <= 300 MB",
                    ok and result["seconds"] <= 10 and mb <= 300,
                )
            )
    return rows


def reset_query_log():
    reset_queries()


def measure_catalogue_search(n=50_000):
    """Issue 7: a full-text catalogue search ("putus sekolah") over n innovation records, first page and count."""
    from bench.progress import say
    from bench.records import bench_catalogue_search

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
