"""The organiser's answer to a past-winner flag (issue 16; the flag comes from judging through the kipp hook
"past_winner_flags"). The flag never decides by itself: the organiser either finds that the entry repeats the
earlier innovation (the entry becomes ineligible with the reason "past_winner" and the organiser's explanation) or
that it is another innovation (the entry stays in selection; the reason is kept). Both are stored and audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.enums import DecisionReason
from entries.models import PastWinnerDecision
from entries.services.drafts import _lock_entry
from entries.services.verification import _check_can_select, _decide, _notify_decision
from kipp.errors import Invalid
from kipp.services import record_event
from kipp.text import has_visible_text


def _earlier_summary(earlier):
    """What is kept of the flags the organiser saw: the announcement, its number, the rank and the title."""
    keys = ("announcement", "number", "version", "competition", "year", "rank", "entry_code", "title")
    return [{key: flag.get(key) for key in keys} for flag in earlier or ()]


def decide_past_winner(*, entry, user, same_innovation, reason, earlier=(), now=None, request=None):
    """Record the organiser's decision on a flagged entry. same_innovation=True makes it ineligible (reason
    "past_winner", the organiser's reason as its note); False keeps it in selection with the reason recorded."""
    reason = (reason or "").strip()
    if not has_visible_text(reason):
        raise Invalid(_("Tuliskan alasan keputusan tentang pemenang terdahulu."))
    now = now or timezone.now()
    summary = _earlier_summary(earlier)
    with transaction.atomic():
        if same_innovation:
            entry = _decide(entry, user=user, eligible=False, reason=DecisionReason.PAST_WINNER, note=reason, now=now)
        else:
            entry = _lock_entry(entry)
            _check_can_select(user, entry)
        decision = PastWinnerDecision.objects.create(
            entry=entry, same_innovation=same_innovation, reason=reason, earlier=summary, actor=user, created_at=now
        )
        record_event(
            actor=user,
            action="entries.past_winner",
            obj=entry,
            details={
                "same_innovation": same_innovation,
                "reason": reason,
                "earlier": [f"{flag['number']} #{flag['rank']}" for flag in summary],
            },
            request=request,
        )
    if same_innovation:
        _notify_decision(entry)
    return decision
