"""2. Pages at S and M: latency and query count (bench/pages.py lists the pages)."""

import time

from django.db import connection, reset_queries
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.measure.common import Row, bench_round, median, ms, p95, timed
from bench.pages import PAGES
from bench.progress import Progress
from judging.models import Round, Score
from kipp.models import User


def context_of(comp):
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
    """The round's first published announcement (version 1), when the publishing part exists and one is published:
    the same kind of page at S and at M (the publishing section corrects S's announcement, and a correction's page
    also shows what changed from the version before)."""
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
    found = model.objects.filter(round=round_, previous__isnull=True, state="published").order_by("pk").first()
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
        "ranking_rows": response.content.count(b"data-rank="),
    }


def note_change(round_id):
    """A real change to the round (a statement on judging_round): the dashboard's cached figures no longer apply."""
    Round.objects.filter(pk=round_id).update(name=F("name"))


def submit_again(round_id, nth=0):
    """A real change to an open round, as judges make them during live scoring: the organiser unlocks one final sheet
    (the nth of the round's, by id) and its judge submits it again with the same values, both through the services
    (the sheet's stored totals and its entry's are refreshed by the triggers, the scoring state moves on)."""
    from judging.models import ScoreSheet
    from judging.scoring import services

    organiser = User.objects.get(email="penyelenggara@bench.kipp.id")
    finals = ScoreSheet.objects.filter(assignment__round_id=round_id, state="final").order_by("id")
    sheet = finals.select_related("assignment__judge")[nth % 50]
    services.unlock_sheet(sheet=sheet, actor=organiser, reason="Uji beban: kirim ulang")
    sheet.refresh_from_db()
    values = {score.criterion_id: (score.value, score.comment) for score in sheet.scores.all()}
    services.submit_sheet(
        assignment=sheet.assignment, judge=sheet.assignment.judge, values=values, version=sheet.version
    )


def round_sizes(round_id):
    """What a dashboard figure at M rests on: entries in the round, scores, and whether the ranking is live (read
    from the stored sheet totals) or the closed round's snapshot."""
    round_ = Round.objects.get(pk=round_id)
    scores = Score.objects.filter(sheet__assignment__round=round_).count()
    source = (
        "ranking from the closed round's snapshot"
        if str(round_.state) in ("closed", "published")
        else "open round, live ranking from the stored totals"
    )
    return f"{round_.round_entries.count():,} entries ranked, {scores:,} scores, {source}"


def dashboard_after_change(page, ctx, runs=5, *, submit=False, target=True, name="M"):
    """The dashboard's first request after each of `runs` changes (figures recomputed, fragments rendered again),
    against the bare SQL aggregate of the round's scores (bench.measure.ranking.floor_query, no rendering). The
    change: with `submit`, a sheet unlocked and submitted again through the services (submit_again: an open round,
    as during live scoring), else a statement on the round (note_change)."""
    from bench.measure.ranking import floor_query

    url = resolve(page, ctx)
    client = client_for(page, ctx)
    round_ = Round.objects.get(pk=ctx["round_id"])
    client.get(url)  # warm
    floor_query(round_)
    floor = median(timed(lambda: floor_query(round_), runs))
    times = []
    for i in range(runs):
        if submit:
            submit_again(ctx["round_id"], i)
        else:
            note_change(ctx["round_id"])
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    ratio = median(times) / floor
    change = "a sheet unlocked and submitted again through the services" if submit else "a statement on the round"
    return Row(
        "pages at M",
        f"  {page.label} at {name}, first request after a change ({change}; cache cold: figures and fragments "
        f"recomputed; {round_sizes(ctx['round_id'])}), median / max (n={runs}) / bare SQL aggregate of the round's "
        "scores (the floor) / ratio",
        f"{ms(median(times))} / {ms(max(times))} / {ms(floor)} / {ratio:.2f}x",
        "<= 1.0x" if target else "",
        ratio <= 1.0 if target else None,
    )


def measure_pages(datasets, runs=30):
    rows = []
    ctx_s, ctx_m = context_of(datasets["S"]), context_of(datasets["M"])
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
        shown = ""
        if page.url == "judging:round_dashboard":
            shown = f", {round_sizes(ctx_m['round_id'])}, {at_m['ranking_rows']} rows shown, cache warm"
        rows.append(
            Row(
                "pages at M",
                f"{page.label}: median / p95 (n={at_m['runs']}, {at_m['bytes'] / 1000:,.0f} kB{shown})",
                f"{ms(at_m['median'])} / {ms(at_m['p95'])}",
                "p95 <= 150 ms",
                at_m["p95"] <= 0.150,
            )
        )
        if page.url == "judging:round_dashboard":
            # live scoring: M's round open (MO, the same sizes), a sheet submitted before each request; M's own
            # round is published (its ranking the snapshot): shown as context
            rows.append(dashboard_after_change(page, context_of(datasets["MO"]), submit=True, name="M (open)"))
            rows.append(dashboard_after_change(page, ctx_m, target=False, name="M (published)"))
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
