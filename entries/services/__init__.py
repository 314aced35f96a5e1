"""Every business write on entries. Keyword-only arguments; each call validates, writes in one transaction,
records the audit event (kipp.services.record_event) and emails the people concerned after the commit.

Refusals raise one of kipp.errors' classes, all of them ValidationErrors with a clear message (possibly a list):
`Invalid` for wrong input (an empty title, a missing note), `Refused` for what this state does not allow (the
deadline has passed, a quota is full, the entry's status), `Stale` (StaleEntryError) for a form opened before
someone else saved; or PermissionDenied for a person who may not act on the entry. Nothing has been written.

- drafts.py: the innovator's side (create, save drafts, attachments, withdraw); submission.py: submit;
  retries.py: a form sent again after it was stored (kipp/idempotency.py);
- verification.py: the regional verifier's and the organiser's side (return, forward, selection, extensions);
- past_winners.py: the organiser's answer to a past-winner flag (issue 16);
- copies.py: a copy of an entry's content into another competition as a new draft (forwarding upward, issue 13).

Callers use `from entries import services; services.save_draft(...)`.
"""

from entries.notifications import format_wita
from entries.services.copies import EntryCopy, copy_entry
from entries.services.drafts import (
    INDICATOR_FIELDS,
    PROFILE_FIELDS,
    TEAM_FIELDS,
    add_attachment,
    create_entry,
    edit_refusal,
    next_entry_code,
    remove_attachment,
    save_draft,
    save_draft_with_attachment,
    withdraw_entry,
    withdrawal_ended_message,
)
from entries.services.past_winners import decide_past_winner
from entries.services.retries import StaleEntryError
from entries.services.submission import submit_entry
from entries.services.verification import (
    decide_eligibility,
    decide_eligibility_bulk,
    default_extension_deadline,
    extend_deadline,
    forward_entry,
    return_entry,
)

__all__ = [
    "EntryCopy",
    "copy_entry",
    "decide_past_winner",
    "INDICATOR_FIELDS",
    "PROFILE_FIELDS",
    "TEAM_FIELDS",
    "StaleEntryError",
    "add_attachment",
    "create_entry",
    "decide_eligibility",
    "decide_eligibility_bulk",
    "default_extension_deadline",
    "edit_refusal",
    "extend_deadline",
    "format_wita",
    "forward_entry",
    "next_entry_code",
    "remove_attachment",
    "return_entry",
    "save_draft",
    "save_draft_with_attachment",
    "submit_entry",
    "withdraw_entry",
    "withdrawal_ended_message",
]
