"""Open data: a read-only JSON API under /api/v1/ (issue 7, item 4), on django-ninja; its OpenAPI description is
generated from these operations and judging.api.schemas.

Only what is published is reachable: announcements through publication's visible_announcements() (approved and
past the embargo), their listed rows through publication_queries.result_rows() (ranks and totals only where the
announcement shows them), records through records_queries.public_records(). Every list is paginated (page,
page_size up to MAX_PAGE_SIZE) and available as CSV (?format=csv, the whole list). Successful answers carry a
strong ETag of their body and answer If-None-Match with 304. Errors are JSON ({"error": ...}): 400 for a bad
parameter, 404 for what is not (or not yet) public, 405 for any method but GET and HEAD."""

import hashlib
import json
from itertools import chain

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from ninja import NinjaAPI, Query
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from judging.api import schemas
from judging.models import Announcement
from judging.publication.queries import RESULT_COLUMNS, result_rows, visible_announcements, visible_at
from judging.records import queries as records_queries
from judging.records.filters import FilterError, catalogue_filters
from kipp import exports
from kipp.mail import absolute_url

CACHE_SECONDS = 60
NOT_FOUND = {404: schemas.Error}
BAD_INPUT = {400: schemas.Error}  # an address that cannot be read (NUL, control characters: kipp.bad_input)
NOT_MODIFIED = {304: None}


class SortedJSONRenderer(JSONRenderer):
    """The API's JSON as it always was: keys sorted, non-ASCII kept, Django's encoder."""

    encoder_class = DjangoJSONEncoder
    json_dumps_params = {"ensure_ascii": False, "sort_keys": True}


api = NinjaAPI(
    title="KIPP open data",
    version="1.0.0",
    description=(
        "Data terbuka KIPP: pengumuman yang sudah tayang, daftar hasilnya, dan catatan inovasi. "
        "Read-only. Only published data: an announcement appears once approved and past its embargo. "
        f"Lists are paginated (page, page_size <= {schemas.MAX_PAGE_SIZE}) and offered as CSV with format=csv. "
        "Every answer carries an ETag; send If-None-Match to get 304 Not Modified."
    ),
    urls_namespace="api",
    openapi_url=None,  # served by judging.api.urls (its own name and ETag), built by openapi_document()
    docs_url=None,  # ninja's docs page would load Swagger UI from a CDN (ninja is not an installed app)
    renderer=SortedJSONRenderer(),
)


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


def error(status, message):
    return JsonResponse({"error": message}, status=status)


@api.exception_handler(BadRequest)
def _bad_request(request, exc):
    return error(400, str(exc))


@api.exception_handler(NotFound)
def _not_found(request, exc):
    return error(404, "not found")


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """A malformed path parameter is an unknown resource (404); a malformed query parameter is a 400 that names
    it, the records' filters in the catalogue's own words (records_filters, strict)."""
    if any(item["loc"][0] == "path" for item in exc.errors):
        return error(404, "not found")
    if request.resolver_match and request.resolver_match.url_name == "records":
        try:
            catalogue_filters(request.GET, strict=True)
        except FilterError as filter_error:
            return error(400, str(filter_error))
    return error(400, _message(exc.errors[0]))


def _message(item):
    name = item["loc"][-1]
    if item["type"] in ("int_parsing", "int_type", "int_from_float"):
        return f"{name} must be an integer"
    if name == "page" and item["type"] == "less_than_equal":
        return f"page is at most {schemas.MAX_PAGE}"
    if name == "page_size":
        return f"page_size must be between 1 and {schemas.MAX_PAGE_SIZE}"
    if name == "format":
        return "format must be json or csv"
    if item["type"] == "greater_than_equal":
        return f"{name} must be at least 1"
    return f"{name}: {item['msg']}"


def with_etag(run):
    """ETag of the body and Cache-Control on every success; 304 when If-None-Match names it."""

    def wrapper(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        return etagged(request, response)

    return wrapper


def etagged(request, response):
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


def json_response(data):
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return HttpResponse(body, content_type="application/json")


def csv_response(items, columns, row, name):
    return exports.csv_response(f"{name}.csv", chain([columns], (row(item) for item in items)))


def page_of(items, query, serialise):
    """items: a queryset or a list -> the Page shape {count, page, page_size, pages, results}."""
    count = len(items) if isinstance(items, list) else items.count()
    start = (query.page - 1) * query.page_size
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": max(1, -(-count // query.page_size)),
        "results": [serialise(item) for item in items[start : start + query.page_size]],
    }


def list_responses(page_schema, *, not_found=False):
    """200 (a page as JSON, or the whole list as CSV), 304, 400, and 404 where the path names a resource."""
    return {200: page_schema, **NOT_MODIFIED, 400: schemas.Error, **(NOT_FOUND if not_found else {})}


