"""Corrections of a published announcement: a new version with a visible note, and the replacement of a withdrawn
selected entry by the first reserve."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.enums import EntryStatus
from judging.models import Announcement, AnnouncementRow, DifferenceReason
from judging.publication import letterhead
from judging.publication.enums import AnnouncementState
from judging.publication.queries import correction_differences, ranking_rows
from judging.publication.services.announcements import _changed_by, _editable, _freeze_rows, change_outcome
from judging.publication.services.base import TEXT_FIELDS, locked, require_organiser
from judging.scoring.enums import Outcome
from judging.scoring.services import JudgingError
from kipp.services import record_event
from kipp.text import has_visible_text


@transaction.atomic
def prepare_correction(*, announcement, actor, correction_note, now=None, changes=None, refreeze=True, **fields):
    """A new version of a published announcement, with a visible correction note. Its lists are frozen again from
    the ranking now (refreeze) or copied from the corrected version; the organiser's reasoned changes of the
    corrected version are carried over (and any new `changes`: [(entry, to_outcome, reason)] applied)."""
    require_organiser(actor, announcement.round.competition)
    now = now or timezone.now()
    note = (correction_note or "").strip()
    if not note:
        raise JudgingError(_("Tuliskan catatan koreksi: apa yang diubah dan mengapa."))
    base = locked(announcement)
    if base.state != AnnouncementState.PUBLISHED:
        raise JudgingError(_("Hanya pengumuman yang sudah terbit yang dapat dikoreksi."))
    if base.corrections.exclude(state=AnnouncementState.WITHDRAWN).exists():
        raise JudgingError(_("Pengumuman ini sudah memiliki koreksi; koreksi versi terbarunya."))
    values = {name: getattr(base, name) for name in (*TEXT_FIELDS, *letterhead.FIELDS)}  # the letterhead of v1
    values.update(fields)
    values.setdefault("embargo_until", now)
    if values["embargo_until"] < now:
        values["embargo_until"] = now
    correction = Announcement.objects.create(
        round=base.round,
        kind=base.kind,
        version=base.version + 1,
        previous=base,
        correction_note=note,
        prepared_by=actor,
        prepared_at=now,
        editor_ids=[actor.pk],
        **values,
    )
    if refreeze:
        _freeze_rows(correction, ranking_rows(base.round, base.kind))
    else:
        _copy_rows(base, correction)
    record_event(
        actor=actor,
        action="publication.correction_prepared",
        obj=correction,
        details={"corrects": base.pk, "version": correction.version, "note": note},
    )
    for change in base.changes.all():
        row = correction.rows.filter(entry_id=change.entry_id).first()
        if row and row.outcome == change.from_outcome:
            change_outcome(
                announcement=correction,
                entry=change.entry,
                to_outcome=change.to_outcome,
                reason=change.reason,
                actor=actor,
            )
    for entry, to_outcome, reason in changes or []:
        change_outcome(announcement=correction, entry=entry, to_outcome=to_outcome, reason=reason, actor=actor)
    return correction


@transaction.atomic
def explain_difference(*, announcement, entry, reason, actor):
    """The organiser says why an entry's place in a draft correction differs from the corrected version (a
    re-score moved it); shown to the approver and on the public page. Typing it is a change: the organiser becomes
    an editor (and may not approve the correction)."""
    require_organiser(actor, announcement.round.competition)
    reason = (reason or "").strip()
    if not has_visible_text(reason):
        raise JudgingError(_("Tuliskan alasan perbedaan ini; alasan ini tampil di halaman publik koreksi."))
    announcement = locked(announcement)
    _editable(announcement)
    difference = next((d for d in correction_differences(announcement) if d["entry_id"] == entry.pk), None)
    if difference is None:
        raise JudgingError(_("Proposal ini tidak berbeda dari versi sebelumnya; tidak ada yang perlu dijelaskan."))
    DifferenceReason.objects.update_or_create(
        announcement=announcement, entry=entry, defaults={"reason": reason, "actor": actor}
    )
    _changed_by(announcement, actor)
    announcement.save(update_fields=["prepared_by", "editor_ids", "state", "submitted_at"])
    record_event(
        actor=actor,
        action="publication.difference_explained",
        obj=announcement,
        details={"entry": difference["entry_code"], "kind": difference["kind"], "reason": reason},
    )
    return difference


def _copy_rows(base, correction):
    AnnouncementRow.objects.bulk_create(
        [
            AnnouncementRow(
                announcement=correction,
                entry_id=row.entry_id,
                rank=row.rank,
                total=row.total,
                judges=row.judges,
                ranked_outcome=row.ranked_outcome,
                outcome=row.ranked_outcome,
                entry_code=row.entry_code,
                title=row.title,
                agency=row.agency,
                region=row.region,
                category=row.category,
            )
            for row in base.rows.all()
        ]
    )


def replace_withdrawn(*, announcement, entry, actor, now=None):
    """A selected entry was withdrawn (entries.services.withdraw_entry): prepare a correction in which the best
    ranked reserve takes its place. The correction is announced after approval by a second organiser, like any
    correction; its approval moves the entries in the next round."""
    if entry.status != EntryStatus.WITHDRAWN:
        raise JudgingError(_("Proposal ini belum ditarik oleh inovatornya."))
    latest = announcement
    while True:
        nxt = latest.corrections.filter(state=AnnouncementState.PUBLISHED).first()
        if nxt is None:
            break
        latest = nxt
    row = latest.rows.filter(entry=entry).first()
    if row is None or row.outcome != Outcome.SELECTED:
        raise JudgingError(_("Proposal ini tidak termasuk daftar terpilih pengumuman ini."))
    reserve = latest.rows.filter(outcome=Outcome.RESERVE).order_by("rank").first()
    if reserve is None:
        raise JudgingError(_("Tidak ada cadangan yang dapat menggantikan proposal ini."))
    note = _("%(out)s (%(title)s) mengundurkan diri; digantikan oleh cadangan pertama %(in)s (%(in_title)s).") % {
        "out": row.entry_code,
        "title": row.title,
        "in": reserve.entry_code,
        "in_title": reserve.title,
    }
    with transaction.atomic():
        correction = prepare_correction(
            announcement=latest,
            actor=actor,
            correction_note=note,
            now=now,
            refreeze=False,
            changes=[
                (entry, Outcome.NOT_SELECTED, _("Mengundurkan diri (proposal ditarik).")),
                (reserve.entry, Outcome.SELECTED, _("Cadangan pertama menggantikan peserta yang mengundurkan diri.")),
            ],
        )
        record_event(
            actor=actor,
            action="publication.replacement_prepared",
            obj=correction,
            details={"withdrawn": row.entry_code, "replacement": reserve.entry_code},
        )
    return correction
