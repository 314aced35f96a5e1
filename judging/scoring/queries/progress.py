"""Progress and queues: per judge and per round, the sheets still missing, the entries short of k judges and their
replacement candidates, a judge's queue and rounds, the distribution of a judge's totals."""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from entries.models import Entry
from judging.models import Assignment, Conflict, Round, RoundEntry, RoundJudge
from judging.scoring.conflicts import conflict_applies_q, conflict_applies_sql
from judging.scoring.enums import QueueStatus, SheetState
from judging.scoring.judge_state import with_judge_states
from judging.scoring.queries.tables import T
from kipp.numbers import progress_percent


def recused_q(prefix=""):
    """An Exists() that is true when the assignment (at `prefix`) is covered by a conflict."""
    return Exists(
        Conflict.objects.filter(
            conflict_applies_q(
                round_id=OuterRef(f"{prefix}round_id"),
                competition_id=OuterRef(f"{prefix}round__competition_id"),
                judge_id=OuterRef(f"{prefix}judge_id"),
                entry_id=OuterRef(f"{prefix}entry_id"),
            )
        )
    )


# The round's assignments with their sheet's state and whether a conflict covers them: the base of the progress
# figures. Hash joins fed by the round's ids (as in the ranking), so the cost follows the round, not the database.
ROUND_ASSIGNMENTS = """
    SELECT a.id, a.entry_id, a.judge_id, s.state,
           EXISTS (SELECT 1 FROM {conflict} c WHERE {applies}) AS recused
    FROM {assignment} a
    LEFT JOIN {sheet} s ON s.assignment_id = a.id
         AND s.assignment_id = ANY(ARRAY(SELECT id FROM {assignment} WHERE round_id = %(round)s))
    WHERE a.round_id = %(round)s
""".format(applies=conflict_applies_sql("c"), **T)  # noqa: S608 - table names from model meta


