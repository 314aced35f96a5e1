"""3. The dashboard at D (2,000 entries ranked, 42,000 scores, 250 rows shown) vs a bare view, JIT on and off."""

import time

from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.measure.common import Row, bench_round, median, ms, timed
from bench.measure.page_figures import submit_again
from judging.models import Score
from judging.scoring.queries import round_ranking
from kipp.models import User


def set_jit(on):
    with connection.cursor() as cursor:
        cursor.execute(f"SET jit = {'on' if on else 'off'}")
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


def measure_dashboard_vs_bare(comp, runs=9, cold_runs=5):
    """The dashboard's 250-row page against the bare view, medians, JIT off then on then off again (the first pass
    warms PostgreSQL's buffers for both). Warm: the dashboard as organisers read it between changes (figures and
    fragments from the cache). After a change: its first request after a sheet is unlocked and submitted again
    through the services (page_figures.submit_again: live scoring; recomputed)."""
    round_ = bench_round(comp)
    organiser = User.objects.get(email="penyelenggara@bench.kipp.id")
    client = Client()
    client.force_login(organiser)
    # the first page of the ranking: 250 rows (the default view shows the rows down to just past the cut)
    dashboard_url = reverse("judging:round_dashboard", args=[comp.slug, round_.slug]) + "?halaman=1"
    bare_url = reverse("bench_bare_ranking", args=[comp.slug, round_.slug]) + "?rows=250"
    ranked = sum(1 for row in round_ranking(round_) if row.get("total") is not None)
    scores = Score.objects.filter(sheet__assignment__round=round_).count()
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
        for i in range(cold_runs):
            submit_again(round_.pk, i + (10 if jit else 0))
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
        sizes = f"{ranked:,} entries ranked ({scores:,} scores), {shown} rows shown"
        rows.append(
            Row(
                "dashboard vs bare",
                f"dashboard at D, {sizes}, {tag}, cache warm: dashboard / bare view (uncached) / ratio",
                f"{ms(dash)} / {ms(bare)} / {ratio:.2f}x",
                "<= 2x" if not jit else "(portal runs JIT off)",
                ratio <= 2 if not jit else None,
            )
        )
        cold_ratio = cold / bare
        rows.append(
            Row(
                "dashboard vs bare",
                f"  D, {tag}, first request after a change (a sheet unlocked and submitted again through the "
                "services; cache miss): dashboard / bare view / ratio",
                f"{ms(cold)} / {ms(bare)} / {cold_ratio:.2f}x",
                "<= 1.0x" if not jit else "",
                cold_ratio <= 1.0 if not jit else None,
            )
        )
    return rows
