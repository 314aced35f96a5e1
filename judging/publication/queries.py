"""Reads of publication. `visible_announcements(now)` is the ONE rule of what the public may see: an announcement
is visible only once it is approved (state published) AND its embargo time has passed. Every public page,
download, hook and notification goes through it."""

import datetime
from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Exists, Min, OuterRef, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from judging.models import (
    Announcement,
    AnnouncementRow,
    Criterion,
    DifferenceReason,
    Round,
    ScheduleSlot,
    SelectionChange,
)
from judging.publication.enums import AnnouncementKind, AnnouncementState, ListOrder
from judging.scoring.discussion.queries import changed_totals
from judging.scoring.enums import Outcome, RoundState
from judging.scoring.queries import assign_outcomes, cut_tie, round_figures_ranking

LISTED = (Outcome.SELECTED, Outcome.RESERVE)


def visible_announcements(now=None):
    now = now or timezone.now()
    return Announcement.objects.filter(
        state=AnnouncementState.PUBLISHED,
        approved_by__isnull=False,
        published_at__lte=now,
        embargo_until__lte=now,
    )


def is_visible(announcement, now=None):
    return visible_announcements(now).filter(pk=announcement.pk).exists()


def current_public_announcements(now=None):
    """Visible announcements that no visible correction replaces (the home page list)."""
    now = now or timezone.now()
    replaced = visible_announcements(now).filter(previous=OuterRef("pk"))
    return (
        visible_announcements(now)
        .exclude(Exists(replaced))
        .select_related("round__competition")
        .order_by("-published_at", "-id")
    )


def final_results_public_at(competition_ids, now=None):
    """{competition pk: when its final results became public}: the earliest moment a final announcement of the
    competition became visible (approval and embargo both passed). One query."""
    rows = (
        visible_announcements(now)
        .filter(kind=AnnouncementKind.FINAL, round__competition_id__in=list(competition_ids))
        .values("round__competition_id")
        .annotate(since=Min(Greatest("published_at", "embargo_until")))
    )
    return {row["round__competition_id"]: row["since"] for row in rows}


def visible_at(announcement):
    """When the announcement becomes public: approval and embargo both passed."""
    if announcement.published_at is None:
        return None
    return max(announcement.published_at, announcement.embargo_until)


def objection_window(announcement):
    """(opens, closes) of the objection window, or (None, None) before publication."""
    opens = visible_at(announcement)
    if opens is None:
        return None, None
    return opens, opens + datetime.timedelta(days=announcement.objection_days)


def objection_window_open(announcement, now=None):
    now = now or timezone.now()
    opens, closes = objection_window(announcement)
    return bool(opens and opens <= now < closes and is_visible(announcement, now))


LONGEST_CHAIN = 1000  # versions read either side of an announcement
CHAIN_SQL = """
WITH RECURSIVE earlier(id, previous_id, place) AS (
    SELECT id, previous_id, 0 FROM {table} WHERE id = %(id)s
  UNION ALL
    SELECT a.id, a.previous_id, e.place - 1 FROM {table} a JOIN earlier e ON a.id = e.previous_id
    WHERE e.place > -%(longest)s  -- a loop (only an edit behind the portal's back makes one) ends here
), later(id, place) AS (
    SELECT id, 0 FROM {table} WHERE id = %(id)s
  UNION ALL
    SELECT n.id, l.place + 1 FROM later l
    CROSS JOIN LATERAL (
        SELECT a.id FROM {table} a WHERE a.previous_id = l.id AND a.state = %(published)s
        ORDER BY a.date DESC, a.id DESC LIMIT 1
    ) n
    WHERE l.place < %(longest)s
)
SELECT id, place FROM earlier UNION SELECT id, place FROM later
"""


def version_chain(announcement, among=None):
    """Every version of the announcement's chain, oldest first: the versions it corrects (whatever their state),
    itself, and after it the published correction of each version (the newest, if there were two). `among`: the
    announcements to keep (a queryset, e.g. visible_announcements()). Two queries, however long the chain."""
    with connection.cursor() as cursor:
        sql = CHAIN_SQL.format(table=connection.ops.quote_name(Announcement._meta.db_table))
        cursor.execute(
            sql, {"id": announcement.pk, "published": AnnouncementState.PUBLISHED.value, "longest": LONGEST_CHAIN}
        )
        places = dict(cursor.fetchall())
    versions = {a.pk: a for a in (among if among is not None else Announcement.objects.all()).filter(pk__in=places)}
    if announcement.pk in versions:
        versions[announcement.pk] = announcement
    return [versions[pk] for pk in sorted(versions, key=places.get)]


