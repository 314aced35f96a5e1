"""Writes of the discussion phase: start it (list the entries), comment, revise a final sheet within the window,
close it early. Each validates, writes in one transaction and records an audit event (kipp.services.record_event,
the hash-chained audit log)."""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from judging.models import (
    Assignment,
    Conflict,
    Discussion,
    DiscussionComment,
    DiscussionEntry,
    DiscussionRevision,
    Round,
    ScoreSheet,
    SheetTotal,
)
from judging.scoring.conflicts import conflict_applies_q
from judging.scoring.discussion.queries import (
    changed_totals,
    discussion_end,
    near_cut_candidates,
    panel_member,
    round_closed_at,
    window_state,
)
from judging.scoring.enums import RoundState, SheetState
from judging.scoring.queries import round_criteria, round_ranking
from judging.scoring.services.errors import JudgingError, StaleSheetError, require_organiser
from judging.scoring.services.sheets import _checked_values, _locked_assignment, _write_scores
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.outbox.enums import NotificationKind
from kipp.services import record_event
from kipp.text import has_visible_text

COMMENT_MAX = 4000


def wita(moment):
    """A time as the pages show it: local time (settings.TIME_ZONE, Asia/Makassar), "WITA" after it."""
    return f"{formats.date_format(timezone.localtime(moment), 'j M Y H:i')} WITA"


def late_end_message(closes_at):
    """The refusal of a window ending after the round's scoring closes (the form's and the service's)."""
    return _("Diskusi harus berakhir paling lambat saat penilaian babak ditutup, %(closes)s.") % {
        "closes": wita(closes_at)
    }


@transaction.atomic
def start_discussion(*, round_, actor, ends_at, starts_at=None):
    """Start the round's discussion (one per round) while scoring is open, before the closing snapshot: list the
    entries within the round's `discussion_places` of the Top N cut whose judges' sheet totals differ (highest
    minus lowest) by more than `discussion_spread`. Refused when none qualifies (nothing is written)."""
    require_organiser(actor, round_.competition)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.OPEN:
        raise JudgingError(_("Diskusi hanya dapat dimulai selagi babak dibuka, sebelum babak ditutup."))
    if Discussion.objects.filter(round=round_).exists():
        raise JudgingError(_("Babak ini sudah memiliki diskusi."))
    now = timezone.now()
    starts_at = starts_at or now
    if ends_at <= starts_at or ends_at <= now:
        raise JudgingError(_("Akhir diskusi harus sesudah awalnya dan sesudah saat ini."))
    if round_.closes_at and ends_at > round_.closes_at:
        raise JudgingError(late_end_message(round_.closes_at))
    rows = near_cut_candidates(
        round_, round_ranking(round_), spread=round_.discussion_spread, places=round_.discussion_places
    )
    if not rows:
        raise JudgingError(
            _(
                "Tidak ada proposal dalam %(places)s peringkat dari garis batas yang selisih nilai jurinya lebih "
                "dari %(spread)s poin; diskusi tidak dimulai."
            )
            % {"places": round_.discussion_places, "spread": formats.number_format(round_.discussion_spread)}
        )
    discussion = Discussion.objects.create(
        round=round_,
        starts_at=starts_at,
        ends_at=ends_at,
        spread=round_.discussion_spread,
        places=round_.discussion_places,
        started_by=actor,
    )
    DiscussionEntry.objects.bulk_create(
        [
            DiscussionEntry(
                discussion=discussion,
                entry_id=row["entry_id"],
                rank=row["rank"],
                total=row["total"],
                spread=row["max_min"],
                judges=row["counting"],
            )
            for row in rows
        ]
    )
    _notify_panels(discussion)
    record_event(
        actor=actor,
        action="judging.discussion_started",
        obj=round_,
        details={
            "discussion": discussion.pk,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "spread": str(round_.discussion_spread),
            "places": round_.discussion_places,
            "entries": [row["entry_code"] for row in rows],
        },
    )
    return discussion


