"""Keeping an innovation record current: the owning agency's dated updates (running or stopped, new indicator
values, new photos) and the innovators' choice of what the public record shows (PublicProfile). Every write is
audited; a refusal raises JudgingError with a message for the person."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.enums import AttachmentKind, IndicatorKind
from entries.models import indicator_value_problems
from entries.uploads import clean_upload
from judging.models import IndicatorValue, InnovationRecord, PublicProfile, RecordPhoto, RecordUpdate
from judging.records.permissions import can_edit_profile, can_update_record
from judging.scoring.services import JudgingError
from kipp.files import save_files_or_none
from kipp.permissions import is_pending_member
from kipp.services import record_event
from kipp.services_accounts import pending_membership_message


def indicator_names(record):
    """{name: (unit, direction, kind)} of the record's indicators: those of its entries, then those reported later
    (a value reported later has the kind of its entry's indicator; measure when none is known)."""
    from entries.models import ImpactIndicator

    names = {}
    for indicator in ImpactIndicator.objects.filter(entry__innovation_record_entry__record=record).order_by(
        "-entry__competition__year", "order", "id"
    ):
        names.setdefault(indicator.name, (indicator.unit, indicator.direction, indicator.kind))
    for value in record.indicator_values.order_by("id"):
        names.setdefault(value.name, (value.unit, value.direction, IndicatorKind.MEASURE))
    return names


def refuse_pending(actor):
    """A sign-up whose membership nobody has confirmed yet is told who can confirm it."""
    if is_pending_member(actor):
        raise JudgingError(pending_membership_message(actor))


@save_files_or_none()  # the photos' files go when the update is not stored
@transaction.atomic
def update_record(
    *,
    record,
    actor,
    is_running=True,
    stopped_on=None,
    stop_reason="",
    note="",
    values=(),
    photos=(),
    now=None,
    request=None,
):
    """The innovator's dated update: running or stopped (with a date and a reason), new indicator values
    [(name, value, measured_on)], new photos (uploaded files, re-encoded by entries.uploads)."""
    now = now or timezone.now()
    if not can_update_record(actor, record):
        refuse_pending(actor)
        raise JudgingError(_("Hanya inovator dari instansi pemilik yang dapat memperbarui catatan ini."))
    record = InnovationRecord.objects.select_for_update().get(pk=record.pk)
    today = timezone.localdate(now)
    stopped_on, stop_reason = _checked_stop(is_running, stopped_on, stop_reason, today)
    known = indicator_names(record)
    clean_values = _checked_values(known, values, today)
    cleaned_photos = [clean_upload(AttachmentKind.PHOTO, upload) for upload in photos]
    update = RecordUpdate.objects.create(
        record=record,
        author=actor,
        created_at=now,
        is_running=is_running,
        stopped_on=stopped_on,
        stop_reason=stop_reason,
        note=(note or "").strip(),
    )
    _write_values(record, update, known, clean_values)
    for clean in cleaned_photos:
        add_record_photo(record=record, update=update, clean=clean, actor=actor)
    record.is_running, record.stopped_on, record.stop_reason = is_running, stopped_on, stop_reason
    record.last_updated_at = now
    record.save(update_fields=["is_running", "stopped_on", "stop_reason", "last_updated_at"])
    record_event(
        actor=actor,
        action="records.updated",
        obj=record,
        details={
            "running": is_running,
            "stopped_on": stopped_on.isoformat() if stopped_on else None,
            "values": len(clean_values),
            "photos": len(cleaned_photos),
        },
        request=request,
    )
    return update


def _checked_stop(is_running, stopped_on, stop_reason, today):
    """(stopped_on, stop_reason) as stored: a stopped innovation needs a past date and a reason; a running one
    has neither."""
    stop_reason = (stop_reason or "").strip()
    if is_running:
        return None, ""
    if stopped_on is None or not stop_reason:
        raise JudgingError(_("Inovasi yang berhenti memerlukan tanggal berhenti dan alasannya."))
    if stopped_on > today:
        raise JudgingError(_("Tanggal berhenti tidak boleh di masa depan."))
    return stopped_on, stop_reason


def _checked_values(known, values, today):
    """The reported values, each of a known indicator, measured by today and possible for the indicator's kind
    (entries.models.indicator_value_problems: whole counts, percentages within 0..100)."""
    checked = []
    for name, value, measured_on in values:
        if name not in known:
            raise JudgingError(_("Indikator tidak dikenal: %(name)s") % {"name": name})
        if measured_on > today:
            raise JudgingError(_("Tanggal pengukuran tidak boleh di masa depan."))
        problems = indicator_value_problems(known[name][2], {"value": value})
        if problems:
            raise JudgingError(f"{name}: {problems['value']}")
        checked.append((name, value, measured_on))
    return checked


def _write_values(record, update, known, values):
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            record=record,
            update=update,
            name=name,
            unit=known[name][0],
            direction=known[name][1],
            value=value,
            measured_on=measured_on,
        )
        for name, value, measured_on in values
    )


def add_record_photo(*, record, update, clean, actor, caption=""):
    """Store a cleaned image (entries.uploads.CleanFile) with its thumbnail under generated names."""
    photo = RecordPhoto(
        record=record,
        update=update,
        original_name=clean.display_name,
        caption=caption,
        size=clean.size,
        content_type=clean.content_type,
        sha256=clean.sha256,
        width=clean.width,
        height=clean.height,
        uploaded_by=actor,
    )
    stem = clean.stored_name()
    with save_files_or_none() as files:
        files.save(photo.file, stem, clean.content)
        if clean.thumbnail:
            files.save(photo.thumbnail, stem.rsplit(".", 1)[0] + "-thumb.jpg", clean.thumbnail)
        photo.save()
    return photo


@transaction.atomic
def save_profile(*, entry, user, show_contacts, show_photos):
    """What the innovators of the entry let its public record show: the team's contacts, the photos."""
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