def _fetch(sql, round_, **params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")  # hash joins at every size (see round_ranking)
        cursor.execute(sql, {"round": round_.pk, "competition": round_.competition_id, **params})
        return cursor.fetchall()


def judge_progress(round_):
    """Per judge of the round: assigned, final, draft (counting assignments, i.e. not recused, as round_progress
    counts them, so the rows add up to its figures), recused, and percent final. Two queries (the counts, the
    judges)."""
    return judge_and_round_progress(round_)[0]


def round_assignment_counts(round_):
    """What the dashboard's progress figures are computed from, in one statement (the round's assignments read
    once): ({judge id: (assigned, final, draft, recused)}, {round entry id: active judges} of the entries with fewer
    than k judges who are not recused). `assigned`, `final`, `draft` count assignments no conflict covers."""
    sql = f"""
        WITH ra AS MATERIALIZED ({ROUND_ASSIGNMENTS})
        SELECT 'j', ra.judge_id, COUNT(*) FILTER (WHERE NOT ra.recused),
               COUNT(*) FILTER (WHERE ra.state = 'final' AND NOT ra.recused),
               COUNT(*) FILTER (WHERE ra.state = 'draft' AND NOT ra.recused), COUNT(*) FILTER (WHERE ra.recused)
        FROM ra GROUP BY ra.judge_id
        UNION ALL
        SELECT 'e', re.id, COALESCE(active.n, 0), 0, 0, 0
        FROM {T["round_entry"]} re
        LEFT JOIN (SELECT entry_id, COUNT(*) AS n FROM ra WHERE NOT recused GROUP BY entry_id) active
               ON active.entry_id = re.entry_id
        WHERE re.round_id = %(round)s AND COALESCE(active.n, 0) < %(k)s
    """  # noqa: S608
    judges, short = {}, {}
    for kind, pk, *counts in _fetch(sql, round_, k=round_.judges_per_entry):
        if kind == "j":
            judges[pk] = tuple(counts)
        else:
            short[pk] = counts[0]
    return judges, short


def judge_and_round_progress(round_, counts=None):
    """(judge_progress, round_progress) of the round from the same two queries: the round's figures are the sums of
    the per-judge counts (over every assignment of the round, also of a judge no longer in it). `counts`: the
    judges' counts of round_assignment_counts when the caller read them (one query then)."""
    if counts is None:
        sql = f"""
            SELECT ra.judge_id, COUNT(*) FILTER (WHERE NOT ra.recused),
                   COUNT(*) FILTER (WHERE ra.state = 'final' AND NOT ra.recused),
                   COUNT(*) FILTER (WHERE ra.state = 'draft' AND NOT ra.recused), COUNT(*) FILTER (WHERE ra.recused)
            FROM ({ROUND_ASSIGNMENTS}) ra GROUP BY ra.judge_id
        """  # noqa: S608
        counts = {row[0]: row[1:] for row in _fetch(sql, round_)}
    rows = RoundJudge.objects.filter(round=round_).select_related("judge").order_by("judge__full_name")
    progress = []
    for rj in rows:
        assigned, final, draft, recused = counts.get(rj.judge_id, (0, 0, 0, 0))
        progress.append(
            {
                "judge": rj.judge,
                "assigned": assigned,
                "final": final,
                "draft": draft,
                "recused": recused,
                "percent": progress_percent(final, assigned),
            }
        )
    sums = [sum(column) for column in zip(*counts.values(), strict=True)] or [0, 0, 0, 0]
    figures = dict(zip(("expected", "final", "draft", "recused"), sums, strict=True))
    figures["percent"] = progress_percent(figures["final"], figures["expected"])
    return progress, figures


def missing_sheets(round_):
    """Entries of the round with assigned sheets (not recused) that are not final, by code: dicts with entry_id,
    code, title, missing (sheets not final), final (final sheets). Two queries."""
    sql = f"""
        SELECT ra.entry_id, COUNT(*) FILTER (WHERE ra.state IS DISTINCT FROM 'final'),
               COUNT(*) FILTER (WHERE ra.state = 'final')
        FROM ({ROUND_ASSIGNMENTS}) ra WHERE NOT ra.recused GROUP BY ra.entry_id
        HAVING COUNT(*) FILTER (WHERE ra.state IS DISTINCT FROM 'final') > 0
    """  # noqa: S608
    counts = {entry_id: (missing, final) for entry_id, missing, final in _fetch(sql, round_)}
    entries = Entry.objects.filter(pk__in=counts).only("id", "code", "title").order_by("code")
    return [
        {"entry_id": e.pk, "code": e.code, "title": e.title, "missing": counts[e.pk][0], "final": counts[e.pk][1]}
        for e in entries
    ]


def rows_short_of_k(rows, k):
    """The ranking rows (or announcement rows) of entries with fewer than k final, unrecused sheets."""
    return [row for row in rows if ((row.get("judges") if isinstance(row, dict) else row.judges) or 0) < k]


def round_progress(round_):
    """Final counting sheets / expected (assignments not recused). One query (grouped, at most six rows)."""
    sql = f"SELECT ra.recused, ra.state, COUNT(*) FROM ({ROUND_ASSIGNMENTS}) ra GROUP BY ra.recused, ra.state"  # noqa: S608
    counts = {"expected": 0, "final": 0, "draft": 0, "recused": 0}
    for recused, state, n in _fetch(sql, round_):
        if recused:
            counts["recused"] += n
            continue
        counts["expected"] += n
        if state == SheetState.FINAL:
            counts["final"] += n
        elif state == SheetState.DRAFT:
            counts["draft"] += n
    counts["percent"] = progress_percent(counts["final"], counts["expected"])
    return counts


def entries_short_of_k(round_, active=None):
    """Entries of the round with fewer than k judges who are not recused, with the count (`active`), by code.
    Two queries (the short entries' ids and counts, then those entries); one when the caller read the counts
    (`active`: round_assignment_counts' {round entry id: active judges})."""
    if active is None:
        sql = f"""
            SELECT re.id, COALESCE(active.n, 0)
            FROM {T["round_entry"]} re
            LEFT JOIN (SELECT ra.entry_id, COUNT(*) AS n FROM ({ROUND_ASSIGNMENTS}) ra WHERE NOT ra.recused
                       GROUP BY ra.entry_id) active ON active.entry_id = re.entry_id
            WHERE re.round_id = %(round)s AND COALESCE(active.n, 0) < %(k)s
        """  # noqa: S608
        active = dict(_fetch(sql, round_, k=round_.judges_per_entry))
    if not active:
        return []
    short = list(RoundEntry.objects.filter(pk__in=active).select_related("entry").order_by("entry__code"))
    for item in short:
        item.active = active[item.pk]
    return short


def replacement_candidates(round_, entries, loads=None):
    """For each entry short of k: round judges without a conflict and not yet assigned, least loaded first (the
    load: the judge's assignments in the round). Three queries for any number of entries. `loads`: {judge id: load}
    when the caller counted them (round_assignment_counts: assigned + recused)."""
    entry_ids = [re.entry_id for re in entries]
    if loads is None:
        judges = list(
            RoundJudge.objects.filter(round=round_)
            .select_related("judge")
            .annotate(load=Count("judge__assignments", filter=Q(judge__assignments__round=round_)))
            .order_by("load", "judge__full_name")
        )
    else:
        judges = list(RoundJudge.objects.filter(round=round_).select_related("judge").order_by("judge__full_name"))
        for rj in judges:
            rj.load = loads.get(rj.judge_id, 0)
        judges.sort(key=lambda rj: rj.load)  # stable: by name (the database's order) within a load
    conflicts = set(
        Conflict.objects.filter(conflict_applies_q(round_), entry_id__in=entry_ids).values_list("judge_id", "entry_id")
    )
    assigned = set(Assignment.objects.filter(round=round_, entry_id__in=entry_ids).values_list("judge_id", "entry_id"))
    return {
        entry_id: [
            rj for rj in judges if (rj.judge_id, entry_id) not in conflicts and (rj.judge_id, entry_id) not in assigned
        ]
        for entry_id in entry_ids
    }


def judge_queue(round_, judge):
    """The judge's assignments in the round that no conflict of interest covers, in presentation order when there is
    one, else by code: each with status (not started / draft / final). An entry the judge has a conflict with is not
    read at all (its code, title and agency are nothing the judge may see): withheld_count says how many. One
    query."""
    position = RoundEntry.objects.filter(round=round_, entry_id=OuterRef("entry_id")).values("position")[:1]
    qs = (
        Assignment.objects.filter(round=round_, judge=judge)
        .alias(recused=recused_q())
        .filter(recused=False)
        .select_related("entry", "entry__agency", "entry__category", "sheet")
        .annotate(position=position)
        .order_by("position", "entry__code")
    )
    return _queue_items(qs)


QUEUE_OPEN_PAGE_SIZE = 50
QUEUE_DONE_PAGE_SIZE = 20


def _queue_items(assignments):
    items = []
    for a in assignments:
        sheet = getattr(a, "sheet", None)
        status = QueueStatus.NOT_STARTED if sheet is None else QueueStatus(sheet.state)
        items.append({"assignment": a, "entry": a.entry, "status": status, "sheet": sheet})
    return items


def _page_number(value, count, size):
    """The page asked for (1-based), clamped to the pages there are: never an error for a stale or odd link."""
    pages = max(1, -(-count // size))
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), pages), pages


def judge_queue_page(round_, judge, *, open_page=1, done_page=1):
    """What the judge's queue page shows, read in three queries whatever the number of assignments: the counts of
    open (not started or draft) and final sheets, one page of open items (presentation order, else code) and one
    page of final ones. Like judge_queue, entries a conflict of interest covers are never read."""
    position = RoundEntry.objects.filter(round=round_, entry_id=OuterRef("entry_id")).values("position")[:1]
    mine = Assignment.objects.filter(round=round_, judge=judge).alias(recused=recused_q()).filter(recused=False)
    counts = mine.aggregate(total=Count("id"), final=Count("id", filter=Q(sheet__state=QueueStatus.FINAL)))
    shown = mine.select_related("entry", "entry__agency", "entry__category", "sheet").annotate(position=position)
    shown = shown.order_by("position", "entry__code")
    open_count = counts["total"] - counts["final"]
    open_number, open_pages = _page_number(open_page, open_count, QUEUE_OPEN_PAGE_SIZE)
    done_number, done_pages = _page_number(done_page, counts["final"], QUEUE_DONE_PAGE_SIZE)
    first_open = (open_number - 1) * QUEUE_OPEN_PAGE_SIZE
    first_done = (done_number - 1) * QUEUE_DONE_PAGE_SIZE
    done_items = _queue_items(
        shown.filter(sheet__state=QueueStatus.FINAL)[first_done : first_done + QUEUE_DONE_PAGE_SIZE]
    )
    return {
        "total": counts["total"],
        "final": counts["final"],
        "open_count": open_count,
        "open_items": _queue_items(
            shown.exclude(sheet__state=QueueStatus.FINAL)[first_open : first_open + QUEUE_OPEN_PAGE_SIZE]
        ),
        "done_items": done_items,
        "open_page": {"number": open_number, "pages": open_pages},
        "done_page": {
            "number": done_number,
            "pages": done_pages,
            "first": first_done,
            "last": first_done + len(done_items),
        },
    }


def withheld_count(round_, judge):
    """How many of the judge's assignments in the round a conflict of interest covers (entries withheld from the
    judge's pages). One query."""
    return Assignment.objects.filter(round=round_, judge=judge).alias(recused=recused_q()).filter(recused=True).count()


def conflicted_entry_ids(round_, judge):
    """Ids of the entries a conflict of interest keeps from this judge in the round (assigned or not). One query."""
    return set(
        Conflict.objects.filter(conflict_applies_q(round_, judge_id=judge.pk)).values_list("entry_id", flat=True)
    )


def _count_per_round(assignments):
    """The number of `assignments` (a queryset narrowed by OuterRef("pk") to one round) as a subquery, 0 for none."""
    counted = assignments.order_by().values("round_id").annotate(n=Count("id")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def judge_rounds(judge):
    """Rounds in which the judge has assignments, with counts of the sheets they score (assignments a conflict of
    interest covers are withheld from the judge, so not counted: as in judge_queue), each with the state judges are
    shown (judging/scoring/judge_state.py). One query, and one more when a round is published."""
    scored = (
        Assignment.objects.filter(round_id=OuterRef("pk"), judge_id=judge.pk)
        .alias(recused=recused_q())
        .filter(recused=False)
    )
    return with_judge_states(
        Round.objects.filter(Exists(Assignment.objects.filter(round_id=OuterRef("pk"), judge_id=judge.pk)))
        .select_related("competition")
        .annotate(
            assigned=_count_per_round(scored),
            final=_count_per_round(scored.filter(sheet__state=SheetState.FINAL)),
        )
        .order_by("-competition__year", "order")
    )


def judge_distribution(round_, bins=10):
    """Per judge: the histogram of their sheet totals T_p (final, not recused), in `bins` bands of 0..100,
    and their mean. One query."""
    # The stored sheet totals of the round's counting sheets (judging/scoring/totals.py), as the ranking reads them.
    sql = """
    WITH totals AS (SELECT judge_id, total AS t FROM {sheet_total} WHERE round_id = %(round)s)
    -- bands [0, 10), [10, 20), ..., [90, 100]: width_bucket gives bins + 1 for exactly 100
    SELECT judge_id, LEAST(width_bucket(t, 0, 100, %(bins)s), %(bins)s) AS b, COUNT(*), AVG(t)
    FROM totals GROUP BY judge_id, b
    """.format(**T)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, {"round": round_.pk, "bins": bins})
        raw = cursor.fetchall()
    hist = defaultdict(lambda: [0] * bins)
    sums = defaultdict(float)
    counts = defaultdict(int)
    for judge_id, bucket, n, mean in raw:
        hist[judge_id][max(bucket, 1) - 1] += n
        sums[judge_id] += mean * n
        counts[judge_id] += n
    return {j: {"bins": hist[j], "n": counts[j], "mean": sums[j] / counts[j]} for j in hist}
