"""Public innovation records: one page per entry selected in a published final announcement (e.g. the Top 30), for
replication. It shows the profile with the proposal's public summary (the KIPP "ringkasan"), the impact indicators
with a chart, the photos (never the decree or the documents) unless the innovators turned them off, and the team's
contacts only when the innovators opted in (PublicProfile). Everything goes through visible_announcements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entries.enums import AttachmentKind
from entries.models import Attachment, Entry
from entries.queries import annotate_summary, indicator_chart
from judging.models import AnnouncementRow, PublicProfile, RecordEntry
from judging.publication.enums import AnnouncementKind
from judging.publication.queries import visible_announcements
from judging.scoring.enums import Outcome
from kipp.permissions import is_agency_innovator
from kipp.services import record_event


def record_rows(now=None):
    """Rows selected in visible final announcements that no visible correction replaces."""
    visible = visible_announcements(now)
    return (
        AnnouncementRow.objects.filter(
            announcement__in=visible.filter(kind=AnnouncementKind.FINAL), outcome=Outcome.SELECTED
        )
        .exclude(Exists(visible.filter(previous=OuterRef("announcement_id"))))
        .select_related("announcement__round__competition")
    )


def has_record(entry):
    return record_rows().filter(entry=entry).exists()


def profile_of(entry):
    return PublicProfile.objects.filter(entry=entry).first() or PublicProfile(entry=entry)


def can_edit_profile(user, entry):
    return is_agency_innovator(user, entry.agency_id)


@transaction.atomic
def save_profile(*, entry, user, show_contacts, show_photos):
    if not can_edit_profile(user, entry):
        raise PermissionError
    profile, _created = PublicProfile.objects.select_for_update().get_or_create(entry=entry)
    before = {"show_contacts": profile.show_contacts, "show_photos": profile.show_photos}
    profile.show_contacts, profile.show_photos, profile.updated_by = show_contacts, show_photos, user
    profile.save()
    record_event(
        actor=user,
        action="publication.profile_changed",
        obj=entry,
        details={"before": before, "after": {"show_contacts": show_contacts, "show_photos": show_photos}},
    )
    return profile


def records_index(request):
    """The short list of selected entries; the full catalogue (issue 7) lives at records:catalogue."""
    rows = list(record_rows().order_by("-announcement__published_at", "rank"))
    return render(request, "judging/records/public/records.html", {"rows": rows})


def record_detail(request, pk):
    """An entry's public page. Once the catalogue holds a record for the entry (built when the announcement went
    public), that record is the one public page of the innovation: redirect there."""
    row = record_rows().filter(entry_id=pk).order_by("-announcement__published_at").first()
    if row is None:
        raise Http404
    step = RecordEntry.objects.filter(entry_id=pk).select_related("record").first()
    if step is not None:
        return redirect("records:detail", key=step.record.slug)
    entry = get_object_or_404(
        annotate_summary(Entry.objects.select_related("agency__region", "category", "competition")).prefetch_related(
            "indicators", "team_members"
        ),
        pk=pk,
    )
    profile = profile_of(entry)
    photos = (
        list(entry.attachments.filter(kind=AttachmentKind.PHOTO).order_by("created_at", "id"))
        if profile.show_photos
        else []
    )
    return render(
        request,
        "judging/records/public/record.html",
        {
            "row": row,
            "entry": entry,
            "profile": profile,
            "indicators": [{"indicator": i, "chart": indicator_chart(i)} for i in entry.indicators.all()],
            "photos": photos,
            "team": list(entry.team_members.all()) if profile.show_contacts else [],
        },
    )


def record_photo(request, pk, attachment_pk):
    attachment = get_object_or_404(Attachment, pk=attachment_pk, entry_id=pk, kind=AttachmentKind.PHOTO)
    if not record_rows().filter(entry_id=pk).exists() or not profile_of(attachment.entry).show_photos:
        raise Http404
    field = attachment.thumbnail or attachment.file
    try:
        handle = default_storage.open(field.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = "image/jpeg" if attachment.thumbnail else attachment.content_type
    return FileResponse(handle, content_type=content_type)


@require_POST
@login_required
def record_settings(request, pk):
    entry = get_object_or_404(Entry, pk=pk)
    if not can_edit_profile(request.user, entry):
        raise Http404
    save_profile(
        entry=entry,
        user=request.user,
        show_contacts=request.POST.get("show_contacts") == "on",
        show_photos=request.POST.get("show_photos") == "on",
    )
    messages.success(request, _("Pilihan tampilan catatan inovasi publik disimpan."))
    return redirect("entries:detail", entry.pk)
