"""Open data: a read-only JSON API under /api/v1/ (issue 7, item 4), described by judging/openapi.py.

Only what is published is reachable: announcements through publication's visible_announcements() (approved and
past the embargo), their listed rows through public_rows() (ranks and totals only where the announcement shows
them), records through records_queries.public_records(). Every list is paginated (page, page_size up to
MAX_PAGE_SIZE) and available as CSV (?format=csv, the whole list). Responses carry a strong ETag of their body
and answer If-None-Match with 304. Plain Django views; errors are JSON too."""

import csv
import hashlib
import io
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt

from judging import records_queries
from judging.models import Announcement
from judging.publication_queries import public_rows, visible_announcements, visible_at
from judging.records_filters import FilterError, catalogue_filters

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CACHE_SECONDS = 60
ALLOWED = ("GET", "HEAD")


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


def _error(status, message):
    return JsonResponse({"error": message}, status=status)


def _with_etag(request, response):
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or "*" in wanted:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        not_modified["Cache-Control"] = response["Cache-Control"]
        return not_modified
    return response


def api_view(func):
    """GET/HEAD only; BadRequest -> 400, NotFound -> 404 (JSON); ETag and 304 on every success."""

    def wrapper(request, *args, **kwargs):
        if request.method not in ALLOWED:
            response = _error(405, "method not allowed")
            response["Allow"] = ", ".join(ALLOWED)
            return response
        try:
            response = func(request, *args, **kwargs)
        except BadRequest as error:
            return _error(400, str(error))
        except NotFound:
            return _error(404, "not found")
        return _with_etag(request, response)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return csrf_exempt(wrapper)  # read-only: every other method gets 405, never a CSRF page


def _json(data):
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return HttpResponse(body, content_type="application/json")


def _positive(request, name, default, maximum=None):
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise BadRequest(f"{name} must be an integer") from exc
    if value < 1 or (maximum is not None and value > maximum):
        raise BadRequest(f"{name} must be between 1 and {maximum}" if maximum else f"{name} must be at least 1")
    return value


def _format(request):
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv"):
        raise BadRequest("format must be json or csv")
    return fmt


def _absolute(url):
    return settings.SITE_URL + url


