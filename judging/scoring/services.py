"""Business writes of judging: rounds, rubrics, judges, assignments, conflicts, score sheets.

Every function validates, writes inside one transaction, records an audit event. A refusal raises JudgingError
with a message meant for the user, and nothing is changed.
"""

import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.enums import EntryStatus
from entries.models import Entry
from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    RankingSnapshot,
    Round,
    RoundEntry,
    RoundJudge,
    Score,
    ScoreBand,
    ScoreSheet,
)
from judging.scoring.enums import (
    AssignmentSource,
    ConflictSource,
    Outcome,
    RoundEntrySource,
    RoundState,
    SheetState,
)
from judging.scoring.rubrics import default_bands, default_rubric
from kipp.db import execute_prepared
from kipp.mail import absolute_url, send_templated_mail
from kipp.models import Competition, User
from kipp.services import record_event

logger = logging.getLogger(__name__)

RESERVED_KEYS = {"rank", "entry_code", "title", "agency", "region", "total", "judges", "spread", "outcome"}


class JudgingError(ValidationError):
    """A refused action; str(error.messages[0]) is shown to the user."""


class StaleSheetError(JudgingError):
    """The sheet changed since the form was loaded (another tab, a retry, a double submit)."""


def _is_organiser(user):
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == "organiser"))


def _require_organiser(actor):
    if not _is_organiser(actor):
        raise JudgingError(_("Hanya penyelenggara yang boleh melakukan ini."))


# Rounds ------------------------------------------------------------------------------------------------------


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
    _require_organiser(actor)
    if entry.competition_id != round_.competition_id:
        raise JudgingError(_("Proposal ini bukan dari kompetisi babak ini."))
    if not (reason or "").strip():
        raise JudgingError(_("Tuliskan alasan menambahkan proposal ini."))
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


