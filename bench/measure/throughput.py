"""4. wrk throughput: the public results page against a bare view."""

import re
import subprocess

from django.urls import reverse

from bench.measure.common import Row, bench_round
from bench.measure.page_figures import context_of, resolve
from bench.measure.server import drain, http_get
from bench.pages import PAGES
from bench.progress import say


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
    ctx = context_of(comp)
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
