"""What every section shares: the table row, medians and percentiles, formatting, the round measured."""

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from bench.seed import ROUND_SLUG
from judging.models import Round

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
