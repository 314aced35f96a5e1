"""Reads of the areas: what lies within a region, and the search that the entry form and /wilayah/cari/ share."""

import re

from django.db.models import Q

from kipp.areas.enums import location_label
from kipp.areas.models import District, Village
from kipp.enums import RegionKind

SEARCH_LIMIT = 30
CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def districts_within(region):
    """The kecamatan of a kabupaten/kota; for the province itself (a provincial agency), all of the province's."""
    if region.kind == RegionKind.PROVINCE:
        return District.objects.filter(region__province_id=region.province_id)
    return District.objects.filter(region_id=region.pk)


def villages_within(region):
    return Village.objects.filter(district__in=districts_within(region))


def area_within(region, code):
    """(district, village) for a kecamatan or desa/kelurahan code within the region; None when the code names
    nothing there. ("", None) is "no location"."""
    code = (code or "").strip()
    if not code:
        return None, None
    village = villages_within(region).select_related("district").filter(code=code).first()
    if village is not None:
        return village.district, village
    district = districts_within(region).filter(code=code).first()
    if district is not None:
        return district, None
    raise LookupError(code)


def area_choice(district, village):
    """The (value, label) that the form offers for a chosen area."""
    return (village or district).code, location_label(district, village)


def search_areas(region, query, limit=SEARCH_LIMIT):
    """Kecamatan and desa/kelurahan within the region whose name contains the query (or whose code starts with
    it), kecamatan first, at most `limit`; an empty query lists the region's kecamatan. Returns (choices, total):
    choices are (code, label) pairs such as ("73.04.10.2006", "Desa Tompobulu, Kecamatan Rumbia")."""
    query = " ".join((query or "").split())[:100]
    districts = districts_within(region)
    if not query:
        rows = list(districts.order_by("name")[: limit + 1])
        total = districts.count() if len(rows) > limit else len(rows)
        return [area_choice(d, None) for d in rows[:limit]], total
    by_name = Q(code__startswith=query) if CODE.match(query) else Q(name__icontains=query)
    matching_districts = districts.filter(by_name).order_by("name")
    matching_villages = villages_within(region).filter(by_name).select_related("district").order_by("name", "code")
    found = list(matching_districts[: limit + 1])
    found_villages = list(matching_villages[: limit + 1 - min(len(found), limit)]) if len(found) <= limit else []
    choices = [area_choice(d, None) for d in found] + [area_choice(v.district, v) for v in found_villages]
    total = len(choices)
    if total > limit:
        total = matching_districts.count() + matching_villages.count()
    return choices[:limit], total