@transaction.atomic
def open_round(*, round_, actor):
    _require_organiser(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.SETUP:
        raise JudgingError(_("Hanya babak dalam persiapan yang dapat dibuka."))
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


def _notify_judges(round_):
    loads = (
        Assignment.objects.filter(round=round_)
        .values("judge__email", "judge__full_name")
        .annotate(n=Count("id"))
        .order_by("judge__email")
    )
    for row in loads:
        send_mail(
            _("Penilaian dibuka: %(round)s") % {"round": round_.name},
            _("Yth. %(name)s,\n\nBabak %(round)s telah dibuka. Ada %(n)s proposal untuk Anda nilai di %(url)s.")
            % {
                "name": row["judge__full_name"],
                "round": round_.name,
                "n": row["n"],
                "url": absolute_url("/penilaian/saya/"),
            },
            None,
            [row["judge__email"]],
            fail_silently=True,
        )


@transaction.atomic
def close_round(*, round_, actor, reason=""):
    """Close scoring and store a snapshot of the ranking. With assigned sheets (not recused) still not final, the
    organiser must give a reason; the audit event keeps it with the entries and how many sheets each missed."""
    from judging.scoring.queries import missing_sheets

    _require_organiser(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.OPEN:
        raise JudgingError(_("Hanya babak yang sedang dibuka yang dapat ditutup."))
    missing = missing_sheets(round_)
    reason = (reason or "").strip()
    if missing and not reason:
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
    _require_organiser(actor)
    if not (reason or "").strip():
        raise JudgingError(_("Tuliskan alasan membuka kembali babak ini."))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        raise JudgingError(_("Hanya babak yang sudah ditutup yang dapat dibuka kembali."))
    previous_state = round_.state
    round_.state = RoundState.OPEN
    round_.reopened_at = timezone.now()
    round_.closes_at = None
    round_.save(update_fields=["state", "reopened_at", "closes_at"])
    record_event(
        actor=actor, action="judging.round_reopened", obj=round_, details={"reason": reason, "from": previous_state}
    )
    return round_


@transaction.atomic
def publish_round(*, round_, actor):
    _require_organiser(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.CLOSED:
        raise JudgingError(_("Hanya babak yang sudah ditutup yang dapat diumumkan."))
    round_.state = RoundState.PUBLISHED
    round_.save(update_fields=["state"])
    snapshot = store_snapshot(round_=round_, actor=actor, reason="publish")
    record_event(actor=actor, action="judging.round_published", obj=round_, details={"snapshot": snapshot.pk})
    return round_


def store_snapshot(*, round_, actor=None, reason="close"):
    from judging.scoring.queries import round_criteria, round_ranking

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


# Rubric ------------------------------------------------------------------------------------------------------


def rubric_editable(round_):
    if round_.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        return False
    if round_.reopened_at is not None:
        return True
    return not ScoreSheet.objects.filter(assignment__round=round_, state=SheetState.FINAL).exists()


def _check_rubric_editable(round_):
    if not rubric_editable(round_):
        raise JudgingError(
            _(
                "Rubrik terkunci karena sudah ada lembar nilai final. "
                "Buka kembali babak (dengan alasan) untuk mengubahnya."
            )
        )


def _band_lines(bands):
    return [f"{low}-{high}: {text}" for low, high, text in bands]


def _check_bands(criterion, bands):
    """Bands inside the criterion's scale, each min <= max with a text, no two overlapping (the form names the
    line; this guards every other caller)."""
    ordered = sorted(bands)
    for index, (low, high, text) in enumerate(ordered):
        if not (criterion.scale_min <= low <= high <= criterion.scale_max) or not str(text).strip():
            raise JudgingError(
                _("Deskriptor nilai %(low)s-%(high)s tidak sah untuk skala %(min)s-%(max)s.")
                % {"low": low, "high": high, "min": criterion.scale_min, "max": criterion.scale_max}
            )
        if index and low <= ordered[index - 1][1]:
            raise JudgingError(_("Deskriptor nilai tidak boleh bertumpuk rentangnya."))


@transaction.atomic
def save_criterion(*, round_, actor, criterion=None, bands=None, **fields):
    """Add a criterion (criterion=None) or change one. Totals are never stored, so they follow at once.

    bands: (min, max, text) triples that replace the criterion's score bands (part of the rubric); None keeps them
    as they are, and gives a new criterion the default bands that fit its scale."""
    _require_organiser(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _check_rubric_editable(round_)
    if fields.get("key") in RESERVED_KEYS:
        raise JudgingError(_("Kunci kriteria ini dipakai oleh kolom ekspor; pilih kunci lain."))
    creating = criterion is None
    key = fields.get("key")
    if key and Criterion.objects.filter(round=round_, key=key).exclude(pk=getattr(criterion, "pk", None)).exists():
        raise JudgingError(_("Kunci kriteria ini sudah dipakai di babak ini."))
    criterion = criterion or Criterion(round=round_)
    before = {name: str(getattr(criterion, name, "")) for name in fields}
    bands_before = [] if creating else list(criterion.bands.values_list("min_value", "max_value", "text"))
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.full_clean(exclude=["round"])
    if bands is not None:
        bands = [(int(low), int(high), str(text).strip()) for low, high, text in bands]
        _check_bands(criterion, bands)
    if not creating:
        lo, hi = criterion.scale_min, criterion.scale_max
        if criterion.scores.filter(Q(value__lt=lo) | Q(value__gt=hi)).exists():
            raise JudgingError(_("Sudah ada nilai di luar skala baru; skala tidak dapat diubah seperti itu."))
    criterion.save()
    if bands is None and creating:
        bands = [
            (low, high, text)
            for low, high, text in default_bands()
            if criterion.scale_min <= low and high <= criterion.scale_max
        ]
    details = {"criterion": criterion.key, "before": before, "after": {k: str(v) for k, v in fields.items()}}
    if bands is not None:
        criterion.bands.all().delete()
        ScoreBand.objects.bulk_create(
            [ScoreBand(criterion=criterion, min_value=low, max_value=high, text=text) for low, high, text in bands]
        )
        details["bands"] = {"before": _band_lines(bands_before), "after": _band_lines(sorted(bands, reverse=True))}
    record_event(
        actor=actor,
        action="judging.criterion_added" if creating else "judging.criterion_changed",
        obj=round_,
        details=details,
    )
    return criterion


@transaction.atomic
def delete_criterion(*, criterion, actor):
    _require_organiser(actor)
    round_ = Round.objects.select_for_update().get(pk=criterion.round_id)
    _check_rubric_editable(round_)
    removed = Score.objects.filter(criterion=criterion).delete()[0]
    record_event(
        actor=actor,
        action="judging.criterion_deleted",
        obj=round_,
        details={"criterion": criterion.key, "scores_removed": removed},
    )
    criterion.delete()


# Judges and conflicts -------------------------------------------------------------------------------------------


@transaction.atomic
def add_judges(*, round_, judges, actor=None):
    judges = list(judges)
    for judge in judges:
        if judge.role != "judge":
            raise JudgingError(_("%(name)s bukan juri.") % {"name": judge.full_name})
    existing = set(round_.round_judges.values_list("judge_id", flat=True))
    new = [RoundJudge(round=round_, judge=j) for j in judges if j.pk not in existing]
    RoundJudge.objects.bulk_create(new)
    refresh_automatic_conflicts(round_=round_)
    if new:
        record_event(
            actor=actor, action="judging.judges_added", obj=round_, details={"judges": [rj.judge.email for rj in new]}
        )
    return len(new)


def refresh_automatic_conflicts(*, round_):
    """Record (competition-wide) automatic conflicts: the judge's agency is the entry's agency, or the judge's
    region or the region of the judge's agency is the entry's region. One INSERT ... SELECT."""
    from kipp.models import Agency, User

    sql = f"""
        INSERT INTO {Conflict._meta.db_table} (competition_id, round_id, judge_id, entry_id, source, reason, created_at)
        SELECT r.competition_id, NULL, rj.judge_id, e.id, %s,
               CASE WHEN u.agency_id = e.agency_id THEN %s ELSE %s END, now()
        FROM {Round._meta.db_table} r
        JOIN {RoundJudge._meta.db_table} rj ON rj.round_id = r.id
        JOIN {RoundEntry._meta.db_table} re ON re.round_id = r.id
        JOIN {Entry._meta.db_table} e ON e.id = re.entry_id
        JOIN {Agency._meta.db_table} ea ON ea.id = e.agency_id
        JOIN {User._meta.db_table} u ON u.id = rj.judge_id
        LEFT JOIN {Agency._meta.db_table} ja ON ja.id = u.agency_id
        WHERE r.id = %s
          AND (u.agency_id = e.agency_id OR u.region_id = ea.region_id OR ja.region_id = ea.region_id)
        ON CONFLICT DO NOTHING
    """  # noqa: S608 - table names from model meta, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [ConflictSource.AUTOMATIC, _("Instansi yang sama"), _("Daerah yang sama"), round_.pk])
        return cursor.rowcount


def _conflicts(round_, judge_id, entry_id):
    return Conflict.objects.filter(
        Q(round__isnull=True) | Q(round=round_),
        competition_id=round_.competition_id,
        judge_id=judge_id,
        entry_id=entry_id,
    )


def conflicted(*, round_, judge_id, entry_id):
    return _conflicts(round_, judge_id, entry_id).exists()


def conflict_pairs(round_):
    """{(judge_id, entry_id)} of every conflict that applies to the round."""
    return set(
        Conflict.objects.filter(
            Q(round__isnull=True) | Q(round=round_), competition_id=round_.competition_id
        ).values_list("judge_id", "entry_id")
    )


@transaction.atomic
def declare_conflict(*, assignment, judge, reason):
    """A judge declares a conflict of interest (at any time). On an existing sheet it is a recusal."""
    if assignment.judge_id != judge.pk:
        raise JudgingError(_("Anda tidak ditugaskan menilai proposal ini."))
    if not (reason or "").strip():
        raise JudgingError(_("Tuliskan alasan konflik kepentingan."))
    round_ = assignment.round
    if conflicted(round_=round_, judge_id=judge.pk, entry_id=assignment.entry_id):
        raise JudgingError(_("Konflik kepentingan untuk proposal ini sudah tercatat."))
    conflict = Conflict.objects.create(
        competition_id=round_.competition_id,
        round=round_,
        judge=judge,
        entry_id=assignment.entry_id,
        source=ConflictSource.DECLARED,
        reason=reason.strip(),
        created_by=judge,
    )
    has_sheet = ScoreSheet.objects.filter(assignment=assignment).exists()
    record_event(
        actor=judge,
        action="judging.conflict_declared",
        obj=conflict,
        details={"round": round_.slug, "entry": assignment.entry.code, "recusal": has_sheet, "reason": reason},
    )
    transaction.on_commit(lambda: _notify_conflict(conflict, round_, assignment.entry, recusal=has_sheet))
    return conflict


def _notify_conflict(conflict, round_, entry, *, recusal):
    """Tell the organisers (each in their language) that an entry lost a judge: the dashboard offers a replacement.
    After the commit; a mail failure is logged, never undoes the declaration."""
    context = {
        "judge": conflict.judge.full_name,
        "entry": entry,
        "round": round_,
        "reason": conflict.reason,
        "recusal": recusal,
        "url": absolute_url(
            reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug]) + "#short-h"
        ),
    }
    for organiser in User.objects.filter(role="organiser", is_active=True).order_by("email"):
        try:
            send_templated_mail(
                to=organiser.email,
                template="judging/scoring/email/conflict_declared",
                context=context,
                language=organiser.language,
            )
        except Exception:  # noqa: BLE001 - the conflict stands; the organiser still sees it on the dashboard
            logger.exception("conflict notification to %s failed", organiser.email)


@transaction.atomic
def record_conflict(*, competition, judge, entry, reason, actor, round_=None):
    _require_organiser(actor)
    if not (reason or "").strip():
        raise JudgingError(_("Tuliskan alasan konflik kepentingan."))
    if entry.competition_id != competition.pk:
        raise JudgingError(_("Proposal ini bukan dari kompetisi ini."))
    conflict, created = Conflict.objects.get_or_create(
        competition=competition,
        round=round_,
        judge=judge,
        entry=entry,
        defaults={"source": ConflictSource.ORGANISER, "reason": reason.strip(), "created_by": actor},
    )
    if not created:
        raise JudgingError(_("Konflik kepentingan ini sudah tercatat."))
    record_event(
        actor=actor,
        action="judging.conflict_recorded",
        obj=conflict,
        details={"entry": entry.code, "judge": judge.email, "reason": reason},
    )
    return conflict


# Assignment -----------------------------------------------------------------------------------------------------


def _check_assignable(round_, entry_id, judge_id, *, conflicts=None, judges=None, entries=None):
    if round_.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        raise JudgingError(_("Babak sudah ditutup; penugasan tidak dapat diubah."))
    judges = judges if judges is not None else set(round_.round_judges.values_list("judge_id", flat=True))
    entries = entries if entries is not None else set(round_.round_entries.values_list("entry_id", flat=True))
    if judge_id not in judges:
        raise JudgingError(_("Juri ini belum ditambahkan ke babak."))
    if entry_id not in entries:
        raise JudgingError(_("Proposal ini tidak ikut babak ini."))
    if conflicts is not None:
        if (judge_id, entry_id) in conflicts:
            raise JudgingError(_("Juri ini memiliki konflik kepentingan dengan proposal ini."))
    elif conflicted(round_=round_, judge_id=judge_id, entry_id=entry_id):
        raise JudgingError(_("Juri ini memiliki konflik kepentingan dengan proposal ini."))


@transaction.atomic
def assign(*, round_, entry, judge, actor=None, source=AssignmentSource.MANUAL):
    _check_assignable(round_, entry.pk, judge.pk)
    assignment, created = Assignment.objects.get_or_create(
        round=round_, entry=entry, judge=judge, defaults={"source": source}
    )
    if not created:
        raise JudgingError(_("Proposal ini sudah ditugaskan kepada juri ini."))
    record_event(
        actor=actor,
        action="judging.assigned",
        obj=round_,
        details={"entry": entry.code, "judge": judge.email, "source": source},
    )
    return assignment


@transaction.atomic
def bulk_assign(*, round_, pairs, actor=None, source=AssignmentSource.MANUAL):
    """pairs: iterable of (entry_id, judge_id). All or nothing."""
    conflicts = conflict_pairs(round_)
    judges = set(round_.round_judges.values_list("judge_id", flat=True))
    entries = set(round_.round_entries.values_list("entry_id", flat=True))
    existing = set(Assignment.objects.filter(round=round_).values_list("entry_id", "judge_id"))
    new = []
    for entry_id, judge_id in dict.fromkeys(pairs):
        _check_assignable(round_, entry_id, judge_id, conflicts=conflicts, judges=judges, entries=entries)
        if (entry_id, judge_id) not in existing:
            new.append(Assignment(round=round_, entry_id=entry_id, judge_id=judge_id, source=source))
    Assignment.objects.bulk_create(new)
    if new:
        record_event(
            actor=actor, action="judging.bulk_assigned", obj=round_, details={"count": len(new), "source": source}
        )
    return len(new)


def _active_assignment_counts(round_, conflicts):
    """entry_id -> judge ids assigned and not recused; judge_id -> load (all assignments)."""
    per_entry = defaultdict(set)
    loads = defaultdict(int)
    for entry_id, judge_id in Assignment.objects.filter(round=round_).values_list("entry_id", "judge_id"):
        loads[judge_id] += 1
        if (judge_id, entry_id) not in conflicts:
            per_entry[entry_id].add(judge_id)
    return per_entry, loads


@transaction.atomic
def auto_assign(*, round_, actor=None, k=None):
    """Give every entry of the round k judges (not conflicted), keeping judges' loads within one of each other.

    Deterministic: entries with the fewest possible judges first, then by code; among judges, the lowest load,
    then the lowest id. A final pass moves new assignments from the busiest to the least busy judge where that
    is allowed. Returns the number of assignments created; entries that cannot get k judges stay short (shown on
    the dashboard)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        raise JudgingError(_("Babak sudah ditutup; penugasan tidak dapat diubah."))
    k = k or round_.judges_per_entry
    judges = sorted(round_.round_judges.values_list("judge_id", flat=True))
    if not judges:
        raise JudgingError(_("Tambahkan juri ke babak terlebih dahulu."))
    conflicts = conflict_pairs(round_)
    per_entry, loads = _active_assignment_counts(round_, conflicts)
    assigned_any = set(Assignment.objects.filter(round=round_).values_list("entry_id", "judge_id"))
    entries = list(round_.round_entries.order_by("entry__code").values_list("entry_id", "entry__code"))

    def candidates(entry_id):
        return [j for j in judges if (j, entry_id) not in conflicts and (entry_id, j) not in assigned_any]

    entries.sort(key=lambda item: (len(candidates(item[0])), item[1]))
    new = []
    for entry_id, _code in entries:
        need = k - len(per_entry[entry_id])
        if need <= 0:
            continue
        chosen = sorted(candidates(entry_id), key=lambda j: (loads[j], j))[:need]
        for judge_id in chosen:
            loads[judge_id] += 1
            per_entry[entry_id].add(judge_id)
            assigned_any.add((entry_id, judge_id))
            new.append([entry_id, judge_id])
    _balance(new, judges, loads, conflicts, assigned_any)
    Assignment.objects.bulk_create(
        [Assignment(round=round_, entry_id=e, judge_id=j, source=AssignmentSource.AUTOMATIC) for e, j in new]
    )
    record_event(actor=actor, action="judging.auto_assigned", obj=round_, details={"count": len(new), "k": k})
    return len(new)


def _balance(new, judges, loads, conflicts, assigned_any):
    for _attempt in range(len(new) + 1):
        high = max(judges, key=lambda j: (loads[j], -j))
        low = min(judges, key=lambda j: (loads[j], j))
        if loads[high] - loads[low] <= 1:
            return
        for pair in new:
            entry_id, judge_id = pair
            if judge_id == high and (low, entry_id) not in conflicts and (entry_id, low) not in assigned_any:
                assigned_any.discard((entry_id, high))
                assigned_any.add((entry_id, low))
                pair[1] = low
                loads[high] -= 1
                loads[low] += 1
                break
        else:
            return


@transaction.atomic
def assign_replacement(*, round_, entry, judge, actor):
    """Give an entry short of k judges (after a recusal) another judge."""
    _require_organiser(actor)
    return assign(round_=round_, entry=entry, judge=judge, actor=actor, source=AssignmentSource.REPLACEMENT)


@transaction.atomic
def unassign(*, assignment, actor):
    _require_organiser(actor)
    if ScoreSheet.objects.filter(assignment=assignment).exists():
        raise JudgingError(_("Juri sudah mulai menilai proposal ini; penugasan tidak dapat dihapus."))
    record_event(
        actor=actor,
        action="judging.unassigned",
        obj=assignment.round,
        details={"entry": assignment.entry.code, "judge": assignment.judge.email},
    )
    assignment.delete()


# Score sheets ---------------------------------------------------------------------------------------------------


class ConflictOfInterestError(JudgingError):
    """The judge has a conflict of interest with the entry of the assignment."""


def _lock_sql():
    tables = {model.__name__: model._meta.db_table for model in (Assignment, Round, Competition, Entry)}
    return f"""
        SELECT a.judge_id, a.entry_id, r.id, r.competition_id, r.slug, r.name, r.state, c.slug, e.code
          FROM {tables["Assignment"]} a
          JOIN {tables["Round"]} r ON r.id = a.round_id
          JOIN {tables["Competition"]} c ON c.id = r.competition_id
          JOIN {tables["Entry"]} e ON e.id = a.entry_id
         WHERE a.id = %s
           FOR UPDATE OF a FOR SHARE OF r
    """  # noqa: S608 - table names from model meta, the id is a parameter


def _locked_assignment(assignment, judge):
    """Lock the assignment row FOR UPDATE: creating, saving and submitting its sheet are serialised on it. Lock the
    round's row FOR SHARE (the ORM cannot mix the two in one statement, hence the SQL): closing the round or changing
    its rubric (both lock it FOR UPDATE) waits for the sheets being written and they wait for it, while the sheets of
    different assignments are written side by side. Locked rows are read in their latest committed version.

    Returns the locked assignment (with the round's state and the names the audit event shows) and its sheet or
    None. The conflicts and the sheet are read by the next statement, once the locks are held: what a transaction we
    waited for committed is seen."""
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, _lock_sql(), [assignment.pk])
        row = cursor.fetchone()
    if row is None:
        raise JudgingError(_("Proposal ini tidak ditugaskan kepada Anda."))
    judge_id, entry_id, round_id, competition_id, round_slug, round_name, round_state, competition_slug, code = row
    if judge_id != judge.pk:
        raise JudgingError(_("Proposal ini tidak ditugaskan kepada Anda."))
    if round_state != RoundState.OPEN:
        raise JudgingError(_("Babak ini tidak sedang dibuka; nilai tidak dapat disimpan atau dikirim."))
    db = connection.alias  # instances holding just these fields (the others deferred, as with .only())
    locked = Assignment.from_db(
        db, ["id", "round_id", "entry_id", "judge_id"], [assignment.pk, round_id, entry_id, judge_id]
    )
    locked.round = Round.from_db(
        db,
        ["id", "competition_id", "slug", "name", "state"],
        [round_id, competition_id, round_slug, round_name, round_state],
    )
    locked.round.competition = Competition.from_db(db, ["id", "slug"], [competition_id, competition_slug])
    locked.entry = Entry.from_db(db, ["id", "code"], [entry_id, code])
    locked.judge = judge  # the same row (checked above)
    conflicted_, sheet = _conflict_and_sheet(locked)
    if conflicted_:
        raise ConflictOfInterestError(
            _("Anda memiliki konflik kepentingan dengan proposal ini; Anda tidak dapat menilainya.")
        )
    return locked, sheet


def _conflict_and_sheet(locked):
    """(whether a conflict applies, the sheet or None) of a locked assignment, in one statement: the rule of
    _conflicts() (the competition's conflicts of this judge and entry, for all rounds or for this one) in SQL."""
    columns = [field.column for field in ScoreSheet._meta.concrete_fields]
    sql = f"""
        SELECT EXISTS (
                   SELECT 1 FROM {Conflict._meta.db_table} c
                    WHERE c.competition_id = %s AND c.judge_id = %s AND c.entry_id = %s
                      AND (c.round_id IS NULL OR c.round_id = %s)
               ), {", ".join(f"s.{column}" for column in columns)}
          FROM (SELECT 1) AS one
          LEFT JOIN {ScoreSheet._meta.db_table} s ON s.assignment_id = %s
    """  # noqa: S608 - table and column names from model meta, values are parameters
    params = [locked.round.competition_id, locked.judge_id, locked.entry_id, locked.round_id, locked.pk]
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, sql, params)
        conflicted_, *values = cursor.fetchone()
    if values[0] is None:
        return conflicted_, None
    sheet = ScoreSheet.from_db(connection.alias, [f.attname for f in ScoreSheet._meta.concrete_fields], values)
    sheet.assignment = locked
    return conflicted_, sheet


def _checked_values(criteria, values):
    """values: {criterion_id: (value or None, comment)} -> {criterion_id: (int or None, stripped comment)}.
    Every value is checked against its criterion's scale."""
    checked = {}
    for criterion_id, (value, comment) in values.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            raise JudgingError(_("Kriteria tidak dikenal untuk babak ini."))
        comment = (comment or "").strip()
        if value in (None, ""):
            checked[criterion.pk] = (None, comment)
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise JudgingError(
                _("Nilai %(criterion)s harus bilangan bulat.") % {"criterion": criterion.title}
            ) from None
        if not criterion.scale_min <= value <= criterion.scale_max:
            raise JudgingError(
                _("Nilai %(criterion)s harus antara %(min)s dan %(max)s.")
                % {"criterion": criterion.title, "min": criterion.scale_min, "max": criterion.scale_max}
            )
        checked[criterion.pk] = (value, comment)
    return checked


def _write_scores(sheet, checked, existing):
    """Bring the sheet's scores to `checked` (a criterion without a value loses its score); `existing` is
    {criterion_id: Score} of the sheet before."""
    to_create, to_update, to_delete = [], [], []
    for criterion_id, (value, comment) in checked.items():
        score = existing.get(criterion_id)
        if value is None:
            if score is not None:
                to_delete.append(score.pk)
        elif score is None:
            to_create.append(Score(sheet=sheet, criterion_id=criterion_id, value=value, comment=comment))
        elif score.value != value or score.comment != comment:
            score.value, score.comment = value, comment
            to_update.append(score)
    if to_delete:
        Score.objects.filter(pk__in=to_delete).delete()
    if to_create:
        Score.objects.bulk_create(to_create)
    if to_update:
        Score.objects.bulk_update(to_update, ["value", "comment"])


def _save(assignment, judge, values, overall_comment, version, *, final):
    """Save the sheet as a draft, or as final (every required criterion scored). One INSERT or UPDATE of the sheet,
    and one statement per kind of score change."""
    locked, sheet = _locked_assignment(assignment, judge)
    current = sheet.version if sheet else 0
    if sheet and sheet.state == SheetState.FINAL:
        raise StaleSheetError(_("Lembar nilai ini sudah dikirim final dan terkunci; perubahan tidak disimpan."))
    if int(version) != current:
        raise StaleSheetError(
            _(
                "Lembar nilai ini sudah diubah di tab atau perangkat lain. Muat ulang halaman untuk melihat versi "
                "terbaru; perubahan Anda belum disimpan."
            )
        )
    from judging.scoring.queries import round_criteria

    criteria = {c.pk: c for c in round_criteria(locked.round_id)}
    checked = _checked_values(criteria, values)
    existing = {s.criterion_id: s for s in sheet.scores.all()} if sheet else {}
    scored = {pk for pk in existing if pk not in checked}
    scored |= {pk for pk, (value, _comment) in checked.items() if value is not None}
    if final:
        missing = [c.title for c in criteria.values() if c.required and c.pk not in scored]
        if missing:
            raise JudgingError(
                _("Belum dinilai: %(list)s. Simpan sebagai draf atau lengkapi nilainya.") % {"list": ", ".join(missing)}
            )
    state = SheetState.FINAL if final else SheetState.DRAFT
    submitted_at = timezone.now() if final else None
    if sheet is None:
        sheet = ScoreSheet.objects.create(
            assignment=locked,
            version=1,
            overall_comment=overall_comment or "",
            state=state,
            submitted_at=submitted_at,
        )
    else:
        sheet.version += 1
        sheet.overall_comment = overall_comment or ""
        sheet.state, sheet.submitted_at = state, submitted_at
        sheet.save(update_fields=["version", "overall_comment", "state", "submitted_at", "updated_at"])
    _write_scores(sheet, checked, existing)
    return locked, sheet


@transaction.atomic
def save_sheet(*, assignment, judge, values, overall_comment="", version):
    """Save a draft (any time while the round is open). `version` is the sheet version the form was loaded with
    (0 for a sheet not started)."""
    return _save(assignment, judge, values, overall_comment, version, final=False)[1]


@transaction.atomic
def submit_sheet(*, assignment, judge, values, overall_comment="", version):
    """Save and make final: every required criterion must have a value. Final locks the sheet."""
    locked, sheet = _save(assignment, judge, values, overall_comment, version, final=True)
    record_event(
        actor=judge,
        action="judging.sheet_submitted",
        obj=sheet,
        details={"round": locked.round.slug, "entry": locked.entry.code},
    )
    return sheet


@transaction.atomic
def unlock_sheet(*, sheet, actor, reason):
    _require_organiser(actor)
    if not (reason or "").strip():
        raise JudgingError(_("Tuliskan alasan membuka kunci lembar nilai."))
    sheet = ScoreSheet.objects.select_for_update().select_related("assignment__round").get(pk=sheet.pk)
    if sheet.state != SheetState.FINAL:
        raise JudgingError(_("Lembar nilai ini belum final."))
    if sheet.assignment.round.state != RoundState.OPEN:
        raise JudgingError(_("Buka kembali babak terlebih dahulu."))
    sheet.state = SheetState.DRAFT
    sheet.submitted_at = None
    sheet.version += 1
    sheet.save()
    record_event(actor=actor, action="judging.sheet_unlocked", obj=sheet, details={"reason": reason})
    return sheet
