"""Conflicts of interest: automatic ones (same agency or region), declared by a judge, recorded by an organiser.
The rule of when a conflict applies is judging/scoring/conflicts.py."""

import logging

from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from entries.models import Entry
from judging.models import Conflict, Round, RoundEntry, RoundJudge, ScoreSheet
from judging.scoring.conflicts import conflict_applies_q
from judging.scoring.enums import ConflictSource
from judging.scoring.services.errors import JudgingError, require_reason, require_round_not_closed
from judging.scoring.services.errors import require_organiser as _require_organiser
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import Agency, User
from kipp.organisations.enums import MembershipKind
from kipp.organisations.queries import people_of
from kipp.outbox.enums import NotificationKind
from kipp.services import record_event

logger = logging.getLogger(__name__)


def refresh_automatic_conflicts(*, round_):
    """Record (competition-wide) automatic conflicts: the judge's agency is the entry's agency, or the judge's
    region or the region of the judge's agency is the entry's region. One INSERT ... SELECT."""
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
    return Conflict.objects.filter(conflict_applies_q(round_, judge_id=judge_id, entry_id=entry_id))


def conflicted(*, round_, judge_id, entry_id):
    return _conflicts(round_, judge_id, entry_id).exists()


def conflict_pairs(round_):
    """{(judge_id, entry_id)} of every conflict that applies to the round."""
    return set(Conflict.objects.filter(conflict_applies_q(round_)).values_list("judge_id", "entry_id"))


@transaction.atomic
def declare_conflict(*, assignment, judge, reason):
    """A judge declares a conflict of interest while the round is being set up or scored. On an existing sheet it
    is a recusal. Once the round is closed or published its ranking stays as it was frozen: refused."""
    if assignment.judge_id != judge.pk:
        raise JudgingError(_("Anda tidak ditugaskan menilai proposal ini."))
    require_reason(reason, _("Tuliskan alasan konflik kepentingan."))
    round_ = Round.objects.select_for_update().get(pk=assignment.round_id)
    require_round_not_closed(round_)
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
    _notify_conflict(conflict, round_, assignment.entry, recusal=has_sheet)
    return conflict


def _notify_conflict(conflict, round_, entry, *, recusal):
    """Tell the organisers (each in their language) that an entry lost a judge: the dashboard offers a replacement.
    Queued in the declaration's transaction (kipp.outbox); a mail server that is down never undoes it."""
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
    send_templated_mails(
        templated_message(
            to=organiser.email,
            template="judging/scoring/email/conflict_declared",
            context=context,
            language=organiser.language,
            kind=NotificationKind.CONFLICT,
            competition=round_.competition_id,
            user=organiser,
            about=conflict,
        )
        for organiser in people_of(round_.competition.organisation_id, MembershipKind.ORGANISER)
        .filter(is_active=True)
        .order_by("email")
    )


@transaction.atomic
def record_conflict(*, competition, judge, entry, reason, actor, round_=None):
    _require_organiser(actor, competition)
    require_reason(reason, _("Tuliskan alasan konflik kepentingan."))
    if entry.competition_id != competition.pk:
        raise JudgingError(_("Proposal ini bukan dari kompetisi ini."))
    # a conflict for one round, or for the whole competition, must not change a round that is closed or published
    # where this judge scores this entry (its frozen ranking); the organiser reopens that round first
    if round_ is not None:
        affected = [Round.objects.select_for_update().get(pk=round_.pk)]
    else:
        affected = Round.objects.filter(
            competition=competition, assignments__judge=judge, assignments__entry=entry
        ).distinct()
    for item in affected:
        require_round_not_closed(item)
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