def public_rows(announcement):
    """The listed rows (selected and reserve), in the announcement's chosen order. One query."""
    rows = AnnouncementRow.objects.filter(announcement=announcement, outcome__in=LISTED)
    if announcement.list_order == ListOrder.ALPHABETICAL:
        rows = rows.order_by("title", "entry_code")
    else:
        rows = rows.order_by("rank")
    rows = list(rows)
    return (
        [r for r in rows if r.outcome == Outcome.SELECTED],
        [r for r in rows if r.outcome == Outcome.RESERVE],
    )


RESULT_COLUMNS = ["position", "rank", "entry_code", "title", "agency", "region", "category", "total", "outcome"]


def result_rows(announcement):
    """The public result rows of an announcement, as its page, its downloads and the API show them: selected then
    reserve in the announcement's order, numbered from 1; rank and total (to 4 places) None where the announcement
    does not show them. Keys: RESULT_COLUMNS."""
    selected, reserve = public_rows(announcement)
    return [
        {
            "position": position,
            "rank": row.rank if announcement.show_ranks else None,
            "entry_code": row.entry_code,
            "title": row.title,
            "agency": row.agency,
            "region": row.region,
            "category": row.category,
            "total": round(row.total, 4) if announcement.show_totals and row.total is not None else None,
            "outcome": row.outcome,
        }
        for position, row in enumerate(selected + reserve, start=1)
    ]


def _place(row):
    if row is None:
        return None
    return {"outcome": row.outcome, "outcome_label": row.get_outcome_display(), "rank": row.rank, "total": row.total}


def _difference_kind(before, after):
    was = before is not None and before.outcome in LISTED
    now = after is not None and after.outcome in LISTED
    if now and not was:
        return "in"
    if was and not now:
        return "out"
    if was and now and (before.outcome != after.outcome or before.rank != after.rank):
        return "moved"
    return None


def _listed_in_either(previous_id, announcement_id):
    """({entry id: row} of the previous version, {entry id: row} of this one), each holding the rows of the entries
    listed (selected or reserve) in either version. One query."""
    versions = [previous_id, announcement_id]
    listed = AnnouncementRow.objects.filter(announcement_id__in=versions, outcome__in=LISTED).values("entry_id")
    before, after = {}, {}
    for row in AnnouncementRow.objects.filter(announcement_id__in=versions, entry_id__in=listed):
        (before if row.announcement_id == previous_id else after)[row.entry_id] = row
    return before, after


def correction_differences(announcement):
    """What a correction changes in the list of the version it corrects, entry by entry: entries that come in
    (listed now, not before), go out, or move (from one list to the other, or to another rank). Each:
    {entry_id, entry_code, title, kind (in | out | moved), before, after ({outcome, rank, total} or None),
    reasons [text], explained}. A difference is explained by a reasoned change made in this correction
    (SelectionChange, not one carried over unchanged from the corrected version) or by a DifferenceReason. Rows in
    the correction's rank order, entries no longer in it last. Only the rows of entries listed in either version are
    read (a few dozen, whatever the number of entrants: the approval of a correction reads this). Four queries; []
    for a first version."""
    if not announcement.previous_id:
        return []
    before, after = _listed_in_either(announcement.previous_id, announcement.pk)
    carried = set(
        SelectionChange.objects.filter(announcement_id=announcement.previous_id).values_list(
            "entry_id", "to_outcome", "reason"
        )
    )
    reasons = defaultdict(list)
    for change in SelectionChange.objects.filter(announcement=announcement).order_by("created_at", "id"):
        if (change.entry_id, change.to_outcome, change.reason) not in carried:
            reasons[change.entry_id].append(change.reason)
    for typed in DifferenceReason.objects.filter(announcement=announcement).order_by("created_at", "id"):
        reasons[typed.entry_id].append(typed.reason)
    order = sorted(after, key=lambda e: after[e].rank) + sorted(
        (e for e in before if e not in after), key=lambda e: before[e].rank
    )
    differences = []
    for entry_id in order:
        old, new = before.get(entry_id), after.get(entry_id)
        kind = _difference_kind(old, new)
        if kind is None:
            continue
        shown = new or old
        differences.append(
            {
                "entry_id": entry_id,
                "entry_code": shown.entry_code,
                "title": shown.title,
                "kind": kind,
                "before": _place(old),
                "after": _place(new),
                "before_after": (_place(old), _place(new)),
                "reasons": reasons.get(entry_id, []),
                "explained": bool(reasons.get(entry_id)),
            }
        )
    return differences


