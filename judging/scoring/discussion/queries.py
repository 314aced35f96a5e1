"""Reads of the discussion phase: which entries a discussion lists, who is on an entry's panel, the panel's sheets,
what a judge may open, and how many sheet totals changed in discussion (the method note)."""

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Subquery
from django.utils import timezone

from judging.models import (
    Assignment,
    Conflict,
    Discussion,
    DiscussionComment,
    DiscussionEntry,
    DiscussionRevision,
    RankingSnapshot,
    Score,
    ScoreSheet,
    SheetTotal,
)
from judging.scoring.conflicts import conflict_applies_q
from judging.scoring.enums import RoundState, SheetState


def near_cut_candidates(round_, ranking, *, spread, places):
    """The rows of `ranking` (queries.round_ranking) to discuss: ranked within `places` of the Top N cut (above:
    top_n - places < rank <= top_n; below: up to top_n + places), with a total, at least two counting sheets and a
    disagreement (highest minus lowest sheet total T_p) above `spread`. Each returned row gains `max_min`."""
    low, high = round_.top_n - places, round_.top_n + places
    rows = [row for row in ranking if row["total"] is not None and low < row["rank"] <= high]
    figures = {
        item["entry_id"]: item
        for item in SheetTotal.objects.filter(round_id=round_.pk, entry_id__in=[row["entry_id"] for row in rows])
        .values("entry_id")
        .annotate(hi=Max("total"), lo=Min("total"), n=Count("sheet_id"))
    }
    listed = []
    for row in rows:
        item = figures.get(row["entry_id"])
        if item and item["n"] >= 2 and item["hi"] - item["lo"] > float(spread):
            listed.append({**row, "max_min": item["hi"] - item["lo"], "counting": item["n"]})
    return listed


def window_state(discussion, now=None):
    """ "scheduled" (before the window), "open", or "ended" (the window's end, an early close, or the round no longer
    open: the closing snapshot holds the figures)."""
    now = now or timezone.now()
    if discussion.closed_at is not None or discussion.round.state != RoundState.OPEN or now >= discussion.ends_at:
        return "ended"
    if now < discussion.starts_at:
        return "scheduled"
    return "open"


def panel_member(user, item):
    """True when `user` is on the panel of the listed entry at the time of reading: assigned to it in the
    discussion's round, with a FINAL sheet on it, and no conflict of interest applies. A judge assigned but without a
    final sheet is not on the panel: they see none of the others' scores (and would otherwise score after seeing
    them). One query."""
    if not getattr(user, "pk", None):
        return False
    round_ = item.discussion.round
    return (
        Assignment.objects.filter(
            round_id=round_.pk, entry_id=item.entry_id, judge_id=user.pk, sheet__state=SheetState.FINAL
        )
        .exclude(
            Exists(
                Conflict.objects.filter(
                    conflict_applies_q(round_, judge_id=OuterRef("judge_id"), entry_id=OuterRef("entry_id"))
                )
            )
        )
        .exists()
    )


def assigned_without_final(user, item):
    """True when `user` is assigned to the listed entry but has no final sheet on it yet (the "score it first"
    refusal). One query."""
    if not getattr(user, "pk", None):
        return False
    return (
        Assignment.objects.filter(round_id=item.discussion.round_id, entry_id=item.entry_id, judge_id=user.pk)
        .exclude(sheet__state=SheetState.FINAL)
        .exists()
    )


def round_closed_at(round_):
    """When the round was closed (its latest closing snapshot), or None while it is open. One query when closed."""
    if round_.state == RoundState.OPEN:
        return None
    return (
        RankingSnapshot.objects.filter(round_id=round_.pk, reason="close")
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    ) or round_.closes_at


