"""The OpenAPI 3 description of the open data API (judging/api.py), served at /api/v1/openapi.json.

Kept by hand next to the views; tests/judging/test_api_schemathesis.py runs Schemathesis against it, so a view
that answers something this document does not describe fails the suite."""

from django.conf import settings

from judging.api import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, RESULT_COLUMNS


def _nullable(schema):
    return {**schema, "nullable": True}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
URI = {"type": "string", "format": "uri"}


def _object(properties, required=None):
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(required if required is not None else properties),
        "additionalProperties": False,
    }


ANNOUNCEMENT = _object(
    {
        "id": INTEGER,
        "number": {**STRING, "description": "Nomor pengumuman, mis. 065/134/II/B"},
        "title": STRING,
        "version": {**INTEGER, "minimum": 1},
        "corrects": _nullable({**INTEGER, "description": "id of the version this one corrects"}),
        "correction_note": STRING,
        "kind": {"type": "string", "enum": ["round", "final"]},
        "competition": STRING,
        "competition_name": STRING,
        "year": INTEGER,
        "round": STRING,
        "round_name": STRING,
        "date": DATE,
        "place": STRING,
        "signatory_name": STRING,
        "signatory_title": STRING,
        "public_at": {**DATETIME, "description": "when it became public: approval and embargo both passed"},
        "show_ranks": BOOLEAN,
        "show_totals": BOOLEAN,
        "list_order": {"type": "string", "enum": ["rank", "alphabetical"]},
        "url": URI,
        "results": URI,
    }
)

RESULT = _object(
    {
        "position": {**INTEGER, "minimum": 1},
        "rank": _nullable({**INTEGER, "description": "null when the announcement does not show ranks"}),
        "entry_code": STRING,
        "title": STRING,
        "agency": STRING,
        "region": STRING,
        "category": STRING,
        "total": _nullable({"type": "number", "description": "null when the announcement does not show totals"}),
        "outcome": {"type": "string", "enum": ["selected", "reserve"]},
    }
)
assert set(RESULT["properties"]) == set(RESULT_COLUMNS)  # noqa: S101 - the CSV and JSON columns agree

RECORD_PROPERTIES = {
    "slug": STRING,
    "title": STRING,
    "short_name": STRING,
    "agency": STRING,
    "agency_id": INTEGER,
    "region": STRING,
    "region_id": INTEGER,
    "category": STRING,
    "category_key": STRING,
    "stage": {"type": "string", "enum": ["", "penciptaan", "pengembangan", "pelembagaan"]},
    "digital": BOOLEAN,
    "first_year": INTEGER,
    "year": INTEGER,
    "outcome": {"type": "string", "enum": ["final", "round"]},
    "running": BOOLEAN,
    "stopped_on": _nullable(DATE),
    "last_updated": DATETIME,
    "url": URI,
    "api": URI,
}
RECORD = _object(RECORD_PROPERTIES)

RECORD_DETAIL = _object(
    {
        **RECORD_PROPERTIES,
        "summary": STRING,
        "stop_reason": STRING,
        "history": {
            "type": "array",
            "items": _object(
                {
                    "year": INTEGER,
                    "competition": STRING,
                    "entry_code": STRING,
                    "title": STRING,
                    "outcome": {"type": "string", "enum": ["final", "round"]},
                    "announcement": INTEGER,
                }
            ),
        },
        "indicators": {
            "type": "array",
            "items": _object(
                {
                    "name": STRING,
                    "unit": STRING,
                    "direction": {"type": "string", "enum": ["higher", "lower"]},
                    "values": {
                        "type": "array",
                        "items": _object(
                            {
                                "date": DATE,
                                "value": {**STRING, "description": "decimal as text"},
                                "source": {"type": "string", "enum": ["proposal", "update"]},
                            }
                        ),
                    },
                }
            ),
        },
        "replicated_by": {
            "type": "array",
            "items": _object(
                {
                    "agency": STRING,
                    "region": STRING,
                    "state": {"type": "string", "enum": ["agreed", "implemented"]},
                    "agreed_at": _nullable(DATETIME),
                    "implemented_at": _nullable(DATETIME),
                    "records": {"type": "array", "items": STRING},
                }
            ),
        },
    }
)