def unexplained_differences(announcement):
    return [d for d in correction_differences(announcement) if not d["explained"]]


def counts(rows, field):
    """[(label, n)] of the selected rows by region or category, largest first."""
    counter = Counter(getattr(row, field) or "-" for row in rows)
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def bar_chart(items, width=520, bar_height=18, label_width=210):
    """Geometry for a server-rendered horizontal SVG bar chart of [(label, n)]."""
    peak = max((n for _label, n in items), default=0) or 1
    plot = width - label_width - 40
    bars = []
    for index, (label, n) in enumerate(items):
        y = index * (bar_height + 6) + 4
        bars.append(
            {
                "label": label if len(label) <= 32 else label[:31] + "…",
                "full_label": label,
                "n": n,
                "y": y,
                "text_y": y + bar_height - 5,
                "w": round(plot * n / peak, 1),
                "value_x": round(label_width + plot * n / peak + 4, 1),
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": len(items) * (bar_height + 6) + 8,
        "label_width": label_width,
        "label_x": label_width - 6,
        "bar_height": bar_height,
    }


def rounds_of(announcement):
    """The rounds the announcement's result rests on: its round, or (final) every round up to it."""
    if announcement.kind == AnnouncementKind.FINAL:
        return list(
            Round.objects.filter(
                competition_id=announcement.round.competition_id, order__lte=announcement.round.order
            ).order_by("order")
        )
    return [announcement.round]


def method_note(announcement):
    """What the public page says about how the list was made. Five queries."""
    rounds = rounds_of(announcement)
    criteria = defaultdict(list)
    for criterion in Criterion.objects.filter(round__in=rounds).order_by("round__order", "order", "id"):
        criteria[criterion.round_id].append(criterion)
    changes = list(
        SelectionChange.objects.filter(announcement=announcement).select_related("entry").order_by("created_at", "id")
    )
    k = announcement.round.judges_per_entry
    few_judges = announcement.rows.filter(judges__lt=k).count()
    ranking = None if announcement.kind == AnnouncementKind.FINAL else round_figures_ranking(announcement.round)
    selection_rules = _selection_rules_note(announcement, ranking)
    # sheet totals changed in the judges' discussion, per round, before the announcement was prepared
    discussed = changed_totals(rounds, until=announcement.prepared_at)
    return {
        "final": announcement.kind == AnnouncementKind.FINAL,
        "rounds": [
            {
                "round": r,
                "criteria": criteria[r.pk],
                "tie_break": [_tie_break_label(step) for step in r.tie_break],
                "few_judges": few_judges if r.pk == announcement.round_id else 0,
                "selection_rules": selection_rules if r.pk == announcement.round_id else [],
                "discussion_changed": discussed.get(r.pk),  # None: the round had no discussion
            }
            for r in rounds
        ],
        "weight_sum": sum(r.weight for r in rounds),
        "changes": changes,
        "cut_tie": announcement_cut_tie(announcement, public=True, ranking=ranking),
    }


def _selection_rules_note(announcement, ranking):
    """The selection rules of a round announcement's round (judging.scoring.quotas), each with how many entries it
    moved in or out of the Top N in the round's figures: [{"text", "moved"}]. Empty for a final announcement or a
    round without rules."""
    from judging.scoring.quotas import category_names, moved_count, round_rules, rule_code, rule_text

    # rows ranked under rules carry `rule` (judging.scoring.quotas.apply_rules): no query for a round without rules
    if announcement.kind == AnnouncementKind.FINAL or not any("rule" in row for row in ranking or []):
        return []
    rules = round_rules(announcement.round)
    moved = moved_count(ranking)
    categories = category_names(announcement.round.competition_id)
    return [{"text": rule_text(rule_code(rule), categories), "moved": moved.get(rule_code(rule), 0)} for rule in rules]


def announcement_cut_tie(announcement, *, public=False, ranking=None):
    """The tie at the round's Top N cut line (judging.scoring.queries.cut_tie) for a round announcement; None for a
    final one (its order is the final result's). public=True leaves out the compared values unless totals are public."""
    if announcement.kind == AnnouncementKind.FINAL:
        return None
    ranking = ranking if ranking is not None else round_figures_ranking(announcement.round)
    tie = cut_tie(ranking, announcement.round.top_n)
    if tie and public and not announcement.show_totals:
        tie = {**tie, "above": None, "below": None}
        tie["above_row"] = {"rank": tie["above_row"]["rank"], "entry_code": tie["above_row"]["entry_code"]}
        tie["below_row"] = {"rank": tie["below_row"]["rank"], "entry_code": tie["below_row"]["entry_code"]}
    return tie


def _tie_break_label(step):
    from judging.scoring.enums import TieBreak

    try:
        return TieBreak(step).label
    except ValueError:
        return step


def final_ranking(round_):
    """The final result over the rounds up to `round_` (DESIGN.md: sum_r W_r * total_r / sum_r W_r), for the
    entries taking part in `round_`. An entry's final uses only the rounds in which it has a total (rounds it
    did not take part in are left out of both sums). Order: final total, then the total of `round_`, then code.
    Outcomes by `round_`'s top_n and reserve_n. One ranking query per round."""
    rounds = list(Round.objects.filter(competition_id=round_.competition_id, order__lte=round_.order).order_by("order"))
    last_rows = round_figures_ranking(round_)
    weighted, weights = defaultdict(float), defaultdict(float)
    for r in rounds:
        rows = last_rows if r.pk == round_.pk else round_figures_ranking(r)
        w = float(r.weight)
        for row in rows:
            if row["total"] is not None and w > 0:
                weighted[row["entry_id"]] += w * row["total"]
                weights[row["entry_id"]] += w
    result = []
    for row in last_rows:
        entry_id = row["entry_id"]
        final = weighted[entry_id] / weights[entry_id] if weights.get(entry_id) and row["total"] is not None else None
        result.append({**row, "round_total": row["total"], "total": final, "tie": None})  # round ties: not the final's
    result.sort(
        key=lambda r: (
            r["total"] is None,
            -round(r["total"] or 0.0, 9),
            -round(r["round_total"] or 0.0, 9),
            r["entry_code"],
        )
    )
    return assign_outcomes(result, round_.top_n, round_.reserve_n)


def ranking_rows(round_, kind):
    return final_ranking(round_) if kind == AnnouncementKind.FINAL else round_figures_ranking(round_)


def announcement_ready(round_):
    return round_.state in (RoundState.CLOSED, RoundState.PUBLISHED)


def entry_public_outcomes(entry_ids, now=None):
    """{entry_id: [row]} of visible announcements' rows for these entries, latest first. One query."""
    visible = visible_announcements(now)
    rows = (
        AnnouncementRow.objects.filter(entry_id__in=entry_ids, announcement__in=visible)
        .exclude(Exists(visible.filter(previous=OuterRef("announcement_id"))))
        .select_related("announcement__round__competition")
        .order_by("-announcement__published_at", "-announcement_id")
    )
    result = defaultdict(list)
    for row in rows:
        result[row.entry_id].append(row)
    return result


def entry_slots(entry_ids, now=None):
    """{entry_id: [ScheduleSlot]}: only slots of rounds after a round with a visible announcement, so that a slot
    never reveals a selection before it is public. One query."""
    announced_before = visible_announcements(now).filter(
        round__competition_id=OuterRef("round__competition_id"), round__order__lt=OuterRef("round__order")
    )
    slots = (
        ScheduleSlot.objects.filter(entry_id__in=entry_ids)
        .filter(Exists(announced_before))
        .select_related("round__competition")
        .order_by("date", "start")
    )
    result = defaultdict(list)
    for slot in slots:
        result[slot.entry_id].append(slot)
    return result


def pending_objections_q():
    return Q(answered_at__isnull=True)