def paginate(request, items, serialise, csv_columns, csv_row, name):
    """items: a queryset or list. JSON: {count, page, page_size, pages, results}; CSV: every item."""
    fmt = _format(request)
    page = _positive(request, "page", 1)
    page_size = _positive(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(csv_columns)
        for item in items:
            writer.writerow(csv_row(item))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    start = (page - 1) * page_size
    chunk = list(items[start : start + page_size])
    return _json(
        {
            "count": count,
            "page": page,
            "page_size": page_size,
            "pages": max(1, -(-count // page_size)),
            "results": [serialise(item) for item in chunk],
        }
    )


# Announcements -----------------------------------------------------------------------------------------------

ANNOUNCEMENT_COLUMNS = ["id", "number", "title", "version", "kind", "competition", "year", "round", "date", "public_at"]


def _announcement(a):
    return {
        "id": a.pk,
        "number": a.number,
        "title": a.title,
        "version": a.version,
        "corrects": a.previous_id,
        "correction_note": a.correction_note,
        "kind": a.kind,
        "competition": a.round.competition.slug,
        "competition_name": a.round.competition.name,
        "year": a.round.competition.year,
        "round": a.round.slug,
        "round_name": a.round.name,
        "date": a.date.isoformat(),
        "place": a.place,
        "signatory_name": a.signatory_name,
        "signatory_title": a.signatory_title,
        "public_at": visible_at(a).isoformat(),
        "show_ranks": a.show_ranks,
        "show_totals": a.show_totals,
        "list_order": a.list_order,
        "url": _absolute(reverse("judging:public_announcement", args=[a.pk])),
        "results": _absolute(reverse("api:announcement_results", args=[a.pk])),
    }


def _announcement_csv(a):
    return [
        a.pk,
        a.number,
        a.title,
        a.version,
        a.kind,
        a.round.competition.slug,
        a.round.competition.year,
        a.round.slug,
        a.date.isoformat(),
        visible_at(a).isoformat(),
    ]


def _visible():
    return visible_announcements().select_related("round__competition").order_by("-published_at", "-id")


@api_view
def announcements(request):
    """Published announcements (every visible version), latest first; ?competition=<slug>, ?year=<int>."""
    items = _visible()
    competition = request.GET.get("competition")
    if competition:
        items = items.filter(round__competition__slug=competition)
    if "year" in request.GET:
        items = items.filter(round__competition__year=_positive(request, "year", None))
    return paginate(request, items, _announcement, ANNOUNCEMENT_COLUMNS, _announcement_csv, "pengumuman")


def _visible_announcement(pk):
    try:
        pk = int(pk)
    except ValueError as exc:
        raise NotFound from exc
    try:
        return _visible().get(pk=pk)
    except (Announcement.DoesNotExist, OverflowError) as exc:
        raise NotFound from exc


@api_view
def announcement_detail(request, pk):
    return _json(_announcement(_visible_announcement(pk)))


RESULT_COLUMNS = ["position", "rank", "entry_code", "title", "agency", "region", "category", "total", "outcome"]


def result_rows(announcement):
    """The listed rows as the public page shows them: selected then reserve, in the announcement's order; rank and
    total only where the announcement shows them."""
    selected, reserve = public_rows(announcement)
    rows = []
    for position, row in enumerate(selected + reserve, start=1):
        rows.append(
            {
                "position": position,
                "rank": row.rank if announcement.show_ranks else None,
                "entry_code": row.entry_code,
                "title": row.title,
                "agency": row.agency,
                "region": row.region,
                "category": row.category,
                "total": round(row.total, 4) if announcement.show_totals and row.total is not None else None,
                "outcome": row.outcome,
            }
        )
    return rows


@api_view
def announcement_results(request, pk):
    """The listed entries (selected and reserve) of one published announcement."""
    announcement = _visible_announcement(pk)
    rows = result_rows(announcement)
    return paginate(
        request,
        rows,
        lambda r: r,
        RESULT_COLUMNS,
        lambda r: ["" if r[c] is None else r[c] for c in RESULT_COLUMNS],
        f"hasil-{announcement.pk}",
    )


# Records -----------------------------------------------------------------------------------------------------


def _record(r):
    return {
        "slug": r.slug,
        "title": r.title,
        "short_name": r.short_name,
        "agency": r.agency.name,
        "agency_id": r.agency_id,
        "region": str(r.region),
        "region_id": r.region_id,
        "category": r.category_name,
        "category_key": r.category_key,
        "stage": r.stage,
        "digital": r.is_digital,
        "first_year": r.first_year,
        "year": r.year,
        "outcome": r.outcome,
        "running": r.is_running,
        "stopped_on": r.stopped_on.isoformat() if r.stopped_on else None,
        "last_updated": r.last_updated_at.isoformat(),
        "url": _absolute(reverse("records:detail", args=[r.slug])),
        "api": _absolute(reverse("api:record_detail", args=[r.slug])),
    }


@api_view
def records(request):
    """Public innovation records; the catalogue's filters (q, region, agency, category, stage, year, outcome,
    digital, status)."""
    try:
        filters = catalogue_filters(request.GET, strict=True)
    except FilterError as error:
        raise BadRequest(str(error)) from error
    items = records_queries.catalogue(filters)
    return paginate(
        request, items, _record, records_queries.RECORD_CSV_COLUMNS, records_queries.record_csv_row, "catatan-inovasi"
    )


@api_view
def record_detail(request, slug):
    record = records_queries.public_records().select_related("agency", "region").filter(slug=slug).first()
    if record is None:
        raise NotFound
    data = _record(record)
    data["summary"] = record.summary
    data["stop_reason"] = record.stop_reason if not record.is_running else ""
    data["history"] = [
        {
            "year": step.year,
            "competition": step.competition.slug,
            "entry_code": step.entry.code,
            "title": step.title,
            "outcome": step.outcome,
            "announcement": step.announcement_id,
        }
        for step in records_queries.record_history(record)
    ]
    data["indicators"] = [
        {
            "name": item["name"],
            "unit": item["unit"],
            "direction": item["direction"],
            "values": [
                {"date": day.isoformat(), "value": str(value), "source": src} for day, value, src in item["points"]
            ],
        }
        for item in records_queries.indicator_series(record)
    ]
    data["replicated_by"] = [
        {
            "agency": item["replication"].requester_agency.name,
            "region": str(item["replication"].requester_agency.region),
            "state": item["replication"].state,
            "agreed_at": item["replication"].agreed_at.isoformat() if item["replication"].agreed_at else None,
            "implemented_at": item["replication"].implemented_at.isoformat()
            if item["replication"].implemented_at
            else None,
            "records": [r.slug for r in item["records"]],
        }
        for item in records_queries.replicated_by(record)
    ]
    return _json(data)


@api_view
def openapi(request):
    from judging.openapi import openapi_document

    return _json(openapi_document())


app_name = "api"

urlpatterns = [
    path("openapi.json", openapi, name="openapi"),
    path("announcements/", announcements, name="announcements"),
    path("announcements/<path:pk>/results/", announcement_results, name="announcement_results"),
    path("announcements/<path:pk>/", announcement_detail, name="announcement_detail"),
    path("records/", records, name="records"),
    path("records/<path:slug>/", record_detail, name="record_detail"),
]