CSV_200 = {
    "responses": {
        200: {
            "description": "one page (JSON) or the whole list (CSV)",
            "headers": {"ETag": {"description": "strong validator of the body", "schema": {"type": "string"}}},
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}
DETAIL_200 = {
    "responses": {
        200: {"headers": {"ETag": {"description": "strong validator of the body", "schema": {"type": "string"}}}}
    }
}


# Announcements -----------------------------------------------------------------------------------------------

ANNOUNCEMENT_COLUMNS = ["id", "number", "title", "version", "kind", "competition", "year", "round", "date", "public_at"]


def _announcement(request, a):
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
        "organisation": a.round.competition.organisation.slug,
        "organisation_name": a.round.competition.organisation.name,
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
        "url": absolute_url(reverse("judging:public_announcement", args=[a.pk]), request),
        "results": absolute_url(reverse("api:announcement_results", args=[a.pk]), request),
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
    return visible_announcements().select_related("round__competition__organisation").order_by("-published_at", "-id")


def _visible_announcement(pk):
    try:
        return _visible().get(pk=pk)
    except (Announcement.DoesNotExist, OverflowError) as exc:
        raise NotFound from exc


@api.get(
    "/announcements/",
    response=list_responses(schemas.AnnouncementPage),
    url_name="announcements",
    summary="Published announcements",
    openapi_extra=CSV_200,
)
@decorate_view(with_etag)
def announcements(request, query: Query[schemas.AnnouncementQuery]):
    """Published announcements (every visible version), latest first; ?competition=<slug>, ?year=<int>,
    ?organisation=<slug>, ?province=<two-digit code>."""
    items = _visible()
    if query.organisation:
        items = items.filter(round__competition__organisation__slug=query.organisation)
    if query.province is not None:
        items = items.filter(round__competition__province__code=query.province)
    if query.competition:
        items = items.filter(round__competition__slug=query.competition)
    if query.year is not None:
        items = items.filter(round__competition__year=query.year)
    if query.format == "csv":
        return csv_response(items, ANNOUNCEMENT_COLUMNS, _announcement_csv, "pengumuman")
    return page_of(items, query, lambda a: _announcement(request, a))


@api.get(
    "/announcements/{path:pk}/results/",
    response=list_responses(schemas.ResultPage, not_found=True),
    url_name="announcement_results",
    summary="The listed entries of a published announcement",
    openapi_extra=CSV_200,
)
@decorate_view(with_etag)
def announcement_results(request, pk: int, query: Query[schemas.PageQuery]):
    """The listed entries (selected and reserve) of one published announcement."""
    announcement = _visible_announcement(pk)
    rows = result_rows(announcement)
    if query.format == "csv":
        return csv_response(
            rows,
            RESULT_COLUMNS,
            lambda r: ["" if r[c] is None else r[c] for c in RESULT_COLUMNS],
            f"hasil-{announcement.pk}",
        )
    return page_of(rows, query, lambda r: r)


@api.get(
    "/announcements/{path:pk}/",
    response={200: schemas.Announcement, **NOT_MODIFIED, **BAD_INPUT, **NOT_FOUND},
    url_name="announcement_detail",
    summary="One published announcement",
    openapi_extra=DETAIL_200,
)
@decorate_view(with_etag)
def announcement_detail(request, pk: int):
    return _announcement(request, _visible_announcement(pk))


# Records -----------------------------------------------------------------------------------------------------


def _record(request, r):
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
        "url": absolute_url(reverse("records:detail", args=[r.slug]), request),
        "api": absolute_url(reverse("api:record_detail", args=[r.slug]), request),
    }


@api.get(
    "/records/",
    response=list_responses(schemas.RecordPage),
    url_name="records",
    summary="Public innovation records",
    openapi_extra=CSV_200,
)
@decorate_view(with_etag)
def records(request, query: Query[schemas.RecordQuery]):
    """Public innovation records; the catalogue's filters (q, province, region, agency, organisation, category,
    stage, year, outcome, digital, status)."""
    try:
        filters = catalogue_filters(request.GET, strict=True)
    except FilterError as exc:
        raise BadRequest(str(exc)) from exc
    items = records_queries.catalogue(filters)
    if query.format == "csv":
        return csv_response(
            items, records_queries.RECORD_CSV_COLUMNS, records_queries.record_csv_row, "catatan-inovasi"
        )
    return page_of(items, query, lambda r: _record(request, r))


def _history(record):
    return [
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


def _indicators(record):
    return [
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


def _when(moment):
    return moment.isoformat() if moment else None


def _replicated_by(record):
    return [
        {
            "agency": item["replication"].requester_agency.name,
            "region": str(item["replication"].requester_agency.region),
            "state": item["replication"].state,
            "agreed_at": _when(item["replication"].agreed_at),
            "implemented_at": _when(item["replication"].implemented_at),
            "records": [r.slug for r in item["records"]],
        }
        for item in records_queries.replicated_by(record)
    ]


@api.get(
    "/records/{path:slug}/",
    response={200: schemas.RecordDetail, **NOT_MODIFIED, **BAD_INPUT, **NOT_FOUND},
    url_name="record_detail",
    summary="One innovation record",
    openapi_extra=DETAIL_200,
)
@decorate_view(with_etag)
def record_detail(request, slug: schemas.PathText):
    record = records_queries.public_records().select_related("agency", "region").filter(slug=slug).first()
    if record is None:
        raise NotFound
    return {
        **_record(request, record),
        "summary": record.summary,
        "stop_reason": record.stop_reason if not record.is_running else "",
        "history": _history(record),
        "indicators": _indicators(record),
        "replicated_by": _replicated_by(record),
    }