def _closing_snapshot_at(round_ref):
    return Subquery(
        RankingSnapshot.objects.filter(round_id=round_ref, reason="close")
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def discussion_end(discussion, closed_at=None):
    """(when the discussion ended or ends, why): "round_closed" when the round is no longer open and was closed
    before the window's end (`closed_at`: round_closed_at, given by the caller), "closed_early", or "window"."""
    closed_first = closed_at is not None and closed_at < discussion.ends_effectively_at
    if discussion.round.state != RoundState.OPEN and closed_first:
        return closed_at, "round_closed"
    if discussion.closed_at and discussion.closed_at < discussion.ends_at:
        return discussion.closed_at, "closed_early"
    return discussion.ends_at, "window"


def judge_items(user):
    """The listed entries whose panel `user` is on (assigned with a final sheet, no conflict), newest discussion
    first, with the discussion and round loaded and `round_closed_at` (the round's latest closing snapshot). One
    query whatever the number."""
    assigned = Assignment.objects.filter(
        round_id=OuterRef("discussion__round_id"),
        entry_id=OuterRef("entry_id"),
        judge_id=user.pk,
        sheet__state=SheetState.FINAL,
    )
    conflicted = Conflict.objects.filter(
        conflict_applies_q(
            round_id=OuterRef("discussion__round_id"),
            competition_id=OuterRef("discussion__round__competition_id"),
            judge_id=user.pk,
            entry_id=OuterRef("entry_id"),
        )
    )
    return (
        DiscussionEntry.objects.filter(Exists(assigned))
        .exclude(Exists(conflicted))
        .select_related("discussion__round__competition", "entry")
        .annotate(
            comment_count=Count("comments"), round_closed_at=_closing_snapshot_at(OuterRef("discussion__round_id"))
        )
        .order_by("-discussion__created_at", "rank")
    )


def open_item_count(user):
    """How many listed entries of open discussions wait for `user` (the link on the judge's pages). One query."""
    now = timezone.now()
    return (
        judge_items(user)
        .filter(
            discussion__round__state=RoundState.OPEN,
            discussion__starts_at__lte=now,
            discussion__ends_at__gt=now,
        )
        .filter(discussion__closed_at__isnull=True)
        .count()
    )


def round_items(discussion):
    """The listed entries of a discussion with their comment and revision counts (the organiser's list)."""
    return (
        DiscussionEntry.objects.filter(discussion=discussion)
        .select_related("entry")
        .annotate(comment_count=Count("comments", distinct=True), revision_count=Count("revisions", distinct=True))
        .order_by("rank")
    )


def panel_sheets(item):
    """The FINAL sheets of the listed entry's panel (assignments of its round without a conflict), each with its
    judge, scores (in rubric order; `notes`: those with a comment) and stored total `total`. Names are the panel's
    to see: this is shown to the panel and organisers only."""
    round_ = item.discussion.round
    conflicted = Conflict.objects.filter(
        conflict_applies_q(round_, judge_id=OuterRef("assignment__judge_id"), entry_id=OuterRef("assignment__entry_id"))
    )
    sheets = list(
        ScoreSheet.objects.filter(
            assignment__round_id=round_.pk, assignment__entry_id=item.entry_id, state=SheetState.FINAL
        )
        .exclude(Exists(conflicted))
        .select_related("assignment__judge")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion").order_by("criterion__order", "id"))
        )
        .order_by("assignment__judge__full_name", "id")
    )
    totals = dict(SheetTotal.objects.filter(sheet_id__in=[s.pk for s in sheets]).values_list("sheet_id", "total"))
    for sheet in sheets:
        sheet.total = totals.get(sheet.pk)
        sheet.notes = [score for score in sheet.scores.all() if score.comment]
    return sheets


def thread_comments(item):
    return DiscussionComment.objects.filter(item=item).select_related("author").order_by("created_at", "id")


def item_revisions(item):
    return DiscussionRevision.objects.filter(item=item).select_related("judge").order_by("created_at", "id")


def changed_totals(rounds, *, until=None):
    """{round id: how many sheet totals changed in discussion} for the rounds that had a discussion (0 when none
    changed): a sheet counts once when its total after its last revision differs from its total before its first (a
    revision taken back counts nothing). `until`: only the revisions made up to then (an announcement counts those
    before it was prepared, whatever happens in a round reopened later). One query (the rounds' discussions, each
    joined to its revisions, in order)."""
    prefix = "items__revisions__"
    rows = (
        Discussion.objects.filter(round__in=rounds)
        .order_by(f"{prefix}created_at", f"{prefix}id")
        .values_list(
            "round_id", f"{prefix}sheet_id", f"{prefix}before_total", f"{prefix}after_total", f"{prefix}created_at"
        )
    )
    counts, first, last = {}, {}, {}
    for round_id, sheet_id, before, after, at in rows:
        counts.setdefault(round_id, 0)
        if sheet_id is None or (until is not None and at > until):
            continue
        first.setdefault((round_id, sheet_id), before)
        last[(round_id, sheet_id)] = after
    for key, before in first.items():
        if abs(last[key] - before) > 1e-9:
            counts[key[0]] += 1
    return counts


def round_discussion(round_):
    """The round's discussion or None. One query."""
    return Discussion.objects.filter(round_id=round_.pk).select_related("round").first()