def _notify_panels(discussion):
    """Tell each judge on a listed entry's panel (a final sheet on it, no conflict; in their language) how many of
    the entries they scored are to be discussed and until when: queued with the start (kipp.outbox), one mail per
    judge, never twice for one discussion. A judge assigned without a final sheet is not on the panel: no mail."""
    round_ = discussion.round
    conflicted = Conflict.objects.filter(
        conflict_applies_q(round_, judge_id=OuterRef("judge_id"), entry_id=OuterRef("entry_id"))
    )
    loads = (
        Assignment.objects.filter(
            round=round_, entry_id__in=discussion.items.values("entry_id"), sheet__state=SheetState.FINAL
        )
        .exclude(Exists(conflicted))
        .values("judge_id", "judge__email", "judge__full_name", "judge__language")
        .annotate(n=Count("id"))
        .order_by("judge__email")
    )
    url = absolute_url(reverse("judging:my_discussions"))
    send_templated_mails(
        templated_message(
            to=row["judge__email"],
            template="judging/scoring/discussion/email/started",
            context={
                "name": row["judge__full_name"],
                "round": round_,
                "n": row["n"],
                "end": wita(discussion.ends_at),
                "url": url,
            },
            language=row["judge__language"],
            kind=NotificationKind.DISCUSSION,
            competition=round_.competition_id,
            key=f"discussion:{discussion.pk}:{row['judge_id']}",
            user=row["judge_id"],
            about=discussion,
        )
        for row in loads
        if row["judge__email"]
    )


def _require_window(discussion):
    state = window_state(discussion)
    if state == "scheduled":
        raise JudgingError(_("Diskusi belum dimulai; dimulai %(start)s.") % {"start": wita(discussion.starts_at)})
    if state == "ended":
        end, why = discussion_end(discussion, round_closed_at(discussion.round))
        if why == "round_closed":
            raise JudgingError(
                _("Babak sudah ditutup pada %(closed)s; diskusi berakhir. Perubahan tidak disimpan.")
                % {"closed": wita(end)}
            )
        raise JudgingError(
            _("Masa diskusi sudah berakhir pada %(end)s; perubahan tidak disimpan.") % {"end": wita(end)}
        )


def _locked_item(item):
    """The listed entry with its discussion, the discussion's row locked FOR UPDATE: the writes of one discussion
    (comments, revisions, the early close) go one at a time, so a revision never lands after a close that committed
    before it, and the window is checked on the row as it is now. Lock order: discussion, then the assignment and
    the round (the score sheet's own locks); nothing locks them the other way round."""
    item = DiscussionEntry.objects.select_related("entry").get(pk=item.pk)
    item.discussion = (
        Discussion.objects.select_for_update(of=("self",)).select_related("round").get(pk=item.discussion_id)
    )
    return item


@transaction.atomic
def add_comment(*, item, author, text):
    """A comment in the thread of a listed entry, by a judge on its panel, within the window."""
    item = _locked_item(item)
    if not panel_member(author, item):
        raise JudgingError(_("Anda bukan juri proposal ini; Anda tidak dapat ikut diskusinya."))
    _require_window(item.discussion)
    text = (text or "").strip()
    if not has_visible_text(text):
        raise JudgingError(_("Tuliskan komentar Anda."))
    if len(text) > COMMENT_MAX:
        raise JudgingError(_("Komentar paling panjang %(n)s karakter.") % {"n": COMMENT_MAX})
    comment = DiscussionComment.objects.create(item=item, author=author, text=text)
    record_event(
        actor=author,
        action="judging.discussion_comment",
        obj=comment,
        details={"round": item.discussion.round.slug, "entry": item.entry.code},
    )
    return comment


def _sheet_values(sheet, criteria):
    """{criterion key: value} of a sheet (criteria without a score left out)."""
    keys = {c.pk: c.key for c in criteria.values()}
    return {keys[s.criterion_id]: s.value for s in sheet.scores.all() if s.criterion_id in keys}


def _sheet_comments(sheet, criteria):
    """{criterion key: comment} of a sheet's scores (criteria without a score left out)."""
    keys = {c.pk: c.key for c in criteria.values()}
    return {keys[s.criterion_id]: s.comment for s in sheet.scores.all() if s.criterion_id in keys}


def _comment_changes(before, after):
    """{criterion key: {"before": text, "after": text}} for the comments a revision changed."""
    return {
        key: {"before": before.get(key, ""), "after": after.get(key, "")}
        for key in sorted(set(before) | set(after))
        if before.get(key, "") != after.get(key, "")
    }


