"""The public area search: /wilayah/cari/?wilayah=73.04&q=tompo. HTML for people (it works without JavaScript),
JSON (format=json) for static/js/areas.js, which lists the matches under the entry form's search box."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kipp.areas.loading import SOURCE
from kipp.areas.queries import SEARCH_LIMIT, search_areas
from kipp.models import Region


@require_GET
def search(request):
    region = Region.objects.select_related("province").filter(code=request.GET.get("wilayah", "")[:8]).first()
    query = request.GET.get("q", "")[:100]
    choices, total = search_areas(region, query) if region is not None else ([], 0)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "region": region.code if region else None,
                "query": query,
                "total": total,
                "limit": SEARCH_LIMIT,
                "results": [{"code": code, "label": label} for code, label in choices],
            }
        )
    regions = Region.objects.select_related("province").order_by("province__code", "code")
    return render(
        request,
        "kipp/areas/search.html",
        {"region": region, "query": query, "choices": choices, "total": total, "regions": regions, "source": SOURCE},
    )
