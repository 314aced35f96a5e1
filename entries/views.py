"""Thin function views: load through a permission helper, call a service, redirect with a message."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from entries import permissions
from entries.models import Attachment, Entry
from entries.queries import entry_display_data


def _entry_for(request, pk, predicate=permissions.can_view_entry):
    entry = get_object_or_404(Entry.objects.select_related("competition", "agency__region", "category"), pk=pk)
    if not predicate(request.user, entry):
        raise Http404  # do not reveal that the entry exists
    return entry


@login_required
def entry_detail(request, pk):
    entry = _entry_for(request, pk)
    return render(request, "entries/detail.html", {"entry": entry, "data": entry_display_data(entry)})


def _serve(request, pk, thumbnail):
    attachment = get_object_or_404(Attachment.objects.select_related("entry__agency__region"), pk=pk)
    if not permissions.can_view_entry(request.user, attachment.entry):
        raise Http404
    field = attachment.thumbnail if thumbnail else attachment.file
    if not field:
        raise Http404
    try:
        handle = default_storage.open(field.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = thumbnail or attachment.is_image
    content_type = "image/jpeg" if thumbnail else attachment.content_type
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=attachment.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def attachment_download(request, pk):
    return _serve(request, pk, thumbnail=False)


@login_required
@require_GET
def attachment_thumbnail(request, pk):
    return _serve(request, pk, thumbnail=True)
