"""Rounds: create, take their entries, open, close, reopen, publish, and the ranking snapshot stored on close."""

import logging

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.enums import EntryStatus
from entries.models import Entry
from judging.models import Assignment, Criterion, RankingSnapshot, Round, RoundEntry, ScoreBand
from judging.scoring.enums import Outcome, RoundEntrySource, RoundState
from judging.scoring.queries import latest_snapshot, missing_sheets, round_criteria, round_ranking
from judging.scoring.rubrics import default_bands, default_rubric
from judging.scoring.services.conflicts import refresh_automatic_conflicts
from judging.scoring.services.errors import JudgingError, require_reason, require_round_not_closed
from judging.scoring.services.errors import require_organiser as _require_organiser
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.outbox.enums import NotificationKind
from kipp.services import record_event
from kipp.text import has_visible_text

logger = logging.getLogger(__name__)


@transaction.atomic
def create_round(
    *,
    competition,
    slug,
    name,
    kind,
    actor=None,
    order=None,
    top_n=50,
    reserve_n=0,
    judges_per_entry=3,
    aggregation="mean",
    tie_break=None,
    weight=1,
    opens_at=None,
    closes_at=None,
    with_default_rubric=True,
):
    """Create a round in state setup, with the default rubric of its kind. The first round takes the eligible
    entries; a later round takes the selected entries of the previous round once that round is closed."""
    if actor is not None:  # None: a command or the demo
        _require_organiser(actor, competition)
    if Round.objects.filter(competition=competition, slug=slug).exists():
        raise JudgingError(_("Babak dengan slug ini sudah ada."))
    if order is None:
        order = (
            Round.objects.filter(competition=competition).order_by("-order").values_list("order", flat=True).first()
            or 0
        ) + 1
    round_ = Round(
        competition=competition,
        slug=slug,
        name=name,
        kind=kind,
        order=order,
        top_n=top_n,
        reserve_n=reserve_n,
        judges_per_entry=judges_per_entry,
        aggregation=aggregation,
        weight=weight,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if tie_break is not None:
        round_.tie_break = list(tie_break)
    round_.full_clean(exclude=["competition"])
    round_.save()
    if with_default_rubric:
        _create_criteria(round_, default_rubric(kind))
    previous = previous_round(round_)
    if previous is None:
        take_eligible_entries(round_=round_, actor=actor)
    elif previous.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        take_selected_entries(round_=round_, actor=actor)
    record_event(actor=actor, action="judging.round_created", obj=round_, details={"kind": kind, "order": order})
    return round_


def _create_criteria(round_, specs):
    criteria = Criterion.objects.bulk_create([Criterion(round=round_, **spec) for spec in specs])
    bands = default_bands()
    ScoreBand.objects.bulk_create(
        [
            ScoreBand(criterion=c, min_value=low, max_value=high, text=text)
            for c in criteria
            for low, high, text in bands
            if c.scale_min <= low and high <= c.scale_max
        ]
    )
    return criteria


def previous_round(round_):
    return Round.objects.filter(competition_id=round_.competition_id, order__lt=round_.order).order_by("-order").first()


@transaction.atomic
def take_eligible_entries(*, round_, actor=None):
    require_round_not_closed(round_)
    entries = Entry.objects.filter(competition_id=round_.competition_id, status=EntryStatus.ELIGIBLE)
    existing = set(round_.round_entries.values_list("entry_id", flat=True))
    created = RoundEntry.objects.bulk_create(
        [
            RoundEntry(round=round_, entry_id=pk, source=RoundEntrySource.ELIGIBLE)
            for pk in entries.values_list("pk", flat=True)
            if pk not in existing
        ]
    )
    refresh_automatic_conflicts(round_=round_)
    return len(created)


@transaction.atomic
def take_selected_entries(*, round_, actor=None):
    """Entries selected by the previous round's latest snapshot (stored when it closed)."""
    require_round_not_closed(round_)
    previous = previous_round(round_)
    if previous is None or previous.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        raise JudgingError(_("Babak sebelumnya belum ditutup."))
    snapshot = previous.snapshots.order_by("-created_at", "-id").first()
    if snapshot is None:
        raise JudgingError(_("Babak sebelumnya belum memiliki potret peringkat."))
    selected = [row["entry_id"] for row in snapshot.rows if row["outcome"] == Outcome.SELECTED]
    existing = set(round_.round_entries.values_list("entry_id", flat=True))
    RoundEntry.objects.bulk_create(
        [
            RoundEntry(round=round_, entry_id=pk, source=RoundEntrySource.PREVIOUS_ROUND, position=position)
            for position, pk in enumerate(selected, start=1)
            if pk not in existing
        ]
    )
    refresh_automatic_conflicts(round_=round_)
    record_event(actor=actor, action="judging.round_entries_taken", obj=round_, details={"count": len(selected)})
    return len(selected)


@transaction.atomic
def add_round_entry(*, round_, entry, reason, actor):
    _require_organiser(actor, round_.competition)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    require_round_not_closed(round_)
    if entry.competition_id != round_.competition_id:
        raise JudgingError(_("Proposal ini bukan dari kompetisi babak ini."))
    if entry.status in (EntryStatus.DRAFT, EntryStatus.RETURNED, EntryStatus.INELIGIBLE, EntryStatus.WITHDRAWN):
        raise JudgingError(
            _("Proposal %(code)s berstatus %(status)s dan tidak dapat ditambahkan ke babak penilaian.")
            % {"code": entry.code or entry.title, "status": entry.get_status_display()}
        )
    require_reason(reason, _("Tuliskan alasan menambahkan proposal ini."))
    if round_.round_entries.filter(entry=entry).exists():
        raise JudgingError(_("Proposal ini sudah ikut babak ini."))
    item = RoundEntry.objects.create(
        round=round_, entry=entry, source=RoundEntrySource.ORGANISER, reason=reason.strip(), added_by=actor
    )
    refresh_automatic_conflicts(round_=round_)
    record_event(
        actor=actor, action="judging.round_entry_added", obj=round_, details={"entry": entry.code, "reason": reason}
    )
    return item


def _locked_round(round_, states, refusal):
    """The round's row, locked FOR UPDATE (its state changes wait for the sheets being written), when its state is
    one of `states`; otherwise JudgingError(refusal)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state not in states:
        raise JudgingError(refusal)
    return round_


@transaction.atomic
def open_round(*, round_, actor):
    _require_organiser(actor, round_.competition)
    round_ = _locked_round(round_, [RoundState.SETUP], _("Hanya babak dalam persiapan yang dapat dibuka."))
    if not round_.criteria.exists():
        raise JudgingError(_("Babak belum memiliki kriteria penilaian."))
    round_.state = RoundState.OPEN
    round_.opens_at = round_.opens_at or timezone.now()
    if round_.closes_at and round_.closes_at <= round_.opens_at:
        round_.closes_at = None
    round_.save(update_fields=["state", "opens_at", "closes_at"])
    record_event(actor=actor, action="judging.round_opened", obj=round_)
    _notify_judges(round_)
    return round_


def _notify_judges(round_, *, template="judging/scoring/email/round_opened", reason=""):
    """Tell each judge of the round (in their language) how many entries wait for them: queued with the opening or
    the reopening (then with the organiser's reason) in its transaction (kipp.outbox); a mail server that is down
    never keeps the round closed."""
    loads = (
        Assignment.objects.filter(round=round_)
        .values("judge_id", "judge__email", "judge__full_name", "judge__language")
        .annotate(n=Count("id"))
        .order_by("judge__email")
    )
    url = absolute_url(reverse("judging:my_rounds"))
    send_templated_mails(
        templated_message(
            to=row["judge__email"],
            template=template,
            context={"name": row["judge__full_name"], "round": round_, "n": row["n"], "url": url, "reason": reason},
            language=row["judge__language"],
            kind=NotificationKind.ROUND_OPENED,
            competition=round_.competition_id,
            user=row["judge_id"],
            about=round_,
        )
        for row in loads
        if row["judge__email"]
    )


@transaction.atomic
def close_round(*, round_, actor, reason=""):
    """Close scoring and store a snapshot of the ranking. With assigned sheets (not recused) still not final, the
    organiser must give a reason; the audit event keeps it with the entries and how many sheets each missed."""
    _require_organiser(actor, round_.competition)
    round_ = _locked_round(round_, [RoundState.OPEN], _("Hanya babak yang sedang dibuka yang dapat ditutup."))
    missing = missing_sheets(round_)
    reason = (reason or "").strip()
    if missing and not has_visible_text(reason):
        raise JudgingError(
            _(
                "%(n)s lembar nilai belum final (%(codes)s). Tuliskan alasan menutup babak tanpa lembar itu; "
                "lembar yang belum final tidak dihitung."
            )
            % {"n": sum(item["missing"] for item in missing), "codes": ", ".join(item["code"] for item in missing)}
        )
    round_.state = RoundState.CLOSED
    round_.closes_at = timezone.now() if not round_.closes_at or round_.closes_at > timezone.now() else round_.closes_at
    if round_.opens_at and round_.closes_at <= round_.opens_at:
        round_.closes_at = None
    round_.reopened_at = None
    round_.save(update_fields=["state", "closes_at", "reopened_at"])
    snapshot = store_snapshot(round_=round_, actor=actor, reason="close")
    details = {"snapshot": snapshot.pk}
    if missing:
        details.update(
            reason=reason,
            missing_sheets=sum(item["missing"] for item in missing),
            missing={item["code"]: item["missing"] for item in missing},
        )
    record_event(actor=actor, action="judging.round_closed", obj=round_, details=details)
    return round_


@transaction.atomic
def reopen_round(*, round_, actor, reason):
    _require_organiser(actor, round_.competition)
    require_reason(reason, _("Tuliskan alasan membuka kembali babak ini."))
    closed = [RoundState.CLOSED, RoundState.PUBLISHED]
    round_ = _locked_round(round_, closed, _("Hanya babak yang sudah ditutup yang dapat dibuka kembali."))
    previous_state = round_.state
    round_.state = RoundState.OPEN
    round_.reopened_at = timezone.now()
    round_.closes_at = None
    round_.save(update_fields=["state", "reopened_at", "closes_at"])
    record_event(
        actor=actor, action="judging.round_reopened", obj=round_, details={"reason": reason, "from": previous_state}
    )
    _notify_judges(round_, template="judging/scoring/email/round_reopened", reason=reason)
    return round_


@transaction.atomic
def publish_round(*, round_, actor):
    _require_organiser(actor, round_.competition)
    round_ = _locked_round(round_, [RoundState.CLOSED], _("Hanya babak yang sudah ditutup yang dapat diumumkan."))
    round_.state = RoundState.PUBLISHED
    round_.save(update_fields=["state"])
    snapshot = store_snapshot(round_=round_, actor=actor, reason="publish", frozen=True)
    record_event(actor=actor, action="judging.round_published", obj=round_, details={"snapshot": snapshot.pk})
    return round_


def store_snapshot(*, round_, actor=None, reason="close", frozen=False):
    """Store the round's ranking as it stands. frozen=True (publishing a closed round): a copy of the snapshot the
    round was closed with, never the live sheets again (a closed round's figures are its snapshot)."""
    latest = latest_snapshot(round_) if frozen else None
    if latest is not None:
        return RankingSnapshot.objects.create(
            round=round_,
            created_by=actor if getattr(actor, "pk", None) else None,
            method=latest.method,
            reason=reason,
            criteria=latest.criteria,
            rows=latest.rows,
        )
    rows = round_ranking(round_)
    criteria = [
        {"key": c.key, "title": c.title, "weight": str(c.weight), "min": c.scale_min, "max": c.scale_max}
        for c in round_criteria(round_)
    ]
    json_rows = [
        {**row, "submitted_at": row["submitted_at"].isoformat() if row["submitted_at"] else None} for row in rows
    ]
    return RankingSnapshot.objects.create(
        round=round_,
        created_by=actor if getattr(actor, "pk", None) else None,
        method=round_.aggregation,
        reason=reason,
        criteria=criteria,
        rows=json_rows,
    )
