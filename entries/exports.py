"""The organiser's entry list as CSV (streamed) and XLSX, written by the one export writer (kipp.exports)."""

from itertools import chain

from django.utils import timezone
from django.utils.translation import gettext as _

from kipp import exports

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


def _filename(ext):
    return f"proposal-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


def csv_response(queryset):
    # Excel opens UTF-8 with a BOM
    return exports.csv_streaming_response(_filename("csv"), chain([HEADERS], rows(queryset)), bom=True, batch=1)


def xlsx_response(queryset):
    return exports.xlsx_response(_filename("xlsx"), chain([HEADERS], rows(queryset)), title=_("Proposal"))
