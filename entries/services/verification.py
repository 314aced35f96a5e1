"""The other side of an entry: regional verification (return, forward), administrative selection and the
organiser's deadline extensions."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entries import permissions
from entries.enums import DecisionReason, EntryStatus
from entries.models import DeadlineExtension
from entries.notifications import notify
from entries.services.drafts import _check_quotas, _lock_entry, _set_status
from kipp.errors import Invalid, Refused
from kipp.models import Competition
from kipp.services import record_event
from kipp.text import has_visible_text


def return_entry(*, entry, user, note, request=None):
    note = (note or "").strip()
    with transaction.atomic():
        entry = _lock_entry(entry)
        if not permissions.can_verify_entry(user, entry):
            raise PermissionDenied(_verify_refusal(user, entry))
        if not has_visible_text(note):
            raise Invalid(_("Tuliskan catatan untuk inovator: apa yang perlu diperbaiki."))
        _set_status(entry, to_status=EntryStatus.RETURNED, actor=user, note=note)
        entry.save()
        record_event(actor=user, action="entries.return", obj=entry, details={"note": note}, request=request)
    notify(entry, "returned", note=note)
    return entry


def forward_entry(*, entry, user, note="", now=None, request=None):
    now = now or timezone.now()
    with transaction.atomic():
        Competition.objects.select_for_update().get(pk=entry.competition_id)  # quotas: one forward at a time
        entry = _lock_entry(entry)
        if not permissions.can_verify_entry(user, entry):
            raise PermissionDenied(_verify_refusal(user, entry))
        _check_quotas(entry)
        _set_status(entry, to_status=EntryStatus.FORWARDED, actor=user, note=(note or "").strip(), now=now)
        entry.forwarded_at = now
        entry.save()
        record_event(actor=user, action="entries.forward", obj=entry, request=request)
    notify(entry, "forwarded")
    return entry


def _verify_refusal(user, entry):
    if not permissions.is_entry_verifier(user, entry):
        return _("Hanya verifikator %(region)s yang dapat memverifikasi proposal ini.") % {
            "region": entry.agency.region
        }
    return _("Proposal berstatus “%(status)s” tidak sedang menunggu verifikasi.") % {
        "status": entry.get_status_display()
    }


def _check_can_select(user, entry):
    if not permissions.can_select_entry(user, entry):
        if not permissions.is_entry_organiser(user, entry):
            raise PermissionDenied(_("Hanya penyelenggara yang melakukan seleksi administrasi."))
        raise Refused(
            _("%(code)s berstatus “%(status)s”: hanya proposal yang telah diteruskan dapat diputuskan.")
            % {"code": entry.code, "status": entry.get_status_display()}
        )


def _decide(entry, *, user, eligible, reason, note, now):
    entry = _lock_entry(entry)
    _check_can_select(user, entry)
    to_status = EntryStatus.ELIGIBLE if eligible else EntryStatus.INELIGIBLE
    _set_status(entry, to_status=to_status, actor=user, note=note, reason=reason, now=now)
    entry.decided_at = now
    entry.decision_reason = reason
    entry.decision_note = note
    entry.save()
    record_event(
        actor=user, action="entries.decide", obj=entry, details={"status": to_status, "reason": reason, "note": note}
    )
    return entry


def _clean_decision(eligible, reason, note):
    reason = reason or ""
    note = (note or "").strip()
    if eligible:
        return "", note
    if reason not in DecisionReason.values:
        raise Invalid(_("Pilih alasan ketidaklolosan."))
    if reason == DecisionReason.OTHER and not note:
        raise Invalid(_("Untuk alasan “Lainnya”, tuliskan catatannya."))
    return reason, note


def decide_eligibility(*, entry, user, eligible, reason="", note="", now=None, request=None):
    """Administrative selection of one forwarded entry: eligible, or ineligible with a reason code."""
    reason, note = _clean_decision(eligible, reason, note)
    now = now or timezone.now()
    with transaction.atomic():
        entry = _decide(entry, user=user, eligible=eligible, reason=reason, note=note, now=now)
    _notify_decision(entry)
    return entry


def decide_eligibility_bulk(*, entries, user, eligible, reason="", note="", now=None, request=None):
    """The same decision for several entries: all of them, or none if one is refused."""
    reason, note = _clean_decision(eligible, reason, note)
    now = now or timezone.now()
    entries = list(entries)
    if not entries:
        raise Invalid(_("Pilih minimal satu proposal."))
    with transaction.atomic():
        decided = [
            _decide(e, user=user, eligible=eligible, reason=reason, note=note, now=now)
            for e in sorted(entries, key=lambda e: e.pk)
        ]
    for entry in decided:
        _notify_decision(entry)
    return decided


def _notify_decision(entry):
    notify(entry, "decided", verifiers=True, note=entry.decision_note)


def extend_deadline(*, entry, user, deadline, reason, now=None, request=None):
    """The organiser lets one entry be submitted until `deadline` (an aware datetime), with a reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not permissions.is_entry_organiser(user, entry):
        raise PermissionDenied(_("Hanya penyelenggara yang dapat memperpanjang batas waktu."))
    if not has_visible_text(reason):
        raise Invalid(_("Tuliskan alasan perpanjangan."))
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if deadline <= now:
        raise Invalid(_("Batas waktu baru harus di masa depan."))
    with transaction.atomic():
        entry = _lock_entry(entry)
        if not permissions.can_extend_deadline(user, entry):
            raise Refused(_("Batas waktu hanya dapat diperpanjang untuk draf atau proposal yang dikembalikan."))
        extension = DeadlineExtension.objects.create(entry=entry, deadline=deadline, reason=reason, granted_by=user)
        record_event(
            actor=user,
            action="entries.extend_deadline",
            obj=entry,
            details={"deadline": deadline.isoformat(), "reason": reason},
            request=request,
        )
    notify(entry, "extended", note=reason, deadline=deadline)
    return extension


def default_extension_deadline(now=None):
    now = timezone.localtime(now or timezone.now())
    return (now + datetime.timedelta(days=3)).replace(hour=23, minute=59, second=0, microsecond=0)
