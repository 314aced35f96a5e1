"""6. Exports at L: time and peak memory of the child process."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.measure.common import BASE_DIR, Row, bench_round, secs
from bench.measure.server import bench_env
from bench.progress import say

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
