"""Judges of a round and their assignments: by hand, in bulk, automatic (k judges an entry, balanced loads),
replacements after a recusal."""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from judging.models import Assignment, Round, RoundJudge, ScoreSheet
from judging.scoring.enums import AssignmentSource
from judging.scoring.services.conflicts import conflict_pairs, conflicted, refresh_automatic_conflicts
from judging.scoring.services.errors import JudgingError, require_round_not_closed
from judging.scoring.services.errors import require_organiser as _require_organiser
from kipp.organisations.enums import MembershipKind
from kipp.organisations.queries import people_of
from kipp.services import record_event


@transaction.atomic
def add_judges(*, round_, judges, actor=None):
    require_round_not_closed(round_)
    judges = list(judges)
    allowed = set(
        people_of(round_.competition.organisation_id, MembershipKind.JUDGE)
        .filter(pk__in=[j.pk for j in judges])
        .values_list("pk", flat=True)
    )
    for judge in judges:
        if judge.pk not in allowed:
            raise JudgingError(
                _("%(name)s bukan juri %(organisation)s.")
                % {"name": judge.full_name, "organisation": round_.competition.organisation.name}
            )
    existing = set(round_.round_judges.values_list("judge_id", flat=True))
    new = [RoundJudge(round=round_, judge=j) for j in judges if j.pk not in existing]
    RoundJudge.objects.bulk_create(new)
    refresh_automatic_conflicts(round_=round_)
    if new:
        record_event(
            actor=actor, action="judging.judges_added", obj=round_, details={"judges": [rj.judge.email for rj in new]}
        )
    return len(new)


def _check_assignable(round_, entry_id, judge_id, *, conflicts=None, judges=None, entries=None):
    require_round_not_closed(round_)
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
    details = {"entry": entry.code, "judge": judge.email, "source": source}
    record_event(actor=actor, action="judging.assigned", obj=round_, details=details)
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
    require_round_not_closed(round_)
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
    _require_organiser(actor, round_.competition)
    return assign(round_=round_, entry=entry, judge=judge, actor=actor, source=AssignmentSource.REPLACEMENT)


@transaction.atomic
def unassign(*, assignment, actor):
    _require_organiser(actor, assignment.round.competition)
    require_round_not_closed(Round.objects.select_for_update().get(pk=assignment.round_id))
    if ScoreSheet.objects.filter(assignment=assignment).exists():
        raise JudgingError(_("Juri sudah mulai menilai proposal ini; penugasan tidak dapat dihapus."))
    record_event(
        actor=actor,
        action="judging.unassigned",
        obj=assignment.round,
        details={"entry": assignment.entry.code, "judge": assignment.judge.email},
    )
    assignment.delete()
