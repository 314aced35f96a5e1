"""The public "check a document" page (judging.publication.document_check holds the rule)."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from judging.publication import forms
from judging.publication.document_check import check_document as verdict_on
from kipp import limits
from kipp.middleware import client_ip


def check_document(request):
    """Public: upload a CSV or PDF and learn which published announcement version it matches, or that it matches
    none (judging.publication.document_check). Works without JavaScript; checks are counted per address."""
    verdict, status = None, 200
    form = forms.DocumentCheckForm()
    if request.method == "POST":
        form = forms.DocumentCheckForm(request.POST, request.FILES)
        address = client_ip(request) or "-"
        window = 3600
        allowed = limits.take(
            f"document-check:{address}", limit=settings.DOCUMENT_CHECKS_PER_ADDRESS_PER_HOUR, window=window
        )
        if not allowed:
            minutes = max(1, limits.retry_after(window) // 60)
            form.add_error(
                None, _("Terlalu banyak pemeriksaan dari alamat ini; coba lagi dalam %(m)s menit.") % {"m": minutes}
            )
            status = 429
        elif form.is_valid():
            verdict = verdict_on(form.cleaned_data["document"])
            status = 429 if verdict.outcome == "busy" else 200
        else:
            status = 400
    response = render(
        request, "judging/publication/public/check_document.html", {"form": form, "verdict": verdict}, status=status
    )
    if status == 429:
        response["Retry-After"] = "10" if verdict is not None else str(limits.retry_after(3600))
    return response