def _page_of(ref):
    return _object(
        {
            "count": {**INTEGER, "minimum": 0},
            "page": {**INTEGER, "minimum": 1},
            "page_size": {**INTEGER, "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "pages": {**INTEGER, "minimum": 1},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
        }
    )


ERROR = {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
NOT_MODIFIED = {
    "description": "not modified (If-None-Match matched the ETag)",
    "headers": {"ETag": {"schema": STRING}},
}
ETAG_HEADER = {"ETag": {"description": "strong validator of the body", "schema": STRING}}


def _query(name, schema, description=""):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PAGINATION = [
    _query("page", {**INTEGER, "minimum": 1, "default": 1}),
    _query("page_size", {**INTEGER, "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}),
    _query("format", {"type": "string", "enum": ["json", "csv"], "default": "json"}, "csv: the whole list"),
]


def _list_op(summary, ref, extra_params=(), path_params=()):
    return {
        "get": {
            "summary": summary,
            "parameters": [*path_params, *PAGINATION, *extra_params],
            "responses": {
                "200": {
                    "description": "one page (JSON) or the whole list (CSV)",
                    "headers": ETAG_HEADER,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{ref}Page"}},
                        "text/csv": {"schema": STRING},
                    },
                },
                "304": NOT_MODIFIED,
                "400": ERROR,
                **({"404": ERROR} if path_params else {}),
            },
        }
    }


def _detail_op(summary, ref, path_param):
    return {
        "get": {
            "summary": summary,
            "parameters": [path_param],
            "responses": {
                "200": {
                    "description": "found",
                    "headers": ETAG_HEADER,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
                },
                "304": NOT_MODIFIED,
                "404": ERROR,
            },
        }
    }


ANNOUNCEMENT_ID = {"name": "id", "in": "path", "required": True, "schema": INTEGER}
RECORD_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}

RECORD_FILTERS = [
    _query("q", {"type": "string", "maxLength": 200}, "full-text search (title, summary, proposal text)"),
    _query("region", {**INTEGER, "minimum": 1}),
    _query("agency", {**INTEGER, "minimum": 1}),
    _query("category", STRING, "category key"),
    _query("stage", {"type": "string", "enum": ["penciptaan", "pengembangan", "pelembagaan"]}),
    _query("year", {**INTEGER, "minimum": 1}, "a year in the record's published history"),
    _query("outcome", {"type": "string", "enum": ["final", "round"]}),
    _query("digital", {"type": "string", "enum": ["true", "false"]}),
    _query("status", {"type": "string", "enum": ["running", "stopped"]}),
]


def openapi_document():
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "KIPP open data",
            "version": "1.0.0",
            "description": (
                "Data terbuka KIPP: pengumuman yang sudah tayang, daftar hasilnya, dan catatan inovasi. "
                "Read-only. Only published data: an announcement appears once approved and past its embargo. "
                f"Lists are paginated (page, page_size <= {MAX_PAGE_SIZE}) and offered as CSV with format=csv. "
                "Every answer carries an ETag; send If-None-Match to get 304 Not Modified."
            ),
        },
        "servers": [{"url": settings.SITE_URL + "/api/v1"}],
        "paths": {
            "/announcements/": _list_op(
                "Published announcements",
                "Announcement",
                extra_params=[
                    _query("competition", STRING, "competition slug"),
                    _query("year", {**INTEGER, "minimum": 1}),
                ],
            ),
            "/announcements/{id}/": _detail_op("One published announcement", "Announcement", ANNOUNCEMENT_ID),
            "/announcements/{id}/results/": _list_op(
                "The listed entries of a published announcement", "Result", path_params=[ANNOUNCEMENT_ID]
            ),
            "/records/": _list_op("Public innovation records", "Record", extra_params=RECORD_FILTERS),
            "/records/{slug}/": _detail_op("One innovation record", "RecordDetail", RECORD_SLUG),
        },
        "components": {
            "schemas": {
                "Error": _object({"error": STRING}),
                "Announcement": ANNOUNCEMENT,
                "AnnouncementPage": _page_of("Announcement"),
                "Result": RESULT,
                "ResultPage": _page_of("Result"),
                "Record": RECORD,
                "RecordPage": _page_of("Record"),
                "RecordDetail": RECORD_DETAIL,
            }
        },
    }