@transaction.atomic
def revise_sheet(*, item, judge, values, overall_comment="", version):
    """A judge on the panel revises their FINAL sheet of the listed entry within the window (the sheet stays final;
    its version goes up). Refused outside the window (with its end time), for a judge not on the panel, for a
    conflict, a stale form, a missing required value or no change. Audited with the totals and values before and
    after, and the comments it changed (per criterion key, "overall" for the overall comment) with their old and new
    text."""
    item = _locked_item(item)
    _require_window(item.discussion)
    round_ = item.discussion.round
    assignment = Assignment.objects.filter(round_id=round_.pk, entry_id=item.entry_id, judge_id=judge.pk).first()
    if assignment is None:
        raise JudgingError(_("Proposal ini tidak ditugaskan kepada Anda."))
    locked, sheet = _locked_assignment(assignment, judge)  # refuses a conflict and a round no longer open
    if sheet is None or sheet.state != SheetState.FINAL:
        raise JudgingError(
            _("Hanya lembar nilai final yang direvisi dalam diskusi; kirim lembar Anda dari antrean penilaian.")
        )
    if int(version) != sheet.version:
        raise StaleSheetError(
            _("Lembar nilai ini sudah diubah sejak halaman dimuat. Muat ulang halaman; revisi Anda belum disimpan.")
        )
    criteria = {c.pk: c for c in round_criteria(round_.pk)}
    checked = _checked_values(criteria, values)
    existing = {s.criterion_id: s for s in sheet.scores.all()}
    missing = [c.title for c in criteria.values() if c.required and checked.get(c.pk, (None,))[0] is None]
    if missing:
        raise JudgingError(_("Belum dinilai: %(list)s.") % {"list": ", ".join(missing)})
    before = _sheet_values(sheet, criteria)
    before_comments = _sheet_comments(sheet, criteria)
    before_overall = sheet.overall_comment
    before_total = SheetTotal.objects.filter(sheet_id=sheet.pk).values_list("total", flat=True).first()
    now_held = {pk: (score.value, score.comment) for pk, score in existing.items()}
    unchanged = all(now_held.get(pk, (None, "")) == pair for pk, pair in checked.items())
    if unchanged and sheet.overall_comment == (overall_comment or ""):
        raise JudgingError(_("Tidak ada yang berubah; revisi tidak disimpan."))
    _write_scores(sheet, checked, existing)
    sheet.version += 1
    sheet.overall_comment = overall_comment or ""
    sheet.save(update_fields=["version", "overall_comment", "updated_at"])
    sheet = ScoreSheet.objects.prefetch_related("scores").get(pk=sheet.pk)
    after = _sheet_values(sheet, criteria)
    comments = _comment_changes(before_comments, _sheet_comments(sheet, criteria))
    if before_overall != sheet.overall_comment:
        comments["overall"] = {"before": before_overall, "after": sheet.overall_comment}
    after_total = SheetTotal.objects.filter(sheet_id=sheet.pk).values_list("total", flat=True).first()
    revision = DiscussionRevision.objects.create(
        item=item,
        sheet=sheet,
        judge=judge,
        before_total=before_total if before_total is not None else 0.0,
        after_total=after_total if after_total is not None else 0.0,
        before=before,
        after=after,
    )
    record_event(
        actor=judge,
        action="judging.discussion_revision",
        obj=sheet,
        details={
            "round": round_.slug,
            "entry": item.entry.code,
            "before_total": round(revision.before_total, 4),
            "after_total": round(revision.after_total, 4),
            "before": before,
            "after": after,
            "comments": comments,
        },
    )
    return revision


@transaction.atomic
def close_discussion(*, discussion, actor):
    """Close the discussion before its window ends (organisers): revisions and comments stop now."""
    require_organiser(actor, discussion.round.competition)
    discussion = Discussion.objects.select_for_update(of=("self",)).select_related("round").get(pk=discussion.pk)
    if window_state(discussion) == "ended":
        raise JudgingError(
            _("Diskusi ini sudah berakhir pada %(end)s.") % {"end": wita(discussion.ends_effectively_at)}
        )
    discussion.closed_at = timezone.now()
    discussion.closed_by = actor
    discussion.save(update_fields=["closed_at", "closed_by"])
    record_event(
        actor=actor,
        action="judging.discussion_closed",
        obj=discussion.round,
        details={
            "discussion": discussion.pk,
            "totals_changed": changed_totals([discussion.round]).get(discussion.round_id, 0),
        },
    )
    return discussion
