"""An announcement from draft to public: prepare (the lists frozen from the ranking), change the text or an entry's
outcome with a reason, submit, return to draft, approve by a second organiser, withdraw a draft."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entries.models import Entry
from judging.models import Announcement, AnnouncementRow, Round, SelectionChange
from judging.publication import fingerprint, letterhead
from judging.publication.enums import AnnouncementKind, AnnouncementState
from judging.publication.queries import announcement_ready, is_visible, ranking_rows, unexplained_differences
from judging.publication.services.advancing import advance_selected
from judging.publication.services.base import TEXT_FIELDS, locked, require_organiser
from judging.publication.services.notifications import defer_going_public
from judging.scoring.enums import Outcome, RoundState
from judging.scoring.queries import rows_short_of_k
from judging.scoring.services import JudgingError, publish_round
from kipp.models import User
from kipp.services import record_event
from kipp.text import has_visible_text


def _freeze_rows(announcement, rows):
    """Copy the ranking rows into the announcement (display fields too, so later edits never alter it)."""
    entries = Entry.objects.filter(pk__in=[r["entry_id"] for r in rows]).select_related("category")
    categories = {e.pk: (e.category.name if e.category else "") for e in entries}
    AnnouncementRow.objects.bulk_create(
        [
            AnnouncementRow(
                announcement=announcement,
                entry_id=row["entry_id"],
                rank=row["rank"],
                total=row["total"],
                judges=row.get("judges") or 0,
                ranked_outcome=row["outcome"],
                outcome=row["outcome"],
                entry_code=row["entry_code"],
                title=row["title"],
                agency=row["agency"],
                region=row["region"],
                category=categories.get(row["entry_id"], ""),
            )
            for row in rows
        ]
    )


@transaction.atomic
def prepare_announcement(
    *, round_, actor, kind=AnnouncementKind.ROUND, now=None, acknowledge_few_judges=False, **fields
):
    """A draft announcement of the round's results: the lists are frozen now from the ranking (round totals, or
    for kind=final the weighted final across rounds). `fields`: the TEXT_FIELDS. Entries scored by fewer than the
    round's k judges (final sheets without a conflict) are refused unless the organiser acknowledges them
    (`acknowledge_few_judges`); the audit event names them."""
    require_organiser(actor, round_.competition)
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().select_related("competition").get(pk=round_.pk)
    if not announcement_ready(round_):
        raise JudgingError(_("Tutup babak terlebih dahulu: pengumuman dibuat dari peringkat babak yang sudah ditutup."))
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise JudgingError(_("Isian tidak dikenal: %(names)s") % {"names": ", ".join(sorted(unknown))})
    fields.setdefault("embargo_until", now)
    fields.update(letterhead.freeze(round_.competition.organisation))  # as it stands now, never changed later
    rows = ranking_rows(round_, kind)
    few = few_judges_refusal(round_, rows, acknowledged=acknowledge_few_judges)
    announcement = Announcement(
        round=round_, kind=kind, prepared_by=actor, prepared_at=now, editor_ids=[actor.pk], **fields
    )
    announcement.full_clean(exclude=["round", "prepared_by", "previous"])
    announcement.save()
    _freeze_rows(announcement, rows)
    details = {"round": round_.slug, "kind": kind, "number": announcement.number}
    if few:
        details["few_judges"] = {row["entry_code"]: row.get("judges") or 0 for row in few}
    record_event(actor=actor, action="publication.prepared", obj=announcement, details=details)
    return announcement


def few_judges_refusal(round_, rows, *, acknowledged):
    """The rows scored by fewer than the round's k judges; refused (JudgingError naming them) unless
    acknowledged."""
    few = rows_short_of_k(rows, round_.judges_per_entry)
    if few and not acknowledged:
        raise JudgingError(
            ngettext(
                "%(n)s proposal dinilai oleh kurang dari %(k)s juri (%(codes)s). Periksa daftarnya dan nyatakan "
                "bahwa Anda mengetahuinya sebelum menyiapkan pengumuman.",
                "%(n)s proposal dinilai oleh kurang dari %(k)s juri (%(codes)s). Periksa daftarnya dan nyatakan "
                "bahwa Anda mengetahuinya sebelum menyiapkan pengumuman.",
                len(few),
            )
            % {"n": len(few), "k": round_.judges_per_entry, "codes": ", ".join(row["entry_code"] for row in few)}
        )
    return few


def _editable(announcement):
    if announcement.state != AnnouncementState.DRAFT:
        raise JudgingError(_("Hanya draf pengumuman yang dapat diubah. Pengumuman yang sudah terbit dikoreksi."))


def _changed_by(announcement, actor):
    """Whoever changes a draft becomes its preparer and joins its editors (editor_ids keeps everyone who prepared or
    changed it), so the two-person rule holds for every change: no editor may approve it. A change to an
    announcement awaiting approval (no service allows one today) sends it back to draft."""
    announcement.prepared_by = actor
    if actor.pk not in announcement.editor_ids:
        announcement.editor_ids = [*announcement.editor_ids, actor.pk]
    if announcement.state == AnnouncementState.AWAITING:
        announcement.state = AnnouncementState.DRAFT
        announcement.submitted_at = None


@transaction.atomic
def update_announcement(*, announcement, actor, **fields):
    require_organiser(actor, announcement.round.competition)
    announcement = locked(announcement)
    _editable(announcement)
    old = {name: getattr(announcement, name, None) for name in fields}
    before = {name: str(value) for name, value in old.items()}
    for name, value in fields.items():
        if name not in TEXT_FIELDS and name != "correction_note":
            raise JudgingError(_("Isian tidak dikenal: %(names)s") % {"names": name})
        setattr(announcement, name, value)
    if all(old[name] == value for name, value in fields.items()):  # aware datetimes compare as instants
        return announcement  # saved as it was: nothing changed, nobody becomes its preparer, nothing to audit
    _changed_by(announcement, actor)
    announcement.full_clean(exclude=["round", "prepared_by", "previous"])
    announcement.save()
    record_event(
        actor=actor,
        action="publication.updated",
        obj=announcement,
        details={"before": before, "after": {k: str(v) for k, v in fields.items()}},
    )
    return announcement


@transaction.atomic
def change_outcome(*, announcement, entry, to_outcome, reason, actor):
    """Move an entry in or out of the list (selected / reserve / not selected) with a written reason."""
    require_organiser(actor, announcement.round.competition)
    reason = (reason or "").strip()
    if not has_visible_text(reason):
        raise JudgingError(_("Tuliskan alasan perubahan daftar; alasan ini dimuat di catatan metode."))
    if to_outcome not in Outcome.values:
        raise JudgingError(_("Hasil tidak dikenal."))
    announcement = locked(announcement)
    _editable(announcement)
    row = AnnouncementRow.objects.filter(announcement=announcement, entry=entry).first()
    if row is None:
        raise JudgingError(_("Proposal ini tidak ada dalam peringkat pengumuman ini."))
    if row.outcome == to_outcome:
        raise JudgingError(_("Proposal ini sudah berstatus itu."))
    change = SelectionChange.objects.create(
        announcement=announcement,
        entry=entry,
        from_outcome=row.outcome,
        to_outcome=to_outcome,
        reason=reason,
        actor=actor,
    )
    row.outcome = to_outcome
    row.save(update_fields=["outcome"])
    _changed_by(announcement, actor)
    announcement.save(update_fields=["prepared_by", "editor_ids", "state", "submitted_at"])
    record_event(
        actor=actor,
        action="publication.outcome_changed",
        obj=announcement,
        details={"entry": row.entry_code, "from": change.from_outcome, "to": to_outcome, "reason": reason},
    )
    return change


def difference_refusal(announcement):
    """The message when a correction's list differs from the version it corrects without a reason for each
    difference (the note alone never explains a changed list), else None."""
    missing = unexplained_differences(announcement)
    if not missing:
        return None
    return ngettext(
        "Daftar koreksi ini berbeda dari versi %(v)s pada %(n)s proposal tanpa alasan (%(codes)s). Catatan koreksi "
        "saja tidak menjelaskan perubahan daftar: tuliskan alasan untuk setiap perbedaan di bagian 'Perbedaan dari "
        "versi %(v)s', lalu ajukan atau setujui lagi.",
        "Daftar koreksi ini berbeda dari versi %(v)s pada %(n)s proposal tanpa alasan (%(codes)s). Catatan koreksi "
        "saja tidak menjelaskan perubahan daftar: tuliskan alasan untuk setiap perbedaan di bagian 'Perbedaan dari "
        "versi %(v)s', lalu ajukan atau setujui lagi.",
        len(missing),
    ) % {
        "v": announcement.version - 1,
        "n": len(missing),
        "codes": ", ".join(d["entry_code"] for d in missing),
    }


@transaction.atomic
def submit_for_approval(*, announcement, actor, now=None):
    require_organiser(actor, announcement.round.competition)
    announcement = locked(announcement)
    if announcement.state != AnnouncementState.DRAFT:
        raise JudgingError(_("Hanya draf yang dapat diajukan untuk persetujuan."))
    refusal = difference_refusal(announcement)
    if refusal:
        raise JudgingError(refusal)
    announcement.state = AnnouncementState.AWAITING
    announcement.submitted_at = now or timezone.now()
    announcement.save(update_fields=["state", "submitted_at"])
    record_event(actor=actor, action="publication.submitted", obj=announcement)
    return announcement


@transaction.atomic
def return_to_draft(*, announcement, actor, reason):
    """The approver sends it back (with a reason) instead of approving."""
    require_organiser(actor, announcement.round.competition)
    if not has_visible_text(reason):
        raise JudgingError(_("Tuliskan alasan mengembalikan pengumuman ke draf."))
    announcement = locked(announcement)
    if announcement.state != AnnouncementState.AWAITING:
        raise JudgingError(_("Hanya pengumuman yang menunggu persetujuan yang dapat dikembalikan."))
    announcement.state = AnnouncementState.DRAFT
    announcement.save(update_fields=["state"])
    record_event(actor=actor, action="publication.returned", obj=announcement, details={"reason": reason})
    return announcement


def two_person_refusal(announcement, actor):
    """The message shown when someone who prepared or changed the announcement (any of its editors) tries to
    approve it, else None. It names the editors, so the organiser knows who may approve: anyone else."""
    if getattr(actor, "pk", None) not in {*announcement.editor_ids, announcement.prepared_by_id}:
        return None
    names = list(
        User.objects.filter(pk__in=announcement.editor_ids)
        .order_by("full_name", "pk")
        .values_list("full_name", flat=True)
    )
    return _(
        "Anda menyiapkan atau mengubah pengumuman ini, jadi Anda tidak dapat menyetujuinya sendiri. Persetujuan "
        "harus diberikan oleh penyelenggara lain yang tidak menyiapkan dan tidak mengubahnya (aturan dua orang). "
        "Disiapkan atau diubah oleh: %(names)s"
    ) % {"names": ", ".join(names)}


def approve_announcement(*, announcement, actor, now=None):
    """A second organiser approves: the announcement is published (visible once the embargo time has passed), the
    round becomes published, its selected entries advance to the next round, and (if already visible) the job that
    notifies the innovators and builds the records is deferred in the same transaction (the worker runs it)."""
    now = now or timezone.now()
    with transaction.atomic():
        require_organiser(actor, announcement.round.competition)
        announcement = locked(announcement)
        refusal = two_person_refusal(announcement, actor)
        if refusal:
            raise JudgingError(refusal)
        if announcement.state != AnnouncementState.AWAITING:
            raise JudgingError(_("Hanya pengumuman yang menunggu persetujuan yang dapat disetujui."))
        refusal = difference_refusal(announcement)
        if refusal:
            raise JudgingError(refusal)
        announcement.state = AnnouncementState.PUBLISHED
        announcement.approved_by = actor
        announcement.published_at = now
        sealed = fingerprint.seal(announcement)  # the canonical CSV and its SHA-256, written once
        try:
            with transaction.atomic():
                announcement.save(update_fields=["state", "approved_by", "published_at", *sealed])
        except IntegrityError as error:
            raise JudgingError(two_person_refusal(announcement, actor) or str(error)) from error
        round_ = announcement.round
        if round_.state == RoundState.CLOSED:
            publish_round(round_=round_, actor=actor)
        record_event(
            actor=actor,
            action="publication.approved",
            obj=announcement,
            details={
                "number": announcement.number,
                "version": announcement.version,
                "embargo_until": announcement.embargo_until.isoformat(),
                "fingerprint": announcement.fingerprint,
            },
        )
        advance_selected(announcement=announcement, actor=actor)
        if is_visible(announcement, now):
            defer_going_public(announcement=announcement, now=now)
    return announcement


@transaction.atomic
def withdraw_announcement(*, announcement, actor, reason):
    """Cancel a draft or an announcement awaiting approval. A published announcement is never withdrawn
    silently: it is corrected by a new version."""
    require_organiser(actor, announcement.round.competition)
    reason = (reason or "").strip()
    if not has_visible_text(reason):
        raise JudgingError(_("Tuliskan alasan pembatalan."))
    announcement = locked(announcement)
    if announcement.state not in (AnnouncementState.DRAFT, AnnouncementState.AWAITING):
        raise JudgingError(_("Pengumuman yang sudah terbit tidak dapat dibatalkan; terbitkan koreksi."))
    announcement.state = AnnouncementState.WITHDRAWN
    announcement.withdrawn_reason = reason
    announcement.save(update_fields=["state", "withdrawn_reason"])
    record_event(actor=actor, action="publication.withdrawn", obj=announcement, details={"reason": reason})
    return announcement


def default_embargo(now=None):
    now = timezone.localtime(now or timezone.now())
    return (now + datetime.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
