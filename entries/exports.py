"""The organiser's entry list as CSV (streamed) and XLSX (openpyxl write-only, one pass)."""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

HEADERS = [
    "code",
    "title",
    "short_name",
    "agency",
    "region",
    "category",
    "group",
    "status",
    "submitted_at",
    "competition",
]


def rows(queryset):
    for entry in queryset.iterator(chunk_size=500):
        submitted = timezone.localtime(entry.submitted_at).strftime("%Y-%m-%d %H:%M") if entry.submitted_at else ""
        yield [
            entry.code,
            entry.title,
            entry.short_name,
            entry.agency.name,
            entry.agency.region.full_name,
            entry.category.name if entry.category else "",
            entry.group,
            entry.status,
            submitted,
            entry.competition.slug,
        ]


def _safe(value):
    """Spreadsheet formula injection: a cell starting with = + - @ is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def _filename(ext):
    return f"proposal-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


def csv_response(queryset):
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # Excel opens UTF-8 with a BOM
        yield writer.writerow(HEADERS)
        for row in rows(queryset):
            yield writer.writerow([_safe(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(queryset):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Proposal"))
    sheet.append(HEADERS)
    for row in rows(queryset):
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
