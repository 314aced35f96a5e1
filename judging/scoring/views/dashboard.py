"""Organiser: a round's dashboard (ranking, progress, judges short of k), an entry's sheets, downloads, snapshots,
unlocking a sheet."""

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from judging.models import Assignment, RoundEntry, ScoreSheet, SheetTotal
from judging.scoring import dashboard_cache as round_cache
from judging.scoring import forms, permissions, queries, services
from judging.scoring.exports import CONTENT_TYPES, RESULT_FORMATS, SCORE_FORMATS, file_name, iter_scores, results_bytes
from judging.scoring.jobs import exports_in_background, start_export
from judging.scoring.views.common import round_for
from kipp.errors import add_message
from kipp.services import record_event

DASHBOARD_PAGE_SIZE = 250
DASHBOARD_PAST_CUT = 10


def _window_choice(request):
    """What the query string asks of the ranking: ("all", None), ("page", N) or ("head", None)."""
    if request.GET.get("semua") == "1":
        return "all", None
    page = request.GET.get("halaman", "")
    if page.isascii() and page.isdigit() and 1 <= int(page) <= 1_000_000:
        return "page", int(page)
    return "head", None


def _ranking_window(request, round_, ranking):
    """Which ranked rows the dashboard renders: by default the rows down to top_n + reserve_n + a few past the
    cut; ?halaman=N shows page N of DASHBOARD_PAGE_SIZE rows, ?semua=1 every row."""
    total = len(ranking)
    pages = max(1, -(-total // DASHBOARD_PAGE_SIZE))
    mode, page = _window_choice(request)
    if mode == "all":
        rows = ranking
    elif mode == "page":
        page = min(page, pages)
        rows = ranking[(page - 1) * DASHBOARD_PAGE_SIZE : page * DASHBOARD_PAGE_SIZE]
    else:
        rows = ranking[: round_.top_n + round_.reserve_n + DASHBOARD_PAST_CUT]
    return {
        "rows": rows,
        "mode": mode,
        "page": page,
        "page_numbers": range(1, pages + 1),
        "total": total,
        "shown": len(rows),
        "partial": len(rows) < total,
        "page_size": DASHBOARD_PAGE_SIZE,
    }


@permissions.organiser_required
def round_dashboard(request, competition, round_slug):
    round_ = round_for(competition, round_slug)
    criteria = queries.round_criteria(round_)
    # Figures and the rendered ranking/judges/chart fragments come from the cache of the current scoring state
    # (judging/scoring/dashboard_cache.py); the short-of-judges list with its forms is rendered here on every request.
    dashboard = round_cache.RoundDashboard(round_, criteria, lambda ranking: _ranking_window(request, round_, ranking))
    window_id = _window_id(request)
    fragments = dashboard.fragments(window_id)
    context = {
        "round": round_,
        "criteria": criteria,
        "fragments": fragments,
        "frozen_snapshot": dashboard.snapshot,
        "window": fragments["window"],
        "progress": fragments["progress"],
        "short": fragments["short"],
        "few_judges": fragments["few_judges"],
        "candidates_shown": round_cache.CANDIDATES_SHOWN,
        "snapshots": list(
            round_.snapshots.only("id", "round_id", "created_at", "method", "reason").order_by("-created_at")[:10]
        ),
        "score_formats": SCORE_FORMATS,
        "result_formats": RESULT_FORMATS,
        "exports_in_background": exports_in_background(round_, criteria),
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "judging/scoring/round_dashboard.html", context)


def _window_id(request):
    """The part of the query string that selects the dashboard's ranking window (the fragments' cache key)."""
    mode, page = _window_choice(request)
    return f"page{page}" if mode == "page" else mode


def _offered(kind, fmt):
    return (kind == "nilai" and fmt in SCORE_FORMATS) or (kind == "hasil" and fmt in RESULT_FORMATS)


@require_http_methods(["GET", "POST"])
@permissions.organiser_required
def round_download(request, competition, round_slug, kind, fmt):
    """GET: the file at once (a small round) or a page offering to prepare it (a large one, see
    judging/scoring/jobs.py exports_in_background); POST: prepare it as a background job and show its page."""
    round_ = round_for(competition, round_slug)
    if not _offered(kind, fmt):
        raise Http404
    if request.method == "POST":
        return redirect(start_export(round_=round_, actor=request.user, kind=kind, fmt=fmt))
    if exports_in_background(round_):
        return render(request, "judging/scoring/export_confirm.html", {"round": round_, "kind": kind, "fmt": fmt})
    if kind == "nilai":
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in iter_scores(round_, fmt)), content_type=CONTENT_TYPES[fmt]
        )
        name = file_name(round_, "scores", fmt)
    else:
        # The XLSX is read by people (words in their language); CSV and JSON keep the contract's keys.
        response = HttpResponse(results_bytes(round_, fmt, for_people=fmt == "xlsx"), content_type=CONTENT_TYPES[fmt])
        name = file_name(round_, "results", fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    record_event(actor=request.user, action="judging.exported", obj=round_, details={"file": name})
    return response


@permissions.organiser_required
def snapshot_detail(request, competition, round_slug, pk):
    round_ = round_for(competition, round_slug)
    snapshot = get_object_or_404(round_.snapshots, pk=pk)
    rows = round_cache.table_rows(snapshot.rows, [c["key"] for c in snapshot.criteria])
    context = {
        "round": round_,
        "snapshot": snapshot,
        "rows": rows,
        "keys": snapshot.criteria,
        "cut_tie": queries.cut_tie(rows, round_.top_n),
    }
    return render(request, "judging/scoring/snapshot.html", context)


@require_POST
@permissions.organiser_required
def sheet_unlock(request, pk):
    sheet = get_object_or_404(ScoreSheet.objects.select_related("assignment__round__competition"), pk=pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan membuka kunci lembar nilai."))
    else:
        try:
            services.unlock_sheet(sheet=sheet, actor=request.user, reason=form.cleaned_data["reason"])
        except services.JudgingError as error:
            add_message(request, error)
        else:
            messages.success(request, _("Lembar nilai dibuka kembali sebagai draf."))
    return redirect("judging:sheet", pk=sheet.assignment_id)


@require_http_methods(["GET", "HEAD"])
@permissions.organiser_required
def entry_sheets(request, competition, round_slug, entry):
    """The score sheets of one entry in a round (linked from the ranking table's number of judges): each judge's
    sheet, its state, its total T_p (when it counts) and when it was sent, and a link to the sheet, where the
    organiser reads it and unlocks a final one."""
    round_ = round_for(competition, round_slug)
    entry = get_object_or_404(
        RoundEntry.objects.select_related("entry__agency__region"), round=round_, entry_id=entry
    ).entry
    totals = dict(SheetTotal.objects.filter(round=round_, entry=entry).values_list("sheet_id", "total"))
    assignments = (
        Assignment.objects.filter(round=round_, entry=entry)
        .select_related("judge", "sheet")
        .order_by("judge__full_name", "judge__email", "id")
    )
    rows = []
    for assignment in assignments:
        sheet = getattr(assignment, "sheet", None)
        rows.append(
            {
                "assignment": assignment,
                "sheet": sheet,
                "counts": sheet is not None and sheet.pk in totals,
                "total": totals.get(sheet.pk) if sheet is not None else None,
            }
        )
    return render(request, "judging/scoring/entry_sheets.html", {"round": round_, "entry": entry, "rows": rows})
