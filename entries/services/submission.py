"""Submitting an entry (or resubmitting a returned one): the innovator's last step, checked under the
competition's and the entry's locks."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entries import permissions
from entries.enums import EntryStatus
from entries.notifications import format_wita, notify
from entries.queries import entry_deadline, submission_problems
from entries.services.drafts import _check_quotas, _lock_entry, _set_status, edit_refusal
from entries.services.retries import entry_sending
from kipp import idempotency
from kipp.errors import Invalid, Refused
from kipp.models import Competition
from kipp.services import record_event


def submit_entry(*, entry, user, now=None, request=None, form_key=""):
    """Submit (or resubmit a returned entry). `form_key` is the submit form's idempotency key: the same form sent
    again after the submit was stored returns the entry marked `already_saved`, with nothing written or mailed."""
    now = now or timezone.now()
    with transaction.atomic():
        Competition.objects.select_for_update().get(pk=entry.competition_id)
        entry = _lock_entry(entry)
        sending, retry = entry_sending(entry=entry, user=user, form_key=form_key, action="entries.submit", content=[])
        if retry is idempotency.Retry.RETRY:
            return idempotency.mark(entry, retry)
        if not permissions.can_submit_entry(user, entry):
            raise PermissionDenied(edit_refusal(user, entry))
        deadline = entry_deadline(entry)
        if now >= deadline:
            raise Refused(
                _("Batas waktu pengajuan telah lewat: %(deadline)s.") % {"deadline": format_wita(deadline)},
                code="deadline",
            )
        problems = submission_problems(entry)
        if problems:
            raise Invalid(problems, code="incomplete")
        if entry.competition.requires_regional_verification:
            to_status = EntryStatus.SUBMITTED
        else:
            _check_quotas(entry)
            to_status = EntryStatus.FORWARDED
            entry.forwarded_at = now
        was_returned = entry.status == EntryStatus.RETURNED
        _set_status(entry, to_status=to_status, actor=user, now=now)
        entry.submitted_at = entry.submitted_at or now
        entry.save()
        record_event(
            actor=user,
            action="entries.submit",
            obj=entry,
            details={"status": to_status, "resubmission": was_returned},
            request=request,
        )
        sending.record(entry.version)
    notify(entry, "submitted", agency=True, verifiers=to_status == EntryStatus.SUBMITTED)
    return entry
