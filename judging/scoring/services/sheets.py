"""Score sheets: save a draft, submit it final (the judge's hot path: prepared statements under the assignment's
lock), unlock a final sheet."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.models import Entry
from judging.models import Assignment, Conflict, Round, Score, ScoreSheet
from judging.scoring.conflicts import conflict_applies_sql
from judging.scoring.enums import RoundState, SheetState
from judging.scoring.queries import round_criteria
from judging.scoring.services.errors import (
    CLOSED_STATES,
    ConflictOfInterestError,
    JudgingError,
    StaleSheetError,
    closed_round_refusal,
    require_reason,
    require_round_not_closed,
)
from judging.scoring.services.errors import require_organiser as _require_organiser
from kipp import idempotency
from kipp.db import execute_prepared
from kipp.models import Competition
from kipp.services import record_event


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
    if round_state in CLOSED_STATES:
        raise JudgingError(closed_round_refusal(round_name))
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
    judging/scoring/conflicts.py (the competition's conflicts of this judge and entry, for all rounds or this one)."""
    columns = [field.column for field in ScoreSheet._meta.concrete_fields]
    applies = conflict_applies_sql("c", competition="%s", judge="%s", entry="%s", round="%s")
    sql = f"""
        SELECT EXISTS (
                   SELECT 1 FROM {Conflict._meta.db_table} c
                    WHERE {applies}
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


def _sending(locked, judge, checked, overall_comment, form_key, final):
    """This sending of the sheet's form (kipp/idempotency.py): one row per assignment, the content as checked."""
    return idempotency.Sending(
        key=form_key,
        user=judge,
        ref=f"judging.assignment:{locked.pk}",
        action="judging.sheet_submit" if final else "judging.sheet_save",
        content=[sorted(checked.items()), overall_comment or ""],
    )


def _save(assignment, judge, values, overall_comment, version, *, final, form_key=""):
    """Save the sheet as a draft, or as final (every required criterion scored). One INSERT or UPDATE of the sheet,
    and one statement per kind of score change. A form sent again after its first sending was stored is answered
    with the stored sheet, marked `already_saved`, and nothing is written (kipp/idempotency.py)."""
    locked, sheet = _locked_assignment(assignment, judge)
    current = sheet.version if sheet else 0
    criteria = {c.pk: c for c in round_criteria(locked.round_id)}
    checked = _checked_values(criteria, values)
    sending = _sending(locked, judge, checked, overall_comment, form_key, final)
    retry = sending.recognise(current)
    if retry is idempotency.Retry.RETRY:
        return locked, idempotency.mark(sheet, retry)
    if retry is idempotency.Retry.OVERTAKEN:
        raise StaleSheetError(
            _(
                "Formulir ini sudah tersimpan sebelumnya, tetapi lembar nilai berubah sesudahnya (di tab atau "
                "perangkat lain, atau kuncinya dibuka penyelenggara). Muat ulang halaman untuk melihat versi "
                "terbaru; pengiriman ulang ini tidak disimpan."
            )
        )
    if retry is idempotency.Retry.CONTINUES:
        version = current  # this very form wrote the current version: it goes on from there
    if sheet and sheet.state == SheetState.FINAL:
        raise StaleSheetError(_("Lembar nilai ini sudah dikirim final dan terkunci; perubahan tidak disimpan."))
    if int(version) != current:
        raise StaleSheetError(
            _(
                "Lembar nilai ini sudah diubah di tab atau perangkat lain. Muat ulang halaman untuk melihat versi "
                "terbaru; perubahan Anda belum disimpan."
            )
        )
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
    sending.record(sheet.version)
    return locked, idempotency.mark(sheet, retry)


@transaction.atomic
def save_sheet(*, assignment, judge, values, overall_comment="", version, form_key=""):
    """Save a draft (any time while the round is open). `version` is the sheet version the form was loaded with
    (0 for a sheet not started); `form_key` the form's idempotency key (kipp/idempotency.py)."""
    return _save(assignment, judge, values, overall_comment, version, final=False, form_key=form_key)[1]


@transaction.atomic
def submit_sheet(*, assignment, judge, values, overall_comment="", version, form_key=""):
    """Save and make final: every required criterion must have a value. Final locks the sheet. A retry of a
    stored submit returns the sheet marked `already_saved`, with no second audit event."""
    locked, sheet = _save(assignment, judge, values, overall_comment, version, final=True, form_key=form_key)
    if idempotency.already_saved(sheet):
        return sheet
    record_event(
        actor=judge,
        action="judging.sheet_submitted",
        obj=sheet,
        details={"round": locked.round.slug, "entry": locked.entry.code},
    )
    return sheet


@transaction.atomic
def unlock_sheet(*, sheet, actor, reason):
    _require_organiser(actor, sheet.assignment.round.competition)
    require_reason(reason, _("Tuliskan alasan membuka kunci lembar nilai."))
    sheet = ScoreSheet.objects.select_for_update().select_related("assignment__round").get(pk=sheet.pk)
    require_round_not_closed(Round.objects.select_for_update().get(pk=sheet.assignment.round_id))
    if sheet.state != SheetState.FINAL:
        raise JudgingError(_("Lembar nilai ini belum final."))
    if sheet.assignment.round.state != RoundState.OPEN:
        raise JudgingError(_("Buka kembali babak terlebih dahulu."))
    sheet.state = SheetState.DRAFT
    sheet.submitted_at = None
    sheet.version += 1
    sheet.save()
    record_event(actor=actor, action="judging.sheet_unlocked", obj=sheet, details={"reason": reason})
    _mail_unlocked(sheet, reason)
    return sheet


def _mail_unlocked(sheet, reason):
    """The judge whose final sheet was unlocked hears it (in their language, with the reason and the link), queued
    in the unlock's transaction (kipp.outbox)."""
    from django.urls import reverse

    from kipp.mail import absolute_url, send_templated_mail
    from kipp.outbox.enums import NotificationKind

    assignment = Assignment.objects.select_related("judge", "entry", "round").get(pk=sheet.assignment_id)
    judge = assignment.judge
    if not judge.email:
        return
    send_templated_mail(
        to=judge.email,
        template="judging/scoring/email/sheet_unlocked",
        context={
            "name": judge.full_name,
            "round": assignment.round,
            "entry": assignment.entry,
            "reason": reason,
            "url": absolute_url(reverse("judging:sheet", args=[assignment.pk])),
        },
        language=judge.language,
        kind=NotificationKind.SHEET_UNLOCKED,
        competition=assignment.round.competition_id,
        user=judge,
        about=sheet,
    )
